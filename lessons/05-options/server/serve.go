package main

// The echo for many clients at once, with the options applied to each
// connection: lesson 02's accept loop, lesson 01's echo.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/socketbook/socketbook/lessons/05-options/internal/sockopt"
)

// server echoes for many clients at once, one goroutine each (lesson 02).
type server struct {
	opts         sockopt.Settings
	idle         time.Duration // a read may wait this long; 0: for ever
	writeTimeout time.Duration // a write may wait this long; 0: for ever
	wg           sync.WaitGroup
}

// serve accepts clients until ctx is cancelled, then waits for the
// connections it is serving, which the cancellation closes too.
func (s *server) serve(ctx context.Context, ln net.Listener) {
	stop := context.AfterFunc(ctx, func() { ln.Close() }) // wakes Accept
	defer stop()
	defer s.wg.Wait()
	var retry backoff
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return // we closed the listener ourselves: a normal stop
		}
		if err != nil {
			// Out of file descriptors, say, until a client leaves: not the
			// end of the server (lesson 01, "When Accept fails").
			retry.wait(ctx, err)
			continue
		}
		retry.reset()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(ctx, conn.(*net.TCPConn))
		}()
	}
}

// backoff spaces out retries of Accept after an error that passes
// (too many open files, ...): 5 ms, then twice as long each time, up
// to 1 s, like net/http. It logs once per burst, not once per retry.
type backoff struct{ delay time.Duration }

// wait logs err if it is the first of a burst, then sleeps. It returns
// early when ctx is done: a server that cannot accept still stops at once.
func (b *backoff) wait(ctx context.Context, err error) {
	if b.delay == 0 {
		b.delay = 5 * time.Millisecond
		log.Printf("%v; retrying, from 5ms to 1s apart, until it passes", err)
	} else {
		b.delay = min(2*b.delay, time.Second)
	}
	sleep := time.NewTimer(b.delay)
	defer sleep.Stop()
	select {
	case <-sleep.C:
	case <-ctx.Done():
	}
}

// reset ends a burst: Accept has worked again.
func (b *backoff) reset() { b.delay = 0 }

// handle sets the connection's options, echoes, and logs how it went.
func (s *server) handle(ctx context.Context, conn *net.TCPConn) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	who := conn.RemoteAddr().String()
	if err := s.opts.Apply(conn); err != nil {
		log.Printf("%s: cannot set options: %v", who, err)
		return
	}
	log.Printf("%s connected", who)
	if s.opts.Show {
		showOptions(conn)
	}
	n, err := s.echo(conn)
	switch {
	case err == nil:
		log.Printf("%s disconnected after %d bytes echoed%s", who, n, closing(s.opts))
	case ctx.Err() != nil:
		log.Printf("%s cut off by shutdown after %d bytes echoed", who, n)
	case errors.Is(err, errNotReading):
		// Nothing to tell it: it reads nothing. Closing frees the
		// goroutine and the socket.
		log.Printf("%s read none of the echo for %v: cut off after %d bytes echoed", who, s.writeTimeout, n)
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The client said nothing for s.idle: tell it why, then hang up.
		// The old deadline has passed, so the notice needs a new one.
		conn.SetWriteDeadline(time.Now().Add(time.Second))
		fmt.Fprintf(conn, "idle for %v: closing\n", s.idle)
		log.Printf("%s idle for %v: closed after %d bytes echoed", who, s.idle, n)
	case errors.Is(err, syscall.ECONNRESET):
		log.Printf("%s reset the connection after %d bytes echoed", who, n)
	default:
		log.Printf("%s failed after %d bytes echoed: %v", who, n, err)
	}
}

// closing tells the log how the connection is about to close.
func closing(opts sockopt.Settings) string {
	if opts.Linger == 0 {
		return ", closing with RST (-linger 0)"
	}
	return ""
}

// errNotReading is echo's error for a write that waited -writetimeout for
// room in the buffers: the client sends, but does not read.
var errNotReading = errors.New("the client reads none of the echo")

// echo writes back what it reads until the client closes. Each read and
// each write has a deadline of its own, moved forward before every call: a
// deadline is a point in time, not a duration, so "idle for 10s" means "now
// + 10s", renewed each time the client shows it is alive. The read deadline
// (-idle) is for a client that sends nothing; the write deadline
// (-writetimeout) for one that reads nothing, which fills the buffers until
// Write blocks.
func (s *server) echo(conn net.Conn) (int64, error) {
	// Solution: the echo with deadlines (README: "Time-outs: deadlines, not settimeout").
	// Echo until the client ends its side, like lesson 01, but move a read
	// deadline s.idle ahead before each read and a write deadline s.writeTimeout
	// ahead before each write (when they are set); a write that times out is
	// errNotReading.

	buf := make([]byte, 32*1024)
	var total int64
	for {
		if s.idle > 0 {
			conn.SetReadDeadline(time.Now().Add(s.idle))
		}
		n, err := conn.Read(buf)
		if n > 0 {
			if s.writeTimeout > 0 {
				conn.SetWriteDeadline(time.Now().Add(s.writeTimeout))
			}
			w, werr := conn.Write(buf[:n])
			total += int64(w)
			if errors.Is(werr, os.ErrDeadlineExceeded) {
				return total, errNotReading
			}
			if werr != nil {
				return total, werr
			}
		}
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	// End of solution: the echo with deadlines.
}

// showOptions logs the table of the connection's options, as the kernel
// reports them, indented under its "connected" line. One log.Print for the
// whole table keeps it in one piece when other clients log at the same time.
func showOptions(conn *net.TCPConn) {
	opts, err := sockopt.Read(conn)
	if err != nil {
		log.Printf("  cannot read the options: %v", err)
		return
	}
	var b strings.Builder
	sockopt.Print(&b, opts)
	table := strings.TrimSuffix(b.String(), "\n")
	log.Print("  " + strings.ReplaceAll(table, "\n", "\n  "))
}
