//go:build linux

package lesson_test

// A script command of this lesson's own:
//
//	fullqueue VAR ADDR -release D
//
// On loopback a connect does not wait: the server's kernel finishes the
// handshake at once, before the server even calls Accept. It waits only
// when the listener's accept queue (its backlog) is full, because then
// Linux drops the SYN without a word, and the client's kernel sends it
// again a second or more later. That is the one way to make a client's
// connect time-out matter on one machine, so fullqueue makes such a
// listener and puts its address in $VAR. After D it accepts again and
// passes every new connection on to the server at ADDR, so a client that
// is still trying then gets through, and gets its echo.

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/procnet"
	"github.com/socketbook/socketbook/internal/scenario"
	"github.com/socketbook/socketbook/internal/wire"
)

func fullQueue(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 || args[2] != "-release" {
		ts.Fatalf("usage: fullqueue VAR ADDR -release D")
	}
	release, err := time.ParseDuration(args[3])
	if err != nil || release <= 0 {
		ts.Fatalf("fullqueue: want a time such as 2s after -release, got %q", args[3])
	}
	// On a slow or busy machine the client may take a while just to
	// start: the release waits as much longer as every time limit does.
	release = scenario.Stretch(ts, release)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	ts.Check(err)
	front := ln.Addr().String()

	// A backlog of 1, and Linux queues one finished handshake more than
	// the backlog: two connections of our own fill the queue. We wait for
	// the kernel to show each one queued (the handshake ends in the
	// server's kernel a moment after Dial returns), so the queue is surely
	// full when the script goes on.
	fillers, err := fill(ln.(*net.TCPListener), 1, scenario.Patience(ts, "the accept queue to fill"))
	if err != nil {
		ln.Close()
		ts.Fatalf("fullqueue: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	timer := time.AfterFunc(release, func() {
		// The queue is first in, first out, so our own connections come
		// off it first; whoever comes next is a real client.
		for range fillers {
			if c, err := ln.Accept(); err == nil {
				c.Close()
			}
		}
		hangUp(fillers)
		p := &wire.Proxy{To: args[1]}
		done <- p.Serve(ctx, ln)
	})
	ts.Defer(func() {
		if timer.Stop() { // the script ended before the release
			ln.Close()
			hangUp(fillers)
			cancel()
			return
		}
		cancel() // Serve closes the listener and its connections
		if err := <-done; err != nil {
			ts.Logf("fullqueue %s: %v", front, err)
		}
	})
	ts.Setenv(args[0], front)
}

// fill connects to ln until its accept queue is full: backlog+1
// connections, each seen queued by the kernel before the next.
func fill(ln *net.TCPListener, backlog int, deadline time.Time) ([]net.Conn, error) {
	if err := setBacklog(ln, backlog); err != nil {
		return nil, err
	}
	addr := netip.MustParseAddrPort(ln.Addr().String())
	var conns []net.Conn
	for n := 1; n <= backlog+1; n++ {
		c, err := net.DialTimeout("tcp4", addr.String(), time.Until(deadline))
		if err != nil {
			hangUp(conns)
			return nil, err
		}
		conns = append(conns, c)
		if err := waitQueued(addr, n, deadline); err != nil {
			hangUp(conns)
			return nil, err
		}
	}
	return conns, nil
}

func hangUp(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// setBacklog calls listen() again with a small backlog. Go asks for the
// most the system allows (net.core.somaxconn, thousands); Linux lets a
// program call listen() again on a listening socket to change it.
func setBacklog(ln *net.TCPListener, backlog int) error {
	c, err := ln.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	if err := c.Control(func(fd uintptr) { lerr = syscall.Listen(int(fd), backlog) }); err != nil {
		return err
	}
	if lerr != nil {
		return fmt.Errorf("listen(backlog %d): %w", backlog, lerr)
	}
	return nil
}

// waitQueued waits until n finished handshakes wait in the accept queue of
// the listener on addr. The kernel shows it to anyone: in /proc/net/tcp a
// listening socket's rx_queue is that number (`ss -ltn` calls it Recv-Q).
func waitQueued(addr netip.AddrPort, n int, deadline time.Time) error {
	for {
		got, found, err := procnet.ListenQueue(addr)
		if err != nil {
			return err
		}
		if found && got == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d connections wait in the accept queue of %s, not %d, and the time is up", got, addr, n)
		}
		time.Sleep(10 * time.Millisecond) // poll; the wait ends as soon as the count is right
	}
}
