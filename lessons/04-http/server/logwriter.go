package main

// The log, written out a few times a second rather than line by line.

import (
	"io"
	"sync"
	"time"
)

const (
	logEvery = 100 * time.Millisecond // the longest a line waits to be written
	logMost  = 64 << 10               // or until this many bytes are waiting
)

// A logWriter collects the lines written to it and passes them on to out
// in one write, at most logEvery after the first of them. Every write to
// a terminal or a file is a system call; a busy server logs a few lines
// per request, and would make as many calls for its log as for its work.
// (nginx's access_log has the same idea: buffer= and flush=.)
type logWriter struct {
	out io.Writer
	mu  sync.Mutex
	buf []byte // lines not written out yet
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		time.AfterFunc(logEvery, w.Flush)
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= logMost {
		w.flush()
	}
	return len(p), nil
}

// Flush writes out what has been collected. The server calls it once more
// as it stops, so that no line is lost.
func (w *logWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flush()
}

func (w *logWriter) flush() {
	if len(w.buf) > 0 {
		_, _ = w.out.Write(w.buf) // if the terminal is gone, there is no one to tell
		w.buf = w.buf[:0]
	}
}
