package main

import (
	"net"
	"sync"
	"time"
)

// timedConn is a TCP connection with Python's settimeout, the Go way.
//
// Python's socket has one time-out that applies to every call. Go's
// connection has deadlines instead: a point in time after which a blocked
// Read or Write gives up with os.ErrDeadlineExceeded. A deadline does not
// renew itself, so for "give up when one read waits longer than 2s" each
// Read first moves the read deadline to now + 2s, and each Write the write
// deadline.
//
// A deadline is also how another goroutine releases a blocked Read: set it
// in the past and the Read returns at once. interrupt does that, and the
// mutex makes sure a Read that starts later cannot move the deadline back
// into the future: once interrupted, the connection stays interrupted.
type timedConn struct {
	tcp         *net.TCPConn
	read, write time.Duration // 0: no limit, as a blocking socket

	mu      sync.Mutex
	stopped bool // interrupt was called
}

func (c *timedConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if c.read > 0 && !c.stopped {
		c.tcp.SetReadDeadline(time.Now().Add(c.read))
	}
	c.mu.Unlock()
	return c.tcp.Read(p)
}

func (c *timedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if c.write > 0 && !c.stopped {
		c.tcp.SetWriteDeadline(time.Now().Add(c.write))
	}
	c.mu.Unlock()
	return c.tcp.Write(p)
}

// interrupt releases a Read or Write blocked in another goroutine, and
// every later one, by setting the deadlines in the past.
func (c *timedConn) interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	c.tcp.SetDeadline(time.Unix(1, 0)) // any time in the past will do
}

func (c *timedConn) interrupted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// closeWrite half-closes: FIN, "no more from me"; we keep reading.
func (c *timedConn) closeWrite() error { return c.tcp.CloseWrite() }

func (c *timedConn) Close() error { return c.tcp.Close() }
