// Package sockopt holds the socket options that lesson 05's server and
// client both switch with flags, sets them, and reads them back from the
// kernel, so a student sees what the socket really has rather than what the
// program asked for. (The kernel may say no, or round, or double a value:
// see SO_RCVBUF in the README.)
//
// What Go's net package can set, it sets here through net's own methods,
// which work on every system. What it cannot (SO_REUSEADDR off,
// SO_REUSEPORT, buffer sizes before connect or listen, the backlog) and
// reading back go through syscall.RawConn in sockopt_linux.go; other
// systems get sockopt_other.go, which says plainly that this lesson shows
// those on Linux only.
package sockopt

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"time"
)

// Settings are the options both programs share. The zero values of the
// flags below are Go's defaults, so each demonstration changes one thing.
type Settings struct {
	NoDelay   bool          // TCP_NODELAY: Go turns it on (Nagle off)
	KeepAlive bool          // SO_KEEPALIVE: Go turns it on
	KeepIdle  time.Duration // TCP_KEEPIDLE; 0 means Go's default, 15s
	KeepIntvl time.Duration // TCP_KEEPINTVL; 0 means Go's default, 15s
	KeepCount int           // TCP_KEEPCNT; 0 means Go's default, 9
	RcvBuf    int           // SO_RCVBUF in bytes; 0 keeps the kernel's default
	SndBuf    int           // SO_SNDBUF in bytes; 0 keeps the kernel's default
	Linger    int           // SO_LINGER in seconds; -1 (Go's default) leaves it off
	Show      bool          // print the options read back from the kernel
}

// AddFlags defines the shared flags on fs, with Go's defaults.
func (s *Settings) AddFlags(fs *flag.FlagSet) {
	fs.BoolVar(&s.NoDelay, "nodelay", true, "TCP_NODELAY: send small writes at once (false turns Nagle's algorithm on)")
	fs.BoolVar(&s.KeepAlive, "keepalive", true, "SO_KEEPALIVE: probe a silent peer to find out whether it is still there")
	fs.DurationVar(&s.KeepIdle, "keepidle", 0, "TCP_KEEPIDLE: silence before the first probe (0: Go's 15s)")
	fs.DurationVar(&s.KeepIntvl, "keepintvl", 0, "TCP_KEEPINTVL: time between probes (0: Go's 15s)")
	fs.IntVar(&s.KeepCount, "keepcnt", 0, "TCP_KEEPCNT: unanswered probes before giving up (0: Go's 9)")
	fs.IntVar(&s.RcvBuf, "rcvbuf", 0, "SO_RCVBUF: receive buffer in `bytes` (0: the kernel's default)")
	fs.IntVar(&s.SndBuf, "sndbuf", 0, "SO_SNDBUF: send buffer in `bytes` (0: the kernel's default)")
	fs.IntVar(&s.Linger, "linger", -1, "SO_LINGER in `seconds`: -1 off (Go's default), 0 close with RST")
	fs.BoolVar(&s.Show, "show", false, "print the socket's options, read back from the kernel")
}

// The largest values the kernels take. Linux counts keep-alive time in
// whole seconds, up to 32767, and probes up to 127; Windows keeps the
// linger time in 16 bits. A larger value would be refused (every
// connection would fail to get its options) or cut to another number.
const (
	maxKeepSeconds = 32767
	maxKeepCount   = 127
	maxLinger      = 65535
	maxBuffer      = math.MaxInt32 // the kernel's int; it caps it lower still (net.core.rmem_max)
)

// Check rejects values no socket can take, naming the flag, the value and
// the range it takes, before anything is opened.
func (s *Settings) Check() error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"keepidle", s.KeepIdle}, {"keepintvl", s.KeepIntvl}} {
		if d.v != 0 && (d.v < time.Second || d.v > maxKeepSeconds*time.Second || d.v%time.Second != 0) {
			return fmt.Errorf("-%s %v is out of range (use 0 for Go's 15s, or whole seconds from 1s to %ds)", d.flag, d.v, maxKeepSeconds)
		}
	}
	if s.KeepCount < 0 || s.KeepCount > maxKeepCount {
		return fmt.Errorf("-keepcnt %d is out of range (use 0 for Go's 9, or 1 to %d)", s.KeepCount, maxKeepCount)
	}
	for _, n := range []struct {
		flag string
		v    int
	}{{"rcvbuf", s.RcvBuf}, {"sndbuf", s.SndBuf}} {
		if n.v < 0 || n.v > maxBuffer {
			return fmt.Errorf("-%s %d is out of range (use 0 for the kernel's default, or 1 to %d bytes)", n.flag, n.v, maxBuffer)
		}
	}
	if s.Linger < -1 || s.Linger > maxLinger {
		return fmt.Errorf("-linger %d is out of range (use -1 for off, 0 to close with RST, or 1 to %d seconds)", s.Linger, maxLinger)
	}
	return checkSystem(s)
}

// KeepAliveConfig is Settings' keep-alive in the form Go takes it. Zero
// fields mean Go's defaults.
func (s *Settings) KeepAliveConfig() net.KeepAliveConfig {
	return net.KeepAliveConfig{Enable: s.KeepAlive, Idle: s.KeepIdle, Interval: s.KeepIntvl, Count: s.KeepCount}
}

// Apply sets the options of an open connection that Go's net package can
// set itself, portably. (Buffers were set by Control, before connect or
// listen.) An accepted connection gets them after Accept; a dialled one
// after Dial.
func (s *Settings) Apply(conn *net.TCPConn) error {
	// Solution: the connection setup (README: "Start from Go's defaults").
	// Set TCP_NODELAY, the keep-alive settings and, unless s.Linger is -1,
	// SO_LINGER on conn, each with the net package's own method; name the option
	// in the error.

	if err := conn.SetNoDelay(s.NoDelay); err != nil {
		return fmt.Errorf("TCP_NODELAY: %w", err)
	}
	if err := conn.SetKeepAliveConfig(s.KeepAliveConfig()); err != nil {
		return fmt.Errorf("keep-alive: %w", err)
	}
	if s.Linger >= 0 {
		if err := conn.SetLinger(s.Linger); err != nil {
			return fmt.Errorf("SO_LINGER: %w", err)
		}
	}
	return nil
	// End of solution: the connection setup.
}

// Option is one row of the table that -show prints.
type Option struct {
	Name  string // as C and Python spell it, SO_RCVBUF
	Value string // as the kernel reports it, in words
}

// Print writes options as an aligned table, one option a line.
func Print(w io.Writer, opts []Option) {
	for _, o := range opts {
		fmt.Fprintf(w, "%-14s %s\n", o.Name, o.Value)
	}
}
