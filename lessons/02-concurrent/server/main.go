// Server is lesson 02's greeting server. It talks a small line protocol
// and, unlike lesson 01's echo server, serves many clients at once: each
// connection gets a goroutine of its own.
//
//	go run ./lessons/02-concurrent/server          # listens on 127.0.0.1:9999
//	go run ./lessons/02-concurrent/client          # in other terminals: type names
//	nc 127.0.0.1 9999                              # or talk to it by hand
//
// serve.go is lesson 01's serve.go with one change that matters: the `go`
// in serve. The rest is what that change brings: the protocol each
// goroutine talks is in protocol.go, and the state the goroutines share
// (the clients online) is in clients.go. This file reads the flags, checks
// them, opens the listener and waits for Ctrl-C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
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

	ln, err := listen(*network, *addr)
	if err != nil {
		return err
	}
	log.Printf("listening on %s", ln.Addr())
	if *addrFile != "" {
		if err := writeAddr(*addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}

	s.serve(ctx, ln)
	log.Print("stopped")
	return nil
}

// The ranges of the limits. A line is read into a buffer of -max-line
// bytes that every client gets whole, and -max-clients of them may be
// online: a million lines of 64 KiB is already more memory than most
// machines have.
const (
	minLine       = 16 // "Hello, " and a short name; bufio.Reader has no smaller buffer
	maxLine       = 64 * 1024
	maxMaxClients = 1000000
)

// checkLimits rejects limits that would make no sense, naming the flag,
// the value and the range it takes.
func (s *server) checkLimits() error {
	switch {
	case s.maxClients < 1 || s.maxClients > maxMaxClients:
		return fmt.Errorf("-max-clients %d is out of range (use 1 to %d)", s.maxClients, maxMaxClients)
	case s.idle <= 0:
		return fmt.Errorf("-idle %v is out of range (use a duration above 0, such as 5m)", s.idle)
	case s.maxLine < minLine || s.maxLine > maxLine:
		return fmt.Errorf("-max-line %d is out of range (use %d to %d bytes)", s.maxLine, minLine, maxLine)
	case s.grace < 0:
		return fmt.Errorf("-grace %v is out of range (use 0 to cut clients off at once, or a duration above 0)", s.grace)
	}
	return nil
}

// listen opens the listener: net.Listen does socket(), bind() and listen()
// in one call. A unix socket's file may be left over from a server that is
// gone; then it is removed and the listen tried once more.
func listen(network, addr string) (net.Listener, error) {
	ln, err := net.Listen(network, addr)
	if network == "unix" && errors.Is(err, syscall.EADDRINUSE) {
		if err := removeStale(addr); err != nil {
			return nil, err
		}
		log.Printf("removed %s: a socket file left behind by a server that is gone", addr)
		ln, err = net.Listen(network, addr)
	}
	if err != nil {
		return nil, listenError(addr, err)
	}
	return ln, nil
}

// removeStale removes the unix socket file at path if no server is behind
// it. A server that closes its listener removes its file, but one killed
// first (kill -9, a crash) leaves it, and bind() then fails as on a port
// in use. The file looks the same with or without a server behind it:
// the only way to know is to connect and see whether anyone answers.
func removeStale(path string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", path, err)
	}
	if info.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("cannot listen on %s: the file exists and is not a socket (choose another path with -addr)", path)
	}
	conn, err := net.Dial("unix", path)
	if err == nil {
		conn.Close()
		return fmt.Errorf("cannot listen on %s: another server is listening there (stop it, or choose another path with -addr)", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("cannot listen on %s: %w", path, err)
	}
	// Refused: nobody is behind it.
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("cannot listen on %s: %w", path, err)
	}
	return nil
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

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "tcp", "tcp4", "tcp6", "unix":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network tcp, tcp4, tcp6 or unix)", network)
}
