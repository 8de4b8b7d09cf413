//go:build linux

package sockopt

import (
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// checkSystem: Linux can do everything this lesson shows.
func checkSystem(*Settings) error { return nil }

// CheckListen: Linux can do everything this lesson shows.
func CheckListen(reuseAddr, reusePort bool, backlog int) error { return nil }

// Control sets what must be set before connect: the buffer sizes. The
// kernel picks the TCP window scale during the handshake from the receive
// buffer, so setting SO_RCVBUF after Dial would be too late to matter.
// Use it as net.Dialer's Control.
func (s *Settings) Control(network, address string, c syscall.RawConn) error {
	return setInts(c, s.buffers())
}

// ListenControl returns a net.ListenConfig Control that sets the
// listener's options between socket() and bind(), the only moment they can
// be set: SO_REUSEADDR and SO_REUSEPORT decide whether bind succeeds, and
// the buffers are inherited by every connection the listener accepts, even
// one that waits in the backlog and is never accepted.
func (s *Settings) ListenControl(reuseAddr, reusePort bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		// Go has already turned SO_REUSEADDR on for us; we only ever
		// turn it off, to show what it is for.
		opts := s.buffers()
		if !reuseAddr {
			opts = append(opts, intOpt{"SO_REUSEADDR", unix.SOL_SOCKET, unix.SO_REUSEADDR, 0})
		}
		if reusePort {
			opts = append(opts, intOpt{"SO_REUSEPORT", unix.SOL_SOCKET, unix.SO_REUSEPORT, 1})
		}
		return setInts(c, opts)
	}
}

// SetBacklog changes the listen backlog of a listening socket. Go always
// asks for the most the system allows (net.core.somaxconn); Linux lets a
// program call listen() again on a listening socket to change it, which is
// the only way to a small backlog without building the socket by hand.
func SetBacklog(ln *net.TCPListener, backlog int) error {
	c, err := ln.SyscallConn()
	if err != nil {
		return err
	}
	var lerr error
	err = c.Control(func(fd uintptr) { lerr = unix.Listen(int(fd), backlog) })
	if err != nil {
		return err
	}
	if lerr != nil {
		return fmt.Errorf("listen(backlog %d): %w", backlog, lerr)
	}
	return nil
}

// intOpt is one integer socket option to set.
type intOpt struct {
	name       string
	level, opt int
	value      int
}

func (s *Settings) buffers() []intOpt {
	var opts []intOpt
	if s.RcvBuf > 0 {
		opts = append(opts, intOpt{"SO_RCVBUF", unix.SOL_SOCKET, unix.SO_RCVBUF, s.RcvBuf})
	}
	if s.SndBuf > 0 {
		opts = append(opts, intOpt{"SO_SNDBUF", unix.SOL_SOCKET, unix.SO_SNDBUF, s.SndBuf})
	}
	return opts
}

// setInts sets opts on the socket behind c. RawConn.Control lends us the
// file descriptor for the length of the function, and no longer: Go's
// runtime owns it and may close it once we return.
func setInts(c syscall.RawConn, opts []intOpt) error {
	// Solution: setsockopt by hand (README: "Buffer sizes").
	// Borrow the socket's file descriptor with c.Control and set each option with
	// unix.SetsockoptInt; name the option in the error.

	var serr error
	err := c.Control(func(fd uintptr) {
		for _, o := range opts {
			if err := unix.SetsockoptInt(int(fd), o.level, o.opt, o.value); err != nil {
				serr = fmt.Errorf("%s: %w", o.name, err)
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return serr
	// End of solution: setsockopt by hand.
}

// Read asks the kernel for the options of conn's socket (getsockopt), so
// the table shows what the socket has, whoever set it.
func Read(conn syscall.Conn) ([]Option, error) {
	c, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var opts []Option
	var rerr error
	err = c.Control(func(fd uintptr) { opts, rerr = read(int(fd)) })
	if err != nil {
		return nil, err
	}
	return opts, rerr
}

func read(fd int) ([]Option, error) {
	var opts []Option
	var err error
	// get reads one integer option and adds it as a row, written by show.
	get := func(name string, level, opt int, show func(int) string) {
		if err != nil {
			return
		}
		var v int
		v, err = unix.GetsockoptInt(fd, level, opt)
		if err != nil {
			err = fmt.Errorf("getsockopt %s: %w", name, err)
			return
		}
		opts = append(opts, Option{name, show(v)})
	}
	seconds := func(v int) string { return (time.Duration(v) * time.Second).String() }
	bytes := func(v int) string { return strconv.Itoa(v) + " bytes" }

	get("SO_REUSEADDR", unix.SOL_SOCKET, unix.SO_REUSEADDR, onOff)
	get("SO_REUSEPORT", unix.SOL_SOCKET, unix.SO_REUSEPORT, onOff)
	get("SO_KEEPALIVE", unix.SOL_SOCKET, unix.SO_KEEPALIVE, onOff)
	get("TCP_KEEPIDLE", unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, seconds)
	get("TCP_KEEPINTVL", unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, seconds)
	get("TCP_KEEPCNT", unix.IPPROTO_TCP, unix.TCP_KEEPCNT, strconv.Itoa)
	get("TCP_NODELAY", unix.IPPROTO_TCP, unix.TCP_NODELAY, onOff)
	get("SO_RCVBUF", unix.SOL_SOCKET, unix.SO_RCVBUF, bytes)
	get("SO_SNDBUF", unix.SOL_SOCKET, unix.SO_SNDBUF, bytes)
	if err != nil {
		return nil, err
	}
	// SO_LINGER is a pair: on or off, and for how long.
	l, err := unix.GetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER)
	if err != nil {
		return nil, fmt.Errorf("getsockopt SO_LINGER: %w", err)
	}
	linger := "off"
	if l.Onoff != 0 {
		linger = "on, " + seconds(int(l.Linger))
	}
	return append(opts, Option{"SO_LINGER", linger}), nil
}

// onOff names a boolean option's value.
func onOff(v int) string {
	if v != 0 {
		return "on"
	}
	return "off"
}
