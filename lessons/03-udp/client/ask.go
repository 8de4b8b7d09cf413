package main

// One message's round trip: send a datagram, wait for the reply, and send
// again when none comes in time.

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

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

	// Solution: the retry loop (README: "Time-outs and retries").
	// Send msg and wait c.timeout for the reply; when none comes, send again and
	// wait twice as long, c.tries times in all, then give up with c.noReply().

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
	// End of solution: the retry loop.
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
