package main

// The accept loop and one client's life: what this lesson is about. Each
// client gets a goroutine of its own, which talks the protocol in
// protocol.go.

import (
	"context"
	"errors"
	"log"
	"net"
	"sync"
	"time"
)

// serve accepts clients until ctx is cancelled. Compare it with lesson 01's
// serve: the loop is the same, but `s.handle(ctx, conn)` became
// `go s.handle(ctx, conn)`. The handler now runs in a goroutine of its own,
// so the loop is back in Accept at once, ready for the next client, while
// the first one is still talking. The WaitGroup counts those goroutines so
// that serve can wait for them before it returns.
func (s *server) serve(ctx context.Context, ln net.Listener) {
	// However the loop ends, the handlers are told to stop (cancel runs
	// first: deferred calls run last-in, first-out) and then waited for.
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer s.wait(&wg)
	defer cancel()

	// Closing the listener is the only way to wake a blocked Accept.
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	// Solution: the accept loop (README: "One goroutine per connection").
	// Accept clients until the listener is closed (net.ErrClosed); after any other
	// error wait with a backoff (retry.wait) and try again. Serve each client with s.handle in a
	// goroutine of its own, counted in wg so that s.wait can wait for it.

	var retry backoff
	for {
		conn, err := ln.Accept() // a new socket for this client; ln keeps listening
		if errors.Is(err, net.ErrClosed) {
			return // we closed the listener ourselves: a normal stop
		}
		if err != nil {
			// Every client holds a file descriptor, and the process may
			// have only so many (ulimit -n): a busy server runs out, and
			// Accept fails until a client leaves. Try again, a little
			// later, as lesson 01 does.
			retry.wait(ctx, err)
			continue
		}
		retry.reset()
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handle(ctx, conn)
		}()
	}
	// End of solution: the accept loop.
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

// wait waits for every handler to finish. They have been told to stop, and
// most finish at once; a handler stuck writing to a client that reads
// nothing gets the grace period, then its connection is closed under it.
func (s *server) wait(wg *sync.WaitGroup) {
	// Solution: the shutdown (README: "Graceful shutdown").
	// Wait for every handler counted in wg; if they are not all done after
	// s.grace, close every connection (s.closeAll), log how many, and wait again.

	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	grace := time.NewTimer(s.grace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		log.Printf("grace period of %v is over: closing %d connections", s.grace, s.closeAll())
		<-done
	}
	// End of solution: the shutdown.
}

// handle serves one client, in its own goroutine, and logs how it went.
func (s *server) handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	who := peer(conn)
	online, ok := s.join(conn)
	if !ok {
		log.Printf("%s turned away: %d clients online, the most allowed", who, online)
		_ = s.send(conn, "busy: the server has as many clients as it takes; try again later") // if it fails, it is gone anyway
		hangUp(conn)
		return
	}
	defer s.leave(conn)
	log.Printf("%s connected, %d online", who, online)

	// At shutdown, a read deadline in the past wakes this goroutine if it
	// is blocked waiting for the client's next line (see nextLine).
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	defer stop()

	end := s.converse(ctx, conn, online)
	// Log first, then tell the client: by the time the client has read
	// our last line, the log says why it came.
	log.Printf("%s %s", who, end.why)
	if end.last != "" {
		_ = s.send(conn, end.last) // if it fails, the client is gone: nothing left to tell it
		hangUp(conn)
	}
}

// peer names the client for the log. A unix-socket client has no address
// unless it binds one, so it gets a name instead.
func peer(conn net.Conn) string {
	if a := conn.RemoteAddr(); a != nil && a.String() != "" && a.String() != "@" {
		return a.String()
	}
	return "unix client"
}
