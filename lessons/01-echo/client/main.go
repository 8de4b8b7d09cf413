// Client is lesson 01's echo client. It sends its arguments, or its
// standard input, to the echo server and prints what comes back. The
// conversation is in roundtrip.go; this file reads the flags and connects.
//
//	go run ./lessons/01-echo/client hello world      # two round trips
//	go run ./lessons/01-echo/client < notes.txt       # a whole file
//	go run ./lessons/01-echo/client                   # type lines, Ctrl-D to end
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

const usage = `usage: client [-network tcp|tcp4|tcp6|unix] [-addr ADDR] [MESSAGE ...]

Sends each MESSAGE as a line to the echo server and prints the reply.
With no MESSAGE it sends standard input to its end and prints everything
that comes back, so 'client < in > out' copies a file through the server.

  client hello
  client -addr '[::1]:1234' -network tcp6 hello
  client < big.bin > copy.bin

`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	network := flags.String("network", "tcp", "tcp, tcp4, tcp6 or unix")
	addr := flags.String("addr", "127.0.0.1:1234", "server address: host:port, or a file path for unix")
	timeout := flags.Duration("timeout", 5*time.Second, "give up connecting after this long")
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
		return fmt.Errorf("%v (see client -h)", err)
	}
	if err := checkNetwork(*network); err != nil {
		return err
	}
	if *timeout <= 0 {
		// DialTimeout would take 0 for no time-out at all, and a negative
		// one for a time-out already over.
		return fmt.Errorf("-timeout %v is out of range (use a duration above 0, such as 5s)", *timeout)
	}

	// net.Dial does socket() and connect(): when it returns, the three-way
	// handshake is done and the connection is ESTABLISHED.
	conn, err := net.DialTimeout(*network, *addr, *timeout)
	if err != nil {
		return dialError(*addr, err)
	}
	defer conn.Close()

	if flags.NArg() > 0 {
		if err := roundTrips(conn, flags.Args(), os.Stdout); err != nil {
			return err
		}
		return hangUp(conn)
	}
	return stream(conn, os.Stdin, os.Stdout)
}

// dialError says why we could not connect, and what to try.
func dialError(addr string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		// The machine answered, but no program listens on that port.
		return fmt.Errorf("cannot connect to %s: connection refused (is the server running? start it with: go run ./lessons/01-echo/server)", addr)
	}
	return fmt.Errorf("cannot connect: %w", err)
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
