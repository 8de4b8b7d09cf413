package main

// These tests check what a scenario cannot show in a sequential server: a
// failing Accept does not stop it. (A server that serves one client at a
// time never holds enough sockets to run out of file descriptors by
// itself; lessons 02 and 05 show it happen for real, under a low ulimit.)
//
//	go test ./server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
)

// patience bounds every wait here. It is not a timing assertion: a
// correct server is done long before, and a broken one fails in seconds
// instead of hanging the test run.
const patience = 5 * time.Second

// failingListener is a real loopback listener whose first Accepts fail
// the way they do when the process has no file descriptor left.
type failingListener struct {
	net.Listener
	failures int
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.failures > 0 {
		l.failures--
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: syscall.EMFILE}
	}
	return l.Listener.Accept()
}

// logTo sends the log to a buffer for the length of the test.
func logTo(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(io.Discard) })
	return &buf
}

func TestServeKeepsServingAfterAcceptFails(t *testing.T) {
	logged := logTo(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s := &server{writeTimeout: time.Second}
		s.serve(ctx, &failingListener{ln, 3})
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()

	conn, err := net.DialTimeout("tcp", ln.Addr().String(), patience)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(patience))
	if _, err := io.WriteString(conn, "still here\n"); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len("still here\n"))
	if _, err := io.ReadFull(conn, got); err != nil {
		t.Fatalf("no echo after three failed Accepts: %v (did serve stop?)", err)
	}
	cancel()
	<-done
	// Three failures in a row are one burst: one line in the log.
	if n := strings.Count(logged.String(), "too many open files"); n != 1 {
		t.Errorf("the log names the failure %d times, want once for the burst:\n%s", n, logged)
	}
}

func TestBackoffDoublesUpToASecond(t *testing.T) {
	logged := logTo(t)
	// A cancelled context makes wait return at once: the delays are
	// checked, not slept.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b backoff
	var got []time.Duration
	for range 10 {
		b.wait(ctx, syscall.EMFILE)
		got = append(got, b.delay)
	}
	want := []time.Duration{5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("delays %v, want %v", got, want)
	}
	if n := strings.Count(logged.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for one burst, want 1:\n%s", n, logged)
	}

	// After a success the next failure starts a new burst: logged, and
	// back to 5ms.
	b.reset()
	b.wait(ctx, syscall.EMFILE)
	if b.delay != 5*time.Millisecond || strings.Count(logged.String(), "\n") != 2 {
		t.Errorf("after reset: delay %v and log\n%s\nwant 5ms and a second line", b.delay, logged)
	}
}
