// Package procnet reads what Linux shows anyone of every IPv4 socket in
// /proc/net/tcp and /proc/net/udp: how many finished handshakes wait in a
// listener's accept queue (`ss -ltn` calls it Recv-Q), and how many bytes
// wait in a UDP socket's receive queue. Scenarios wait on those numbers,
// which makes what follows certain rather than likely: a script never
// sleeps and hopes. Other systems have no such files, and the functions
// say so with an error.
//
// A line of either table looks like this (addresses in hex, the IPv4
// address in the machine's byte order; st 0A is LISTEN; rx_queue follows
// the colon in the fifth field):
//
//	sl  local_address rem_address   st tx_queue:rx_queue ...
//	 0: 0100007F:A7C9 00000000:0000 0A 00000000:00000002 ...
//
// The kernel writes a table a page at a time, so a socket whose line moves
// while other sockets come and go can be missing from one reading: found
// is false then, and the caller reads again.
package procnet

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// ListenQueue returns how many connections wait in the accept queue of the
// TCP listener on addr (IPv4).
func ListenQueue(addr netip.AddrPort) (queued int, found bool, err error) {
	table, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return 0, false, fmt.Errorf("the accept queue is shown on Linux only: %w", err)
	}
	queued, found = Queue(string(table), addr, listening)
	return queued, found, nil
}

// ReceiveQueue returns how many bytes wait in the receive queue of the
// unconnected UDP socket bound to addr (IPv4).
func ReceiveQueue(addr netip.AddrPort) (queued int, found bool, err error) {
	table, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		return 0, false, fmt.Errorf("the receive queue is shown on Linux only: %w", err)
	}
	queued, found = Queue(string(table), addr, unconnected)
	return queued, found, nil
}

// listening picks a TCP socket in state LISTEN; a connection on the same
// port has a line of its own.
func listening(f []string) bool { return f[3] == "0A" }

// unconnected picks a UDP socket with no peer address.
func unconnected(f []string) bool { return f[2] == "00000000:0000" }

// Queue finds the line of the socket on addr that pick accepts in the text
// of a table, and returns its rx_queue. Lines it cannot read are skipped.
func Queue(table string, addr netip.AddrPort, pick func(fields []string) bool) (int, bool) {
	if !addr.Addr().Is4() {
		return 0, false
	}
	ip := addr.Addr().As4()
	local := fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], addr.Port())
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[1] != local || !pick(f) {
			continue
		}
		_, rx, ok := strings.Cut(f[4], ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(rx, 16, 31)
		if err != nil {
			continue
		}
		return int(n), true
	}
	return 0, false
}
