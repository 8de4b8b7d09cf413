// Server is lesson 01's echo server. It sends back every byte a client
// sends, until the client closes, and it serves one client at a time.
// The echo is in serve.go; this file reads the flags, opens the listener
// and waits for Ctrl-C.
//
//	go run ./lessons/01-echo/server               # listens on 127.0.0.1:1234
//	go run ./lessons/01-echo/client hello         # in another terminal
//	nc 127.0.0.1 1234                             # or talk to it by hand
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

const usage = `usage: server [-network tcp|tcp4|tcp6|unix] [-addr ADDR] [-write-timeout D]

Echo server: sends back every byte a client sends, one client at a time.

  server                                  listen on 127.0.0.1:1234
  server -addr 127.0.0.1:0                let the kernel pick a free port
  server -network tcp6 -addr '[::1]:1234' IPv6 loopback
  server -network unix -addr /tmp/echo.sock
  server -write-timeout 2s                cut off a client that reads nothing for 2s

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
	addr := flags.String("addr", "127.0.0.1:1234", "address to listen on: host:port, or a file path for unix")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
	writeTimeout := flags.Duration("write-timeout", 10*time.Second, "cut off a client that takes none of the echo for this long")
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
	if *writeTimeout <= 0 {
		return fmt.Errorf("-write-timeout %v is out of range (use a duration above 0, such as 10s)", *writeTimeout)
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

	s := &server{writeTimeout: *writeTimeout}
	s.serve(ctx, ln)
	log.Print("stopped")
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

// checkNetwork accepts the networks this program can use. (Go's net package
// knows more, such as "udp", which lesson 03 is about.)
func checkNetwork(network string) error {
	switch network {
	case "tcp", "tcp4", "tcp6", "unix":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network tcp, tcp4, tcp6 or unix)", network)
}
