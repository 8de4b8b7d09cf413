// Server is lesson 02's greeting server. It talks a small line protocol
// and, unlike lesson 01's echo server, serves many clients at once: each
// connection gets a goroutine of its own.
//
//	go run ./lessons/02-concurrent/server          # listens on 127.0.0.1:9999
//	go run ./lessons/02-concurrent/client          # in other terminals: type names
//	nc 127.0.0.1 9999                              # or talk to it by hand
//
// This file is lesson 01's server with one change that matters: the `go`
// in serve. The rest is what that change brings: the protocol each
// goroutine talks is in protocol.go, and the state the goroutines share
// (the clients online, and the limits) is in clients.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

const usage = `usage: server [-addr ADDR] [-max-clients N] [-idle D] [-max-line N] [-grace D]

Greeting server: serves many clients at once, one goroutine each. A client
is welcomed, each line NAME gets "Hello, NAME!", and "exit" gets "Bye!".

  server                                  listen on 127.0.0.1:9999
  server -addr 127.0.0.1:0                let the kernel pick a free port
  server -max-clients 2 -idle 30s         tight limits, to try them by hand
  server -max-clients 20000 -idle 1h      room for the 10,000-connection experiment

`

func main() {
	log.SetFlags(0) // one plain line per event: easy to read, easy to compare
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("server", flag.ContinueOnError)
	network := flags.String("network", "tcp", "tcp, tcp4, tcp6 or unix")
	addr := flags.String("addr", "127.0.0.1:9999", "address to listen on: host:port, or a file path for unix")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
	s := &server{}
	flags.IntVar(&s.maxClients, "max-clients", 1000, "the most clients served at once; one more is told to try later")
	flags.DurationVar(&s.idle, "idle", 5*time.Minute, "close a client that sends no line (or reads no reply) for this long")
	flags.IntVar(&s.maxLine, "max-line", 1024, "the longest line a client may send, in bytes, counting the newline")
	flags.DurationVar(&s.grace, "grace", 5*time.Second, "at shutdown, how long clients get before their connections are cut")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	flags.SetOutput(io.Discard) // we report a bad flag ourselves, in one line
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		flags.SetOutput(os.Stdout)
		flags.Usage()
		return nil
	} else if err != nil {
		return fmt.Errorf("%v (see server -h)", err)
	}
	if err := checkNetwork(*network); err != nil {
		return err
	}
	if err := s.checkLimits(); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see server -h)", flags.Arg(0))
	}

	// Ctrl-C (SIGINT) or a polite kill (SIGTERM) cancels ctx: that is how
	// the server learns it should stop.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// net.Listen does socket(), bind() and listen() in one call.
	ln, err := net.Listen(*network, *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	log.Printf("listening on %s", ln.Addr())
	if *addrFile != "" {
		if err := writeAddr(*addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}

	err = s.serve(ctx, ln)
	log.Print("stopped")
	return err
}

// listenError turns the most common mistake, a port that is taken, into a
// sentence that says what to do about it.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("cannot listen on %s: address already in use (is another server running there? stop it, or choose another port with -addr)", addr)
	}
	return fmt.Errorf("cannot listen: %w", err)
}

// writeAddr writes addr to file in one step (write, then rename), so a
// script waiting for the file never reads half an address.
func writeAddr(file, addr string) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

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

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "tcp", "tcp4", "tcp6", "unix":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network tcp, tcp4, tcp6 or unix)", network)
}
