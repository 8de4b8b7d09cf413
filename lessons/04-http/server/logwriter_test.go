package main

import (
	"sync"
	"testing"
	"time"
)

// TestLogWriter logs three lines: they reach the terminal in one write, a
// moment later, and Flush writes out at once what is waiting.
func TestLogWriter(t *testing.T) {
	var out terminal
	w := &logWriter{out: &out}
	for _, line := range []string{"one\n", "two\n", "three\n"} {
		_, _ = w.Write([]byte(line))
	}
	for deadline := time.Now().Add(5 * time.Second); out.get() == nil; {
		if time.Now().After(deadline) { // not a timing check: a hang, reported as one
			t.Fatal("the lines never reached the terminal")
		}
		time.Sleep(time.Millisecond) // poll; the loop ends as soon as they are there
	}
	if got := out.get(); len(got) != 1 || got[0] != "one\ntwo\nthree\n" {
		t.Fatalf("the terminal got %q, want the three lines in one write", got)
	}

	_, _ = w.Write([]byte("four\n"))
	w.Flush()
	if got := out.get(); len(got) != 2 || got[1] != "four\n" {
		t.Fatalf("after Flush, the terminal got %q, want a second write of four", got)
	}
}

// A terminal keeps each write it is given.
type terminal struct {
	mu     sync.Mutex
	writes []string
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writes = append(t.writes, string(p))
	return len(p), nil
}

func (t *terminal) get() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.writes...)
}
