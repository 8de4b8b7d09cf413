package lesson_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/procnet"
	"github.com/socketbook/socketbook/internal/scenario"
)

// The commands in this file let a script hold a UDP socket of its own, the
// way a person would with `nc -u` in another terminal:
//
//	udpdial s $ADDR        open a UDP socket connected to the server, call it s
//	udpsend s 'hello'      send one datagram (Go escapes such as \n \x00 work)
//	udprecv s 'HELLO'      receive one datagram and check it is exactly this
//	udpsendmany s 'x' N    send N datagrams, none lost on the way in (Linux)
//	udpnone s              check that nothing has come back
//	repeat FILE TEXT N     write TEXT N times and a newline to FILE
//	lines FILE TEXT N      write N lines of TEXT to FILE
//
// The shared dial/send/recv commands cannot do this: they speak TCP, where a
// read may return part of a message or two at once. udprecv reads exactly
// one datagram, so it shows where each one begins and ends.

func udpCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"udpdial":     udpDial,
		"udpsend":     udpSend,
		"udprecv":     udpRecv,
		"udpsendmany": udpSendMany,
		"udpnone":     udpNone,
		"repeat":      repeat,
		"lines":       lines,
		"fakeserver":  fakeServer, // in fakeserver_test.go
	}
}

// sockets holds each script's UDP sockets by name. Scripts run in
// parallel, so the map is keyed by script and guarded by a lock.
var sockets = struct {
	sync.Mutex
	m map[*testscript.TestScript]map[string]*net.UDPConn
}{m: make(map[*testscript.TestScript]map[string]*net.UDPConn)}

// udpdial NAME ADDR opens a UDP socket connected to ADDR. Connecting sends
// nothing; it fixes the peer, so Read hears only from the server.
func udpDial(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: udpdial NAME ADDR")
	}
	raddr, err := net.ResolveUDPAddr("udp", args[1])
	ts.Check(err)
	conn, err := net.DialUDP("udp", nil, raddr)
	ts.Check(err)
	sockets.Lock()
	defer sockets.Unlock()
	mine := sockets.m[ts]
	if mine == nil {
		mine = make(map[string]*net.UDPConn)
		sockets.m[ts] = mine
		ts.Defer(func() { closeAll(ts) })
	}
	if _, dup := mine[args[0]]; dup {
		conn.Close()
		ts.Fatalf("a socket called %s is already open", args[0])
	}
	mine[args[0]] = conn
}

func closeAll(ts *testscript.TestScript) {
	sockets.Lock()
	defer sockets.Unlock()
	for _, conn := range sockets.m[ts] {
		conn.Close()
	}
	delete(sockets.m, ts)
}

// socket returns the script's socket called name.
func socket(ts *testscript.TestScript, name string) *net.UDPConn {
	sockets.Lock()
	defer sockets.Unlock()
	conn, ok := sockets.m[ts][name]
	if !ok {
		ts.Fatalf("no socket called %s: udpdial it first", name)
	}
	return conn
}

// unescape turns the script's 'a\x00b' into the bytes a, NUL, b.
func unescape(ts *testscript.TestScript, s string) []byte {
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		ts.Fatalf("cannot read %q: use Go escapes such as \\n, \\r, \\x00", s)
	}
	return []byte(u)
}

// udpsend NAME TEXT sends TEXT as one datagram; an empty TEXT sends an
// empty datagram.
func udpSend(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: udpsend NAME TEXT")
	}
	_, err := socket(ts, args[0]).Write(unescape(ts, args[1]))
	ts.Check(err)
}

