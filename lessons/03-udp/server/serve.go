package main

// The serving loop: read a datagram and its sender, answer that sender,
// repeat. This is the lesson; main.go only starts it.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
)

// newDropper returns the random source that decides which datagrams to
// drop. It is seeded, so the same seed drops the same datagrams on every
// run: a scenario that loses packets on purpose is still repeatable.
func newDropper(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0))
}

// server holds what the serving loop needs. One goroutine reads and
// answers, one datagram after another, so rng needs no lock.
type server struct {
	max  int        // largest datagram read whole
	drop int        // percent of datagrams to drop
	rng  *rand.Rand // decides which ones
}

// serve reads datagrams until ctx is cancelled. Compare lesson 01: there is
// no Accept, because there are no connections. Every ReadFromUDP may come
// from a different client, and the address it returns is the only thing
// that says which one.
func (s *server) serve(ctx context.Context, conn *net.UDPConn) error {
	// Closing the socket is the only way to wake a blocked read.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	// Solution: the datagram loop (README: "No connection: one socket for everyone").
	// Read datagrams into a buffer one byte bigger than s.max, and answer each with
	// s.handle and the address it came from, until the socket is closed (return nil
	// then); log any other read error and go on.

	// One byte more than the largest datagram we answer: if a read fills
	// it, the datagram was longer than max, and the kernel has thrown the
	// rest away. (Any datagram is cut to fit the buffer, without an error.)
	buf := make([]byte, s.max+1)
	for {
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil // we closed the socket ourselves: a normal stop
			}
			// e.g. Windows reports an ICMP error from an earlier reply
			// here. It concerns one client, so we log it and go on.
			log.Printf("read failed: %v", err)
			continue
		}
		s.handle(conn, from, buf[:n])
	}
	// End of solution: the datagram loop.
}

// handle answers one datagram, or says why it does not. It logs before it
// answers, so by the time a client has its reply the line is in the log.
func (s *server) handle(conn *net.UDPConn, from *net.UDPAddr, data []byte) {
	// Solution: the answer (README: "Datagrams, not a stream").
	// Answer one datagram with upper(data), sent back to from in one
	// WriteToUDP; but not one over s.max (it was cut), nor one -drop says to
	// drop, and not a reply too big for one datagram (send a short error line
	// instead). Log each case before you answer.

	switch {
	case len(data) > s.max:
		// Answering would send back cut data as if it were the message.
		log.Printf("%s sent more than %d bytes: truncated, not answered (raise -max)", from, s.max)
		return
	case s.rng.IntN(100) < s.drop:
		log.Printf("%s sent %d bytes: dropped (-drop %d)", from, len(data), s.drop)
		return
	}
	reply, note := upper(data), ""
	if limit, family := maxPayload(from.IP); len(reply) > limit {
		// The reply grew past what one datagram carries (see upper). The
		// client would wait in vain for it: tell it why instead, in a
		// reply no upper-cased text can be, since it is in lower case.
		note = fmt.Sprintf(": the reply would be %d, over %d: told so", len(reply), limit)
		reply = fmt.Appendf(nil, "error: the reply would be %d bytes, over the %d one UDP datagram can carry over %s", len(reply), limit, family)
	}
	log.Printf("%s sent %d bytes%s", from, len(data), note)
	// WriteToUDP sends one whole datagram to that one address.
	if _, err := conn.WriteToUDP(reply, from); err != nil {
		log.Printf("%s: cannot answer: %v", from, err)
	}
	// End of solution: the answer.
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
