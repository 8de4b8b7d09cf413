package docs

import (
	"strings"
	"sync"
	"time"
)

// output collects what a command prints, its standard output and error
// in one stream, in the order they were written, as a terminal shows
// them, and wakes whoever is waiting for more.
type output struct {
	mu      sync.Mutex
	buf     []byte
	done    bool          // the command has exited
	changed chan struct{} // closed at the next write, or when done
}

func newOutput() *output {
	return &output{changed: make(chan struct{})}
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, p...)
	o.wake()
	return len(p), nil
}

// finish says the command has exited: nothing more will come.
func (o *output) finish() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done = true
	o.wake()
}

func (o *output) wake() {
	close(o.changed)
	o.changed = make(chan struct{})
}

// text returns what has come so far, and whether that is all.
func (o *output) text() (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.buf), o.done
}

// waitUntil waits until ready says what has come is enough, and returns
// it, and whether the command has exited. It gives up, with ok false,
// when the command exits without that or the deadline passes. It never
// sleeps: it wakes at each write.
func (o *output) waitUntil(deadline time.Time, ready func(text string, done bool) bool) (text string, done, ok bool) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		o.mu.Lock()
		text, done, changed := string(o.buf), o.done, o.changed
		o.mu.Unlock()
		if ready(text, done) {
			return text, done, true
		}
		if done {
			return text, done, false
		}
		select {
		case <-changed:
		case <-timer.C:
			return text, done, false
		}
	}
}

// lines splits text into its lines; a last line without a newline counts.
func lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// complete counts the lines of text that have ended.
func complete(text string) int {
	return strings.Count(text, "\n")
}

// trimBlank drops the empty lines at the end: a blank line at the end of
// what a command printed is not compared (in a block it often only
// separates one terminal from the next).
func trimBlank(list []string) []string {
	for len(list) > 0 && strings.TrimSpace(list[len(list)-1]) == "" {
		list = list[:len(list)-1]
	}
	return list
}
