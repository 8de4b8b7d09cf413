package main

// These tests call serve directly, on a real loopback socket, to check
// what a scenario cannot see from outside: that no goroutine outlives
// serve (goleak counts them after every test), that the shared count stays
// right when clients join at the same moment, and that -grace cuts off a
// client that would otherwise hold up the shutdown forever.
//
//	go test -race ./server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	log.SetOutput(io.Discard) // the scenarios check the log; here it is noise
	// After all tests, fail if any goroutine is left: a handler that never
	// returned, or a watcher that was never stopped.
	goleak.VerifyTestMain(m)
}

// patience bounds every wait in these tests. It is not a timing assertion:
// a correct server is done long before, and a broken one fails here in
// seconds instead of hanging the test run (the same patience as the
// scenarios' waits).
const patience = 5 * time.Second

// testServer returns a server with roomy limits.
func testServer() *server {
	return &server{maxClients: 100, idle: time.Hour, maxLine: 1024, grace: time.Second}
}

// serveOnLoopback runs s on a free loopback port. It returns the address,
// and stop, which cancels serve's context and waits for serve to return
// (an error if it does not). Cleanup calls stop too.
func serveOnLoopback(t testing.TB, s *server) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, s, ln)
}

// serveOn runs s on ln, as serveOnLoopback does.
func serveOn(t testing.TB, s *server, ln net.Listener) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.serve(ctx, ln)
		close(done)
	}()
	stop = sync.OnceValue(func() error {
		cancel()
		select {
		case <-done:
			return nil
		case <-time.After(patience):
			return fmt.Errorf("serve did not return within %v of being told to stop", patience)
		}
	})
	t.Cleanup(func() { _ = stop() })
	return ln.Addr().String(), stop
}

// client is one test connection, reading line by line.
type client struct {
	net.Conn
	in *bufio.Reader
}

func dial(t testing.TB, addr string) client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(patience))
	return client{conn, bufio.NewReader(conn)}
}

// line reads one line; errors are returned, not fatal, so goroutines can
// use it too.
func (c client) line() (string, error) {
	return c.in.ReadString('\n')
}

func TestShutdownTellsEveryClient(t *testing.T) {
	s := testServer()
	addr, stop := serveOnLoopback(t, s)
	var clients []client
	for i := range 3 {
		c := dial(t, addr)
		if got, err := c.line(); err != nil || got != welcome(i+1)+"\n" {
			t.Fatalf("client %d: want the welcome, got %q, %v", i+1, got, err)
		}
		clients = append(clients, c)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	// serve returns only after every handler has: none is still online.
	s.mu.Lock()
	left := len(s.online)
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("serve returned with %d clients still online: it must wait for its handlers", left)
	}
	for i, c := range clients {
		rest, err := io.ReadAll(c.in)
		if want := "shutdown: the server is stopping; goodbye\n"; string(rest) != want || err != nil {
			t.Errorf("client %d: want %q and the end of the stream, got %q, %v", i+1, want, rest, err)
		}
	}
}

// A client that sends and never reads fills the kernel's buffers until the
// server's Write blocks. Only closing the connection can wake that
// goroutine; without -grace, shutdown would wait for it forever.
func TestGraceCutsAClientThatDoesNotRead(t *testing.T) {
	s := testServer()
	s.grace = 10 * time.Millisecond
	addr, stop := serveOnLoopback(t, s)
	c := dial(t, addr)

	names := strings.Repeat(strings.Repeat("x", 1000)+"\n", 64)
	for {
		// When a write cannot finish quickly, the buffers are full: the
		// server is stuck writing to us. (On a very slow machine this may
		// stop early; the test then checks less, but still passes only
		// if serve returns.)
		c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, err := io.WriteString(c, names)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// Clients that join at the same moment must each see a different count:
// with the lock in join, the welcomes of n clients count 1 to n, in some
// order. Run it under -race to see what happens without the lock.
func TestCountsOfClientsJoiningAtOnce(t *testing.T) {
	const n = 20
	addr, _ := serveOnLoopback(t, testServer())
	counts := make([]int, n)
	errs := make([]error, n)
	var welcomed, leave sync.WaitGroup
	welcomed.Add(n)
	leave.Add(1)
	for i := range n {
		c := dial(t, addr)
		go func() {
			defer welcomed.Done()
			line, err := c.line()
			if err == nil {
				_, err = fmt.Sscanf(line, "Welcome! Clients online: %d ", &counts[i])
			}
			errs[i] = err
		}()
	}
	welcomed.Wait() // nobody leaves before everyone is counted
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(counts)
	for i, got := range counts {
		if got != i+1 {
			t.Fatalf("the %d clients were welcomed with counts %v, want 1 to %d, each once", n, counts, n)
		}
	}
}

// The full limit: one client more than -max-clients is turned away, and
// the count frees up when a client leaves.
func TestMaxClientsTurnsAwayOneMore(t *testing.T) {
	s := testServer()
	s.maxClients = 1
	addr, _ := serveOnLoopback(t, s)

	first := dial(t, addr)
	if got, _ := first.line(); got != welcome(1)+"\n" {
		t.Fatalf("first: want the welcome, got %q", got)
	}
	second := dial(t, addr)
	if rest, _ := io.ReadAll(second.in); !strings.HasPrefix(string(rest), "busy: ") {
		t.Fatalf("second: want the busy line and the end of the stream, got %q", rest)
	}

	_, _ = io.WriteString(first, "exit\n")
	if rest, _ := io.ReadAll(first.in); string(rest) != "Bye!\n" {
		t.Fatalf("first: want Bye! and the end of the stream, got %q", rest)
	}
	first.Close()
	// The server forgets the first client once its handler returns; a
	// newcomer tries until then (each try is turned away at once).
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); {
		c := dial(t, addr)
		got, err := c.line()
		if err != nil {
			t.Fatal(err)
		}
		if got == welcome(1)+"\n" {
			return
		}
		if !strings.HasPrefix(got, "busy: ") {
			t.Fatalf("newcomer: want a welcome or the busy line, got %q", got)
		}
		c.Close()
	}
	t.Fatalf("the server still counts a client that left %v ago", patience)
}

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

// Out of file descriptors, Accept fails until a client leaves: serve tries
// again, and says so once for the whole burst, not once a try. (Scenario
// outoffiles makes it happen for real, under a low ulimit, on Linux.)
func TestAcceptFailuresAreLoggedOncePerBurst(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := serveOn(t, testServer(), &failingListener{ln, 3})
	c := dial(t, addr)
	if got, err := c.line(); err != nil || got != welcome(1)+"\n" {
		t.Fatalf("after three failed Accepts: want the welcome, got %q, %v", got, err)
	}
	c.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logged.String(), "too many open files"); n != 1 {
		t.Errorf("the log names the failure %d times, want once for the burst:\n%s", n, logged.String())
	}
}
