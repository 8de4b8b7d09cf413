package main

// The server's own functions, on net.Pipe: a connection in memory, with
// deadlines, and no socket.
//
//	go test -run TestSendBody ./server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSendBody gives sendBody a file that changed after its size was
// taken: one that grew (more bytes than the head announced) and one that
// shrank (fewer). The body must never be longer than announced, and a
// short one must be reported, so that the connection is closed.
func TestSendBody(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		size    int64
		want    string
		wantErr error
	}{
		{"as announced", "hello\n", 6, "hello\n", nil},
		{"grew", "hello\nand more\n", 6, "hello\n", nil},
		{"shrank", "hel", 6, "hel", errShortFile},
		{"empty", "", 0, "", nil},
		{"more than a chunk", strings.Repeat("x", chunkSize+10), chunkSize + 1, strings.Repeat("x", chunkSize+1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, client := net.Pipe()
			got := make(chan string)
			go func() {
				body, _ := io.ReadAll(client)
				got <- string(body)
			}()
			out := bufio.NewWriter(conn)
			n, err := sendBody(conn, out, strings.NewReader(tt.file), tt.size, time.Minute)
			_ = out.Flush() // what the last chunk left in the buffer, as converse does; the body read below is what counts
			conn.Close()
			body := <-got
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if body != tt.want || n != int64(len(tt.want)) {
				t.Errorf("sent %.20q... (%d bytes, n = %d), want %.20q... (%d bytes)", body, len(body), n, tt.want, len(tt.want))
			}
		})
	}
}

// TestSendBodyTimeout sends a body to a client that reads nothing:
// sendBody must give up once the time-out has passed, not wait for ever.
func TestSendBodyTimeout(t *testing.T) {
	conn, client := net.Pipe()
	defer client.Close()
	defer conn.Close()
	done := make(chan error, 1)
	go func() {
		_, err := sendBody(conn, bufio.NewWriter(conn), strings.NewReader("hello\n"), 6, 10*time.Millisecond)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("got %v, want os.ErrDeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second): // not a timing check: a hang, reported as one
		t.Fatal("sendBody still waits for a client that reads nothing: is there no write deadline?")
	}
}

// TestBackoff fails Accept again and again: the waits double from 5 ms up
// to 1 s, the burst is logged once, and a success ends it. The context is
// already done, so no wait really waits.
func TestBackoff(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	var b backoff
	const ms = time.Millisecond
	for _, want := range []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms, 320 * ms, 640 * ms, time.Second, time.Second} {
		b.wait(ctx, syscall.EMFILE)
		if b.delay != want {
			t.Fatalf("waited %v, want %v", b.delay, want)
		}
	}
	if n := strings.Count(logged.String(), "\n"); n != 1 {
		t.Fatalf("a burst of failures logged %d lines, want 1:\n%s", n, logged.String())
	}
	b.reset()
	b.wait(ctx, syscall.EMFILE)
	if n := strings.Count(logged.String(), "\n"); n != 2 || b.delay != 5*ms {
		t.Fatalf("after a success, the next failure waited %v and the log has %d lines; want 5ms, and 2 lines", b.delay, n)
	}
}

// TestOpenError: a file that cannot be opened because the server is out
// of file descriptors is there all the same; the client must not be told
// 404, but to come back (503).
func TestOpenError(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{fs.ErrNotExist, 404},
		{fs.ErrPermission, 403},
		{&fs.PathError{Op: "open", Path: "/www/a.html", Err: syscall.EMFILE}, 503},
		{&fs.PathError{Op: "open", Path: "/www/a.html", Err: syscall.ENOTDIR}, 404},
	}
	for _, tt := range tests {
		var refused *statusError
		if err := openError(tt.err, "/www", "/www/a.html"); !errors.As(err, &refused) || refused.status != tt.want {
			t.Errorf("openError(%v) = %v, want status %d", tt.err, err, tt.want)
		}
	}
}
