package main

// The echo itself: the accept loop, and what is done with each client.
// main.go reads the flags and opens the listener; this is the part to read
// first.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"syscall"
)

// serve accepts clients one after another until ctx is cancelled. It is
// sequential on purpose: while it echoes for one client, the next one has
// connected (the kernel finished its handshake) but waits in the listen
// backlog until Accept is called again. Lesson 02 lifts that limit.
func serve(ctx context.Context, ln net.Listener) error {
	// Closing the listener is the only way to wake a blocked Accept.
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept() // a new socket for this client; ln keeps listening
		if err != nil {
			if ctx.Err() != nil {
				return nil // we closed the listener ourselves: a normal stop
			}
			return fmt.Errorf("accept: %w", err)
		}
		handle(ctx, conn)
	}
}

// handle echoes for one client and logs how it went.
func handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	// At shutdown, close the client's connection too, or we would wait
	// for a client that may never hang up.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	who := peer(conn)
	log.Printf("%s connected", who)
	n, err := echo(conn)
	switch {
	case err == nil:
		log.Printf("%s disconnected after %d bytes echoed", who, n)
	case ctx.Err() != nil:
		log.Printf("%s cut off by shutdown after %d bytes echoed", who, n)
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
// that means the peer closed. See bench_test.go for what the loop costs
// written by hand with a small buffer.
func echo(conn net.Conn) (int64, error) {
	return io.Copy(conn, conn)
}

// peer names the client for the log. A unix-socket client has no address
// unless it binds one, so it gets a name instead.
func peer(conn net.Conn) string {
	if a := conn.RemoteAddr(); a != nil && a.String() != "" && a.String() != "@" {
		return a.String()
	}
	return "unix client"
}
