package wire

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Timeline prints events, one line each, with the time since it started.
// Both directions of every connection write to one Timeline, so it keeps
// their lines whole and in the order they happened.
type Timeline struct {
	w     io.Writer
	start time.Time
	// NoTimes leaves the time offsets out, for output that must compare
	// equal from run to run.
	NoTimes bool
	// Max is how many bytes of each chunk to show; 0 shows them all.
	Max int

	mu sync.Mutex
}

// NewTimeline returns a Timeline writing to w, starting now.
func NewTimeline(w io.Writer) *Timeline {
	return &Timeline{w: w, start: time.Now(), Max: 64}
}

// Printf writes one event of connection (or client) id.
func (t *Timeline) Printf(id int, format string, args ...any) {
	if t == nil {
		return
	}
	// One Write per line, so lines from both directions never interleave.
	line := fmt.Sprintf("#%d  ", id)
	if !t.NoTimes {
		line = fmt.Sprintf("#%d %+8.3fs  ", id, time.Since(t.start).Seconds())
	}
	line += fmt.Sprintf(format, args...) + "\n"
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, line) // a timeline that cannot be written has no reader to tell
}

// show renders a chunk as the Timeline is set to.
func (t *Timeline) show(p []byte) string {
	if t == nil {
		return ""
	}
	return Show(p, t.Max)
}
