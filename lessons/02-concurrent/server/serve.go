package main

// The accept loop and one client's life: what this lesson is about. Each
// client gets a goroutine of its own, which talks the protocol in
// protocol.go.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"syscall"
	"time"
)

// serve accepts clients until ctx is cancelled. Compare it with lesson 01's
// serve: the loop is the same, but `handle(ctx, conn)` became
// `go s.handle(ctx, conn)`. The handler now runs in a goroutine of its own,
// so the loop is back in Accept at once, ready for the next client, while
// the first one is still talking. The WaitGroup counts those goroutines so
// that serve can wait for them before it returns.
func (s *server) serve(ctx context.Context, ln net.Listener) error {
	// However the loop ends, the handlers are told to stop (cancel runs
	// first: deferred calls run last-in, first-out) and then waited for.
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer s.wait(&wg)
	defer cancel()

	// Closing the listener is the only way to wake a blocked Accept.
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept() // a new socket for this client; ln keeps listening
		if err != nil {
			if ctx.Err() != nil {
				return nil // we closed the listener ourselves: a normal stop
			}
			if outOfFiles(err) {
				// Every socket is a file descriptor, and the process has a
				// limit (ulimit -n). Out of them, Accept fails until some
				// client leaves: wait a moment and try again, rather than
				// stopping the server for everyone.
				log.Printf("accept: %v; retrying", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return fmt.Errorf("accept: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handle(ctx, conn)
		}()
	}
}

// outOfFiles reports whether err means the process or the system has no
// file descriptor left for a new connection.
func outOfFiles(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// wait waits for every handler to finish. They have been told to stop, and
// most finish at once; a handler stuck writing to a client that reads
// nothing gets the grace period, then its connection is closed under it.
func (s *server) wait(wg *sync.WaitGroup) {
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
}

// handle serves one client, in its own goroutine, and logs how it went.
func (s *server) handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	who := peer(conn)
	online, ok := s.join(conn)
	if !ok {
		log.Printf("%s turned away: %d clients online, the most allowed", who, online)
		s.send(conn, "busy: the server has as many clients as it takes; try again later")
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
		s.send(conn, end.last)
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
