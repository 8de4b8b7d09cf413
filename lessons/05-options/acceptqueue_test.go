package lesson_test

// A script command of this lesson's own:
//
//	acceptqueue ADDR N    wait until N connections wait in the accept queue
//	                      of the listener on ADDR (127.0.0.1:PORT, Linux)
//
// The backlog scenarios need to know that the kernel has queued the
// connections they made before they try one more, and the script cannot
// see inside the server. The kernel shows it to anyone, though: in
// /proc/net/tcp, a listening socket's rx_queue column is the number of
// finished handshakes waiting for Accept (`ss -ltn` shows the same number
// as Recv-Q). Waiting for that number makes what follows certain, not
// likely: a scenario never sleeps and hopes.

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/procnet"
	"github.com/socketbook/socketbook/internal/scenario"
)

func acceptQueue(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: acceptqueue ADDR N")
	}
	addr, err := netip.ParseAddrPort(args[0])
	if err != nil || !addr.Addr().Is4() {
		ts.Fatalf("acceptqueue: want an IPv4 address with a port, got %q", args[0])
	}
	want, err := strconv.Atoi(args[1])
	if err != nil || want < 0 {
		ts.Fatalf("acceptqueue: want a number of connections, got %q", args[1])
	}
	// Not a timing assertion: the kernel queues a connection long before.
	deadline := scenario.Patience(ts, "connections in the accept queue")
	got := -1
	for {
		n, found, err := procnet.ListenQueue(addr)
		if err != nil {
			ts.Fatalf("acceptqueue: %v", err)
		}
		if found {
			got = n
		}
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			if got < 0 {
				scenario.Hang(ts, "no listener on %s", addr)
			}
			scenario.Hang(ts, "%d connections wait in the accept queue of %s, not %d", got, addr, want)
		}
		time.Sleep(10 * time.Millisecond) // poll; the wait ends as soon as the count is right
	}
}
