// Client is lesson 03's UDP client. It sends each message as one datagram
// to the upper-case server and prints the reply. Nothing promises that a
// datagram or its reply arrives, so it waits only so long, and tries again.
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
	"syscall"
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

// caller sends messages to one server and waits for the replies.
type caller struct {
	network   string
	server    *net.UDPAddr
	local     *net.UDPAddr // nil: the kernel picks a free port
	connected bool
	timeout   time.Duration // the first wait; each retry waits twice as long
	tries     int           // 1 + the number of retries
}

// open makes a socket for talking to the server. Unconnected, it is
// ListenUDP: a bound socket that can send to anyone and hears from anyone.
// Connected, it is DialUDP: connect() sends nothing, it only fixes the peer,
// so the kernel drops datagrams from anybody else and, on Linux and macOS,
// reports an ICMP "port unreachable" as ECONNREFUSED.
func (c *caller) open() (*net.UDPConn, error) {
	var conn *net.UDPConn
	var err error
	if c.connected {
		conn, err = net.DialUDP(c.network, c.local, c.server)
	} else {
		conn, err = net.ListenUDP(c.network, c.local)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open a UDP socket: %w", err)
	}
	return conn, nil
}

// ask sends msg and returns the reply, sending it again when no reply comes
// in time. Each message gets a fresh socket, and so a fresh port: a late
// reply to an earlier message then lands on a closed port instead of being
// taken for this message's reply. (With -local the port is the same every
// time; the exercises fix that with sequence numbers.)
func (c *caller) ask(msg []byte) ([]byte, error) {
	conn, err := c.open()
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	wait := c.timeout
	for try := 1; try <= c.tries; try++ {
		if err := c.send(conn, msg); err != nil {
			return nil, err
		}
		reply, err := c.receive(conn, wait)
		if err == nil {
			return reply, nil
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, err
		}
		// Back off: if the server or the network is busy, sending again
		// at once would only add to the load. Resending is safe here
		// because asking twice gives the same answer (it is idempotent).
		wait *= 2
	}
	return nil, c.noReply()
}

// send writes msg as one datagram: sendto() on an unconnected socket,
// send() on a connected one.
func (c *caller) send(conn *net.UDPConn, msg []byte) error {
	var err error
	if c.connected {
		_, err = conn.Write(msg)
	} else {
		_, err = conn.WriteToUDP(msg, c.server)
	}
	if err != nil {
		return c.explain(err)
	}
	return nil
}

// receive waits up to wait for a datagram from the server and returns it.
// An unconnected socket hears from anyone, so a datagram from another
// address is not our reply: we ignore it and keep waiting.
func (c *caller) receive(conn *net.UDPConn, wait time.Duration) ([]byte, error) {
	// 64 KiB holds any datagram, even over IPv6 (65,527 bytes at most).
	buf := make([]byte, 64*1024)
	conn.SetReadDeadline(time.Now().Add(wait))
	for {
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			return nil, c.explain(err)
		}
		if from.IP.Equal(c.server.IP) && from.Port == c.server.Port {
			return buf[:n], nil
		}
	}
}

// explain says what went wrong in a send or a receive. A connected socket
// learns from the ICMP "port unreachable" that came back for an earlier
// datagram, and reports it at the next read or write: ECONNREFUSED.
func (c *caller) explain(err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("no server at %s: connection refused (the machine answered with ICMP \"port unreachable\"; start the server with: go run ./lessons/03-udp/server)", c.server)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err // not an error yet: ask decides whether to try again
	}
	return fmt.Errorf("%s: %w", c.server, err)
}

// noReply is what the caller says after the last try. Over UDP silence is
// all there is: the server may be down, or every datagram, or every reply,
// may have been lost. The client cannot tell which.
func (c *caller) noReply() error {
	tries := "tries"
	if c.tries == 1 {
		tries = "try"
	}
	return fmt.Errorf("no reply from %s after %d %s (is the server running? start it with: go run ./lessons/03-udp/server)", c.server, c.tries, tries)
}

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "udp", "udp4", "udp6":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network udp, udp4 or udp6)", network)
}
