// Client is lesson 03's UDP client. It sends each message as one datagram
// to the upper-case server and prints the reply. Nothing promises that a
// datagram or its reply arrives, so it waits only so long, and tries again:
// that round trip is in ask.go. This file reads the flags and the messages.
//
//	go run ./lessons/03-udp/client hello world       # two datagrams, two replies
//	go run ./lessons/03-udp/client < notes.txt        # one datagram per line
//	go run ./lessons/03-udp/client -flood 10000       # how much gets lost?
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

const usage = `usage: client [-network udp|udp4|udp6] [-addr ADDR] [-timeout D] [-retries N]
              [-local ADDR] [-connected] [-flood N] [MESSAGE ...]

Sends each MESSAGE (or each line of standard input) as one datagram to the
upper-case server and prints the reply. A datagram may be lost, so the
client waits -timeout for a reply, then sends again, up to -retries times,
doubling the wait each time.

  client hello
  client -timeout 200ms -retries 5 hello
  client -local 127.0.0.1:5000 hello      send from a fixed port
  client -connected hello                 a connected socket: hears "refused"
  client -flood 10000                     send 10000 datagrams at once, count the losses

`

// maxDatagram is the largest payload one UDP datagram can carry over IPv4:
// 65,535 bytes of IP packet, less 20 of IP header and 8 of UDP header.
const maxDatagram = 65507

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	network := flags.String("network", "udp", "udp, udp4 or udp6")
	addr := flags.String("addr", "127.0.0.1:9999", "server address, host:port")
	timeout := flags.Duration("timeout", time.Second, "wait this long for the first reply; each retry waits twice as long")
	retries := flags.Int("retries", 3, "send a message again this many times before giving up")
	local := flags.String("local", "", "send from this local `address` (host:port) instead of a port the kernel picks")
	connected := flags.Bool("connected", false, "use a connected socket: talk to the server only, and hear when its port is closed")
	floodN := flags.Int("flood", 0, "send this many datagrams as fast as possible and count the replies")
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
	if *timeout <= 0 || *retries < 0 || *floodN < 0 {
		return errors.New("-timeout must be above zero, -retries and -flood zero or more (see client -h)")
	}

	c := &caller{network: *network, timeout: *timeout, tries: *retries + 1, connected: *connected}
	var err error
	if c.server, err = net.ResolveUDPAddr(*network, *addr); err != nil {
		return fmt.Errorf("bad -addr: %w", err)
	}
	if *local != "" {
		if c.local, err = net.ResolveUDPAddr(*network, *local); err != nil {
			return fmt.Errorf("bad -local: %w", err)
		}
	}

	if *floodN > 0 {
		return c.flood(*floodN, os.Stdout)
	}
	if flags.NArg() > 0 {
		for i, msg := range flags.Args() {
			if err := c.askAndPrint(i+1, []byte(msg), os.Stdout); err != nil {
				return err
			}
		}
		return nil
	}
	return c.askLines(os.Stdin, os.Stdout)
}

// askLines sends each line of in as one datagram (without its newline).
func (c *caller) askLines(in io.Reader, out io.Writer) error {
	lines := bufio.NewScanner(in)
	// Room for the largest datagram and its line ending; a longer line
	// stops the scanner with bufio.ErrTooLong.
	lines.Buffer(make([]byte, 4096), maxDatagram+2)
	i := 0
	for lines.Scan() {
		i++
		if err := c.askAndPrint(i, lines.Bytes(), out); err != nil {
			return err
		}
	}
	if errors.Is(lines.Err(), bufio.ErrTooLong) {
		return tooBig(i + 1)
	}
	return lines.Err()
}

// askAndPrint sends message number i and prints its reply on a line.
func (c *caller) askAndPrint(i int, msg []byte, out io.Writer) error {
	if len(msg) > maxDatagram {
		return tooBig(i)
	}
	reply, err := c.ask(msg)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", reply)
	return err
}

// tooBig is checked before sending: the kernel would refuse with "message
// too long" (EMSGSIZE), which does not say what the limit is.
func tooBig(i int) error {
	return fmt.Errorf("message %d is over %d bytes, the most one UDP datagram can carry over IPv4 (send less, or use TCP for big data)", i, maxDatagram)
}

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "udp", "udp4", "udp6":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network udp, udp4 or udp6)", network)
}
