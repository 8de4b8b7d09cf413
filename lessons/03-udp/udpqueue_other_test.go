//go:build !linux

package lesson_test

import (
	"errors"
	"net/netip"
)

// receiveQueue needs Linux's /proc/net/udp; the scenarios that send many
// datagrams with udpsendmany run those lines on Linux only.
func receiveQueue(addr netip.AddrPort) (queued int, found bool, err error) {
	return 0, false, errors.New("the receive queue of a socket is shown on Linux only")
}