// udprecv NAME TEXT receives one datagram and checks that it is TEXT, no
// more and no less.
func udpRecv(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: udprecv NAME TEXT")
	}
	conn, want := socket(ts, args[0]), unescape(ts, args[1])
	conn.SetReadDeadline(scenario.Patience(ts, fmt.Sprintf("the datagram %q on %s", want, args[0])))
	buf := make([]byte, 64*1024)
	n, err := conn.Read(buf)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		scenario.Hang(ts, "%s: want the datagram %q, got nothing", args[0], want)
	}
	if err != nil {
		ts.Fatalf("%s: want the datagram %q, got %v", args[0], want, err)
	}
	if !bytes.Equal(buf[:n], want) {
		ts.Fatalf("%s: want the datagram %q, got %q", args[0], want, buf[:n])
	}
}

// udpsendmany NAME TEXT N sends TEXT as N datagrams. Sent all at once,
// most would be lost in the server's full receive buffer (see the README's
// "Flooding the server"), so it sends a few at a time, and before the next
// few it waits until the server has read everything that came: then no
// datagram is lost on the way in, and the server has read all N when the
// command ends. How full the queue is, the kernel shows (`ss -uan` calls
// it Recv-Q); this works where we can read it, on Linux.
func udpSendMany(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: udpsendmany NAME TEXT N")
	}
	conn, msg := socket(ts, args[0]), unescape(ts, args[1])
	n, err := strconv.Atoi(args[2])
	if err != nil || n < 0 {
		ts.Fatalf("udpsendmany: %q is not a count", args[2])
	}
	server, err := netip.ParseAddrPort(conn.RemoteAddr().String())
	ts.Check(err)
	// 20 small datagrams take a few tens of KiB of the server's buffer,
	// which holds 208 KiB by default: room to spare.
	const few = 20
	for sent := 0; sent < n; {
		for i := 0; i < few && sent < n; i++ {
			_, err := conn.Write(msg)
			ts.Check(err)
			sent++
		}
		if err := waitRead(server, scenario.Patience(ts, "the server to read what the script sent")); err != nil {
			ts.Fatalf("udpsendmany: %v", err)
		}
	}
}

// waitRead waits until the UDP socket bound to addr has nothing left in
// its receive queue: its program has read every datagram that came.
func waitRead(addr netip.AddrPort, deadline time.Time) error {
	for {
		queued, found, err := procnet.ReceiveQueue(addr)
		if err != nil {
			return err
		}
		if found && queued == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			if !found {
				return fmt.Errorf("no UDP socket bound to %s, and the time is up", addr)
			}
			return fmt.Errorf("%d bytes still wait in the receive queue of %s, and the time is up: the server does not read", queued, addr)
		}
		time.Sleep(10 * time.Millisecond) // poll; the wait ends as soon as the queue is empty
	}
}

// udpnone NAME checks that no datagram has come to the socket. A server
// answers before it reads the next datagram, so after udpsendmany every
// answer there was is here already, or about to be: a short look is enough.
func udpNone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: udpnone NAME")
	}
	conn := socket(ts, args[0])
	buf := make([]byte, 64*1024)
	var first []byte
	got := 0
	for {
		conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := conn.Read(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			ts.Fatalf("%s: want no datagram, got %v", args[0], err)
		}
		if got == 0 {
			first = append(first, buf[:n]...)
		}
		got++
	}
	if got > 0 {
		ts.Fatalf("%s: want no datagram, got %d (the first: %q)", args[0], got, first)
	}
}

// repeat FILE TEXT N writes TEXT N times, then a newline, to FILE: one long
// line, for the client to send as one big datagram.
func repeat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: repeat FILE TEXT N")
	}
	n, err := strconv.Atoi(args[2])
	if err != nil || n < 0 {
		ts.Fatalf("repeat: %q is not a count", args[2])
	}
	data := strings.Repeat(args[1], n) + "\n"
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(data), 0o666))
}

// lines FILE TEXT N writes N lines of TEXT to FILE: for the client, which
// sends each line of its standard input as one datagram.
func lines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: lines FILE TEXT N")
	}
	n, err := strconv.Atoi(args[2])
	if err != nil || n < 0 {
		ts.Fatalf("lines: %q is not a count", args[2])
	}
	data := strings.Repeat(args[1]+"\n", n)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(data), 0o666))
}
