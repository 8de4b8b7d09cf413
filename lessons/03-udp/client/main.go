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
	"bytes"
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
	if err := checkNumbers(*timeout, *retries, *floodN); err != nil {
		return err
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

// maxRetries bounds -retries: each try waits twice as long as the one
// before, so the twentieth after a 1s time-out waits 12 days, and a few
// dozen would overflow the wait into a negative one (a try that gives up
// at once). With -timeout at most 1h, 20 never overflows.
const maxRetries = 20

// checkNumbers rejects numbers that would make no sense, naming the flag,
// the value and the range it takes.
func checkNumbers(timeout time.Duration, retries, flood int) error {
	switch {
	case timeout <= 0 || timeout > time.Hour:
		return fmt.Errorf("-timeout %v is out of range (use a duration above 0, up to 1h)", timeout)
	case retries < 0 || retries > maxRetries:
		return fmt.Errorf("-retries %d is out of range (use 0 to %d)", retries, maxRetries)
	case flood < 0:
		return fmt.Errorf("-flood %d is out of range (use 0 for none, or more)", flood)
	}
	return nil
}

// askLines sends each line of in as one datagram (without its newline).
func (c *caller) askLines(in io.Reader, out io.Writer) error {
	lines := bufio.NewScanner(in)
	// Room for the largest datagram and its line ending; a longer line
	// stops the scanner with bufio.ErrTooLong.
	limit, _ := maxPayload(c.server.IP)
	lines.Buffer(make([]byte, 4096), limit+2)
	i := 0
	for lines.Scan() {
		i++
		if err := c.askAndPrint(i, lines.Bytes(), out); err != nil {
			return err
		}
	}
	if errors.Is(lines.Err(), bufio.ErrTooLong) {
		return c.tooBig(i + 1)
	}
	return lines.Err()
}

// askAndPrint sends message number i and prints its reply on a line.
func (c *caller) askAndPrint(i int, msg []byte, out io.Writer) error {
	if limit, _ := maxPayload(c.server.IP); len(msg) > limit {
		return c.tooBig(i)
	}
	reply, err := c.ask(msg)
	if err != nil {
		return err
	}
	// An upper-cased reply cannot begin in lower case: this is the
	// server saying why it cannot answer (a reply too big to send).
	if why, ok := bytes.CutPrefix(reply, []byte("error: ")); ok {
		return fmt.Errorf("the server cannot answer message %d: %s", i, why)
	}
	_, err = fmt.Fprintf(out, "%s\n", reply)
	return err
}

// tooBig is checked before sending: the kernel would refuse with "message
// too long" (EMSGSIZE), which does not say what the limit is.
func (c *caller) tooBig(i int) error {
	limit, family := maxPayload(c.server.IP)
	return fmt.Errorf("message %d is over %d bytes, the most one UDP datagram can carry over %s (send less, or use TCP for big data)", i, limit, family)
}

// maxPayload is the most one UDP datagram can carry to ip, and the name of
// ip's version. An IP packet's length field has 16 bits, 65,535 bytes, and
// UDP's header takes 8 of them. IPv4's length counts its own 20-byte header
// too, which leaves 65,507; IPv6's does not count its header, which leaves
// 65,527.
func maxPayload(ip net.IP) (int, string) {
	if ip.To4() != nil {
		return 65507, "IPv4"
	}
	return 65527, "IPv6"
}

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "udp", "udp4", "udp6":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network udp, udp4 or udp6)", network)
}
