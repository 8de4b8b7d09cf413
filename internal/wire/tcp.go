package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// Options say how unkind the proxy is to a TCP stream. The zero value
// passes every chunk on as it was read.
type Options struct {
	// Split delivers at most Split bytes per write: 1 sends byte by byte,
	// so the other side's reads get one byte at a time. 0: off.
	Split int
	// Merge holds bytes back for this long after they arrive and delivers
	// everything that came meanwhile in one write, so several of the
	// sender's writes reach the other side as one read. 0: off.
	Merge time.Duration
	// Delay pauses before each write the proxy makes.
	Delay time.Duration
}

// Proxy forwards every TCP (or unix) connection it accepts to the server at
// To, and tells the story of each one on Log.
type Proxy struct {
	To string
	Options
	Log *Timeline // nil shows nothing
}

// Serve accepts clients on ln until ctx is cancelled, then closes every
// connection and returns once all of them are done.
func (p *Proxy) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for id := 1; ; id++ {
		client, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.relay(ctx, id, client)
		}()
	}
}

// How one direction of a connection ended.
type endKind int

const (
	finished endKind = iota // read EOF: the sender sent FIN
	reset                   // read ECONNRESET: the sender sent RST
	gone                    // a write failed: the receiver was no longer there
	stopped                 // the proxy closed the connection itself
)

type end struct {
	kind endKind
	who  string // the side that did it: "client" or "server"
}

// order numbers the ends of one connection's two directions as they
// happen, before either is passed on: which one reaches relay first is up
// to the scheduler, but which one happened first is not.
type order struct {
	mu   sync.Mutex
	ends []end
}

func (o *order) add(e end) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ends = append(o.ends, e)
}

// relay joins one client to a new connection to the server.
func (p *Proxy) relay(ctx context.Context, id int, client net.Conn) {
	defer client.Close()
	p.Log.Printf(id, "open: client %s", client.RemoteAddr())
	var d net.Dialer
	server, err := d.DialContext(ctx, network(p.To), p.To)
	if err != nil {
		// The client is already connected to us, so it cannot be refused
		// any more; a reset is the closest thing we can tell it.
		p.Log.Printf(id, "cannot reach the server at %s (%v), so the proxy resets the client", p.To, err)
		abort(client)
		return
	}
	defer server.Close()
	stop := context.AfterFunc(ctx, func() {
		client.Close()
		server.Close()
	})
	defer stop()

	var ends order
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(id, client, server, "client", "server", &ends) }()
	go func() { defer wg.Done(); p.pipe(id, server, client, "server", "client", &ends) }()
	wg.Wait()
	p.Log.Printf(id, "closed: %s", story(ends.ends[0], ends.ends[1]))
}

// pipe copies from src to dst, as unkindly as the options say, and passes
// on how src ended: FIN as a half-close, RST as a reset.
func (p *Proxy) pipe(id int, src, dst net.Conn, from, to string, ends *order) {
	buf := make([]byte, 32*1024)
	for {
		n, reads, err := p.read(src, buf)
		if n > 0 {
			p.Log.Printf(id, "%s → %s  %s%s  %s", from, to, bytesCount(n), p.how(n, reads), p.Log.show(buf[:n]))
			if werr := p.deliver(dst, buf[:n]); werr != nil {
				p.Log.Printf(id, "%s → %s  cannot deliver: the %s is gone (%v)", from, to, to, werr)
				ends.add(end{gone, to})
				abort(src)
				dst.Close()
				return
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			p.Log.Printf(id, "%s → %s  FIN: the %s has no more to send", from, to, from)
			ends.add(end{finished, from})
			closeWrite(dst)
			return
		case errors.Is(err, syscall.ECONNRESET):
			p.Log.Printf(id, "%s → %s  RST: the %s reset the connection", from, to, from)
			ends.add(end{reset, from})
			abort(dst)
			return
		default:
			ends.add(end{stopped, from}) // we closed it: the other direction failed, or shutdown
			return
		}
	}
}

// read reads what has arrived; with Merge it goes on reading until the
// sender has been quiet for Merge, and counts the reads it merged.
func (p *Proxy) read(src net.Conn, buf []byte) (n, reads int, err error) {
	n, err = src.Read(buf)
	if p.Merge <= 0 || err != nil {
		return n, 1, err
	}
	reads = 1
	// Without the deadline back at zero the next read would time out; a
	// connection that cannot take it is broken, and that read will say so.
	defer func() { _ = src.SetReadDeadline(time.Time{}) }()
	for n < len(buf) {
		if err := src.SetReadDeadline(time.Now().Add(p.Merge)); err != nil {
			return n, reads, err
		}
		m, err := src.Read(buf[n:])
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return n, reads, nil
		}
		n += m
		reads++
		if err != nil {
			return n, reads, err
		}
	}
	return n, reads, nil
}

// deliver writes b to dst in pieces of at most Split bytes.
func (p *Proxy) deliver(dst net.Conn, b []byte) error {
	size := len(b)
	if p.Split > 0 {
		size = p.Split
	}
	for len(b) > 0 {
		k := min(size, len(b))
		if p.Delay > 0 {
			time.Sleep(p.Delay)
		}
		if _, err := dst.Write(b[:k]); err != nil {
			return err
		}
		b = b[k:]
	}
	return nil
}

// bytesCount says "1 byte" or "n bytes".
func bytesCount(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// how says what the proxy did to a chunk, if anything.
func (p *Proxy) how(n, reads int) string {
	s := ""
	if reads > 1 {
		s += fmt.Sprintf(", %d reads merged into one write", reads)
	}
	if p.Split > 0 && n > p.Split {
		s += fmt.Sprintf(", split into %d writes", (n+p.Split-1)/p.Split)
	}
	return s
}

// story tells in plain words how a connection ended.
func story(first, second end) string {
	for _, e := range []end{first, second} {
		switch e.kind {
		case reset:
			return fmt.Sprintf("the %s reset the connection (RST). A program that closes its socket while bytes it has not read are waiting makes its kernel send RST instead of FIN; so does one that is killed, or that sets SO_LINGER to 0", e.who)
		case gone:
			return fmt.Sprintf("the %s went away while bytes were still on their way to it", e.who)
		}
	}
	if first.kind == finished && second.kind == finished {
		return fmt.Sprintf("the %s hung up first (FIN), then the %s: a clean close", first.who, second.who)
	}
	return "the proxy was stopped"
}

// network guesses the network of an address: host:port is TCP, anything
// else the path of a unix socket.
func network(addr string) string {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return "unix"
	}
	return "tcp"
}

// closeWrite half-closes conn (sends FIN) where it can, or closes it.
func closeWrite(conn net.Conn) {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		return
	}
	conn.Close()
}

// abort closes conn with RST rather than FIN, to pass a reset on.
func abort(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // if it fails, the close is a FIN: the best left to do
	}
	conn.Close()
}
