package main

// The echo itself: the accept loop, and what is done with each client.
// main.go reads the flags and opens the listener; this is the part to read
// first.

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"syscall"
	"time"
)

// server holds what the flags decide about serving.
type server struct {
	writeTimeout time.Duration // how long a write to a client may wait (see timedWriter)
}

// serve accepts clients one after another until ctx is cancelled. It is
// sequential on purpose: while it echoes for one client, the next one has
// connected (the kernel finished its handshake) but waits in the listen
// backlog until Accept is called again. Lesson 02 lifts that limit.
func (s *server) serve(ctx context.Context, ln net.Listener) {
	// Closing the listener is the only way to wake a blocked Accept.
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var retry backoff
	for {
		conn, err := ln.Accept() // a new socket for this client; ln keeps listening
		if errors.Is(err, net.ErrClosed) {
			return // we closed the listener ourselves: a normal stop
		}
		if err != nil {
			// Not the end of the server: out of file descriptors, say,
			// until a client leaves. Try again, a little later.
			retry.wait(ctx, err)
			continue
		}
		retry.reset()
		s.handle(ctx, conn)
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

// handle echoes for one client and logs how it went.
func (s *server) handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	// At shutdown, close the client's connection too, or we would wait
	// for a client that may never hang up.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	who := peer(conn)
	log.Printf("%s connected", who)
	n, err := s.echo(conn)
	switch {
	case err == nil:
		log.Printf("%s disconnected after %d bytes echoed", who, n)
	case ctx.Err() != nil:
		log.Printf("%s cut off by shutdown after %d bytes echoed", who, n)
	case errors.Is(err, os.ErrDeadlineExceeded):
		// It sends and never reads: our Write waited s.writeTimeout for
		// room in the buffers. Closing frees the server for the next one.
		log.Printf("%s read none of the echo for %v: cut off after %d bytes echoed", who, s.writeTimeout, n)
	case errors.Is(err, syscall.ECONNRESET):
		// The client's kernel answered with RST: it crashed, or it closed
		// without reading. Nothing to do but log it and serve the next one.
		log.Printf("%s reset the connection after %d bytes echoed", who, n)
	default:
		log.Printf("%s failed after %d bytes echoed: %v", who, n, err)
	}
}

// echo writes back every byte it reads until the client closes its side.
// io.Copy is the whole recv/send loop of the classic tutorials: it reads up
// to a buffer's worth, writes all of it (Write never writes just a part
// without an error), and stops without an error at io.EOF, the empty read
// that means the peer closed. Each write gets s.writeTimeout to finish (see
// timedWriter). bench_test.go measures what this costs, and what it would
// cost done other ways.
func (s *server) echo(conn net.Conn) (int64, error) {
	// Solution: the echo loop (README: "Streams, not messages").
	// Send back every byte the client sends, until its side ends (io.EOF),
	// and return how many went back. Give each write s.writeTimeout to finish:
	// timedWriter does that.

	return io.Copy(timedWriter{conn, s.writeTimeout}, conn)
	// End of solution: the echo loop.
}

// timedWriter gives each Write to the client a deadline of its own,
// timeout from now. A client that sends and never reads fills its receive
// buffer, then our send buffer, and then Write blocks: without a deadline
// for ever, and this server, which serves one client at a time, with it.
// The price: io.Copy no longer sees two TCP connections, and copies
// through its 32 KiB buffer instead of asking Linux to splice (see "What
// the buffer costs" in the README).
type timedWriter struct {
	conn    net.Conn
	timeout time.Duration
}

func (w timedWriter) Write(p []byte) (int, error) {
	w.conn.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.conn.Write(p)
}

// peer names the client for the log. A unix-socket client has no address
// unless it binds one, so it gets a name instead.
func peer(conn net.Conn) string {
	if a := conn.RemoteAddr(); a != nil && a.String() != "" && a.String() != "@" {
		return a.String()
	}
	return "unix client"
}
