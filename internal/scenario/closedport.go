package scenario

import (
	"fmt"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// closedPort is the command "closedport VAR": it sets VAR to an address of
// 127.0.0.1 where nothing listens, for a scenario about a client with no
// server. A server started and stopped only to learn a free port would
// give the port back, and a scenario running beside this one could take it
// before the client dials; so the port is bound by a socket that never
// listens, held until the scenario ends. A connection to it is refused.
func closedPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: closedport VAR")
	}
	port, release, err := bindWithoutListening()
	if err != nil {
		ts.Fatalf("closedport: %v", err)
	}
	ts.Defer(release)
	ts.Setenv(args[0], fmt.Sprintf("127.0.0.1:%d", port))
}

// bindWithoutListening binds a TCP socket to a free port of 127.0.0.1 and
// does not listen on it: the port is taken, and connections are refused.
// (The net package has no socket that is bound and not listening, so this
// is done with the system calls themselves.)
func bindWithoutListening() (port int, release func(), err error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return 0, nil, err
	}
	release = func() { _ = closeSocket(fd) } // nothing was sent on it
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		release()
		return 0, nil, err
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		release()
		return 0, nil, err
	}
	return sa.(*syscall.SockaddrInet4).Port, release, nil
}
