// Client is lesson 01's echo client. It sends its arguments, or its
// standard input, to the echo server and prints what comes back.
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

// roundTrips sends each message as one line and waits for all of it to
// come back before sending the next.
func roundTrips(conn net.Conn, msgs []string, out io.Writer) error {
	for _, msg := range msgs {
		line := []byte(msg + "\n") // a Go string is UTF-8 bytes already
		if _, err := conn.Write(line); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		// One Read returns whatever has arrived, which may be less than we
		// sent: TCP delivers a stream of bytes, not messages. io.ReadFull
		// keeps reading until it has every byte we expect.
		reply := make([]byte, len(line))
		if n, err := io.ReadFull(conn, reply); err != nil {
			return fmt.Errorf("the server closed the connection after echoing %d of %d bytes", n, len(line))
		}
		if _, err := out.Write(reply); err != nil {
			return err
		}
	}
	return nil
}

// hangUp ends the conversation politely: it half-closes (FIN: "no more
// from me") and reads until the server closes its side too. When it returns,
// the server has seen our end, so the client's exit means the server is done.
func hangUp(conn net.Conn) error {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		if err := cw.CloseWrite(); err != nil {
			return err
		}
	}
	extra, err := io.Copy(io.Discard, conn)
	if err != nil {
		return fmt.Errorf("hang up: %w", err)
	}
	if extra > 0 {
		return fmt.Errorf("the server sent %d bytes more than we sent it", extra)
	}
	return nil
}

// sent is what the sending half of stream reports when it is done.
type sent struct {
	n   int64
	err error
}

// stream sends everything from in and copies the echo to out, both at once:
// sending all first and reading after would stall once the kernel's buffers
// are full, the server blocked writing to us and we blocked writing to it.
func stream(conn net.Conn, in io.Reader, out io.Writer) error {
	done := make(chan sent, 1)
	go func() {
		n, err := io.Copy(conn, in)
		done <- sent{n, err} // before the FIN below, so it is here by the time the echo ends
		// Half-close: send FIN to say "no more from me" while we keep
		// reading. The server reads io.EOF, finishes echoing and closes.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
	}()

	got, err := io.Copy(out, conn)
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	select {
	case s := <-done:
		if s.err != nil {
			return fmt.Errorf("send: %w", s.err)
		}
		if got != s.n {
			return fmt.Errorf("sent %d bytes but got %d back", s.n, got)
		}
		return nil
	default:
		// The server hung up while we still had input to send.
		return fmt.Errorf("the server closed the connection after echoing %d bytes, before the end of the input", got)
	}
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
