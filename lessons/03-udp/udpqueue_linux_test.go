//go:build linux

package lesson_test

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// receiveQueue returns how many bytes wait in the receive queue of the
// unconnected UDP socket bound to addr, from /proc/net/udp. A line looks
// like this (the addresses are hex, the IPv4 address in the machine's byte
// order, and rx_queue follows the colon in the fifth field):
//
//	sl  local_address rem_address   st tx_queue:rx_queue ...
//	 7: 0100007F:270F 00000000:0000 07 00000000:00000340 ...
//
// The kernel writes the table a page at a time, so a socket whose line
// moves while other sockets come and go can be missing from one reading:
// found is false then, and the caller reads again.
func receiveQueue(addr netip.AddrPort) (queued int, found bool, err error) {
	table, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		return 0, false, err
	}
	queued, found = udpQueue(string(table), addr)
	return queued, found, nil
}

func udpQueue(table string, addr netip.AddrPort) (int, bool) {
	if !addr.Addr().Is4() {
		return 0, false
	}
	ip := addr.Addr().As4()
	local := fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], addr.Port())
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || f[1] != local || f[2] != "00000000:0000" {
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
