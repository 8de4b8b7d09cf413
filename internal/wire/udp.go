package wire

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// UDPOptions say how unkind the proxy is to datagrams. Percentages run
// from 0 to 100. The same Seed gives the same drops, duplicates and
// reorderings for the same datagrams, so a run can be repeated.
type UDPOptions struct {
	Drop    float64 // percent of datagrams lost
	Dup     float64 // percent of datagrams delivered twice
	Reorder bool    // hold every other datagram back and deliver it after the next
	Seed    uint64
	// Hold bounds how long Reorder keeps a datagram waiting for a next
	// one; DefaultHold when zero.
	Hold time.Duration
}

// DefaultHold is long enough for the next datagram of a busy sender, and
// short enough that a lone one is not mistaken for lost by most clients.
const DefaultHold = 200 * time.Millisecond

// UDPProxy forwards datagrams to the server at To. Each client address
// gets a socket of its own towards the server, so the server sees one
// sender per client, and its replies find their way back.
type UDPProxy struct {
	To string
	UDPOptions
	Log *Timeline

	mu   sync.Mutex
	rng  *rand.Rand
	held map[string]*heldBack // per client and direction: a datagram held back
}

// heldBack is a datagram Reorder keeps waiting for the next one.
type heldBack struct {
	once  sync.Once
	send  func()
	timer *time.Timer
}

func (h *heldBack) deliver() { h.once.Do(h.send) }

// Serve relays datagrams arriving on pc until ctx is cancelled.
func (p *UDPProxy) Serve(ctx context.Context, pc *net.UDPConn) error {
	server, err := net.ResolveUDPAddr("udp", p.To)
	if err != nil {
		return fmt.Errorf("server address: %w", err)
	}
	p.rng = rand.New(rand.NewPCG(p.Seed, p.Seed))
	p.held = make(map[string]*heldBack)
	defer p.forgetHeld()

	stop := context.AfterFunc(ctx, func() { pc.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()

	// Each client address gets its own socket towards the server.
	type session struct {
		id   int
		conn *net.UDPConn
	}
	sessions := make(map[string]*session)
	defer func() {
		for _, s := range sessions {
			s.conn.Close()
		}
	}()
	buf := make([]byte, 64*1024)
	for {
		n, client, err := pc.ReadFromUDP(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			continue // e.g. an ICMP error from an earlier send: nothing to relay
		}
		s, ok := sessions[client.String()]
		if !ok {
			conn, err := net.DialUDP("udp", nil, server)
			if err != nil {
				return fmt.Errorf("socket to the server: %w", err)
			}
			s = &session{id: len(sessions) + 1, conn: conn}
			sessions[client.String()] = s
			p.Log.Printf(s.id, "new client %s, relayed from %s", client, conn.LocalAddr())
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.replies(s.id, conn, pc, client)
			}()
		}
		msg := append([]byte(nil), buf[:n]...)
		p.forward(s.id, "client → server", client.String()+">", msg, func(b []byte) {
			if _, err := s.conn.Write(b); err != nil {
				p.Log.Printf(s.id, "client → server  %v", err) // lost, as a datagram may be
			}
		})
	}
}

// replies relays the server's answers to one client until the session's
// socket is closed.
func (p *UDPProxy) replies(id int, s *net.UDPConn, pc *net.UDPConn, client *net.UDPAddr) {
	buf := make([]byte, 64*1024)
	for {
		n, err := s.Read(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// Typically "connection refused": no server on that port.
			p.Log.Printf(id, "server → client  %v", err)
			continue
		}
		msg := append([]byte(nil), buf[:n]...)
		p.forward(id, "server → client", client.String()+"<", msg, func(b []byte) {
			if _, err := pc.WriteToUDP(b, client); err != nil {
				p.Log.Printf(id, "server → client  %v", err)
			}
		})
	}
}

// forward decides the fate of one datagram and delivers it (or not).
func (p *UDPProxy) forward(id int, dir, key string, msg []byte, send func([]byte)) {
	p.mu.Lock()
	drop := p.rng.Float64()*100 < p.Drop
	dup := p.rng.Float64()*100 < p.Dup
	held, waiting := p.held[key]
	hold := p.Reorder && !waiting && !drop
	p.mu.Unlock()

	what := fmt.Sprintf("%s  %s  %s", dir, bytesCount(len(msg)), p.Log.show(msg))
	switch {
	case drop:
		p.Log.Printf(id, "%s  DROPPED", what)
		return
	case hold:
		p.Log.Printf(id, "%s  held back, to arrive after the next one", what)
		h := &heldBack{send: func() {
			p.Log.Printf(id, "%s  %s delivered late (reordered)", dir, bytesCount(len(msg)))
			send(msg)
		}}
		wait := p.Hold
		if wait <= 0 {
			wait = DefaultHold
		}
		p.mu.Lock()
		p.held[key] = h
		h.timer = time.AfterFunc(wait, func() { p.release(key, h) })
		p.mu.Unlock()
		return
	}
	if dup {
		p.Log.Printf(id, "%s  DUPLICATED", what)
		send(msg)
	} else {
		p.Log.Printf(id, "%s", what)
	}
	send(msg)
	if waiting {
		p.release(key, held)
	}
}

// release delivers a held datagram, once, and forgets it.
func (p *UDPProxy) release(key string, h *heldBack) {
	p.mu.Lock()
	if p.held[key] == h {
		delete(p.held, key)
	}
	p.mu.Unlock()
	h.deliver()
}

// forgetHeld drops the datagrams still held back when the proxy stops.
func (p *UDPProxy) forgetHeld() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, h := range p.held {
		h.timer.Stop()
		delete(p.held, key)
	}
}
