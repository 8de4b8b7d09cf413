//go:build !linux

package sockopt

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"syscall"
)

// This lesson reads options back and sets the ones Go's net package has no
// method for on Linux only. Elsewhere the programs still run with Go's own
// options (-nodelay, -keepalive..., -linger) and say plainly what they
// cannot do here.

func linuxOnly(what string) error {
	return fmt.Errorf("%s is shown on Linux only in this lesson (this is %s)", what, runtime.GOOS)
}

func checkSystem(s *Settings) error {
	switch {
	case s.Show:
		return linuxOnly("-show")
	case s.RcvBuf > 0:
		return linuxOnly("-rcvbuf")
	case s.SndBuf > 0:
		return linuxOnly("-sndbuf")
	}
	return nil
}

// CheckListen rejects the listener options this system does not show.
func CheckListen(reuseAddr, reusePort bool, backlog int) error {
	switch {
	case !reuseAddr:
		return linuxOnly("-reuseaddr=false")
	case reusePort:
		return linuxOnly("-reuseport")
	case backlog > 0:
		return linuxOnly("-backlog")
	}
	return nil
}

// Control sets nothing: checkSystem has refused the buffer flags.
func (s *Settings) Control(network, address string, c syscall.RawConn) error { return nil }

// ListenControl sets nothing: CheckListen has refused its flags.
func (s *Settings) ListenControl(reuseAddr, reusePort bool) func(network, address string, c syscall.RawConn) error {
	return nil
}

// SetBacklog is refused by CheckListen.
func SetBacklog(ln *net.TCPListener, backlog int) error { return linuxOnly("-backlog") }

// Read is refused by checkSystem.
func Read(conn syscall.Conn) ([]Option, error) { return nil, errors.ErrUnsupported }
