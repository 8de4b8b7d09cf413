package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// The commands in this file let a script hold connections of its own, the
// way a person holds `nc` sessions open in other terminals:
//
//	dial c1 $ADDR          connect and call the connection c1
//	send c1 'hello\n'      write bytes (Go escapes such as \n \r \x00 work)
//	recv c1 'hello\n'      read exactly these bytes, or fail
//	recveof c1             read and find the end of the stream
//	recvreset c1           read and find that the peer reset the connection (RST)
//	recvuntil c1 'end\n'   read until these bytes have come; what came before is not checked
//	closewrite c1          half-close: send FIN, keep reading
//	close c1               close normally (FIN)
//	reset c1               close with RST, as a crashed client would
//
// A script's connections are closed when it ends.

type connsKey struct{}

// conns holds a script's open connections by name.
type conns struct {
	mu sync.Mutex
	m  map[string]net.Conn
}

func (c *conns) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.m {
		conn.Close()
	}
}

func scriptConns(ts *testscript.TestScript) *conns {
	return ts.Value(connsKey{}).(*conns)
}

// get returns the connection called name, failing the script if there is none.
func get(ts *testscript.TestScript, name string) net.Conn {
	c := scriptConns(ts)
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, ok := c.m[name]
	if !ok {
		ts.Fatalf("no connection called %s: dial it first", name)
	}
	return conn
}

// dial NAME ADDR connects to ADDR: host:port over TCP, anything else is
// taken as the path of a unix socket.
func dial(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: dial NAME ADDR")
	}
	network := "tcp"
	if _, _, err := net.SplitHostPort(args[1]); err != nil {
		network = "unix"
	}
	deadline := Patience(ts, "a connection to "+args[1])
	conn, err := net.DialTimeout(network, args[1], time.Until(deadline))
	if isTimeout(err) {
		Hang(ts, "%s: no connection to %s", args[0], args[1])
	}
	if errors.Is(err, syscall.ECONNRESET) {
		conn = resetAtDial{err}
	} else {
		ts.Check(err)
	}
	c := scriptConns(ts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]net.Conn)
	}
	if _, dup := c.m[args[0]]; dup {
		conn.Close()
		ts.Fatalf("a connection called %s is already open", args[0])
	}
	c.m[args[0]] = conn
}

// resetAtDial is a connection the server accepted and reset before the
// dial returned. The kernel finishes the handshake before the server's
// Accept, so a server that accepts and resets at once can have its RST
// arrive before the client's connect has reported success; the dial then
// fails with ECONNRESET. To the script that is a connection like any other
// whose every read and write finds the reset: recvreset passes on it, and
// recv or send fail saying "connection reset by peer".
type resetAtDial struct{ err error }

func (c resetAtDial) Read([]byte) (int, error)         { return 0, c.err }
func (c resetAtDial) Write([]byte) (int, error)        { return 0, c.err }
func (c resetAtDial) Close() error                     { return nil }
func (c resetAtDial) LocalAddr() net.Addr              { return nil }
func (c resetAtDial) RemoteAddr() net.Addr             { return nil }
func (c resetAtDial) SetDeadline(time.Time) error      { return nil }
func (c resetAtDial) SetReadDeadline(time.Time) error  { return nil }
func (c resetAtDial) SetWriteDeadline(time.Time) error { return nil }

// unescape turns the script's 'hello\n' into the bytes "hello" and a newline.
func unescape(ts *testscript.TestScript, s string) string {
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		ts.Fatalf("cannot read %q: use Go escapes such as \\n, \\r, \\x00", s)
	}
	return u
}

// send NAME TEXT writes TEXT on the connection.
func send(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: send NAME TEXT")
	}
	conn := get(ts, args[0])
	ts.Check(conn.SetWriteDeadline(Patience(ts, args[0]+" to take what the script sends (is the peer reading?)")))
	_, err := io.WriteString(conn, unescape(ts, args[1]))
	if isTimeout(err) {
		Hang(ts, "%s: the peer does not take what the script sends", args[0])
	}
	ts.Check(err)
}

// recv NAME TEXT reads exactly as many bytes as TEXT has and checks they
// are TEXT. It reads as often as it takes: one Read is not one message.
func recv(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: recv NAME TEXT")
	}
	conn, want := get(ts, args[0]), unescape(ts, args[1])
	ts.Check(conn.SetReadDeadline(Patience(ts, fmt.Sprintf("%q on %s", want, args[0]))))
	got := make([]byte, len(want))
	n, err := io.ReadFull(conn, got)
	if err != nil {
		failRead(ts, err, "%s: want %q, got %q and then %v", args[0], want, got[:n], describe(err))
	}
	if string(got) != want {
		ts.Fatalf("%s: want %q, got %q", args[0], want, got)
	}
}

// recveof NAME checks that the peer has closed: the next Read finds the end
// of the stream (or a reset) and no more bytes.
func recvEOF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: recveof NAME")
	}
	conn := get(ts, args[0])
	ts.Check(conn.SetReadDeadline(Patience(ts, "the end of the stream on "+args[0]+" (is the peer closing its side?)")))
	rest, err := io.ReadAll(conn)
	if len(rest) > 0 {
		ts.Fatalf("%s: want the end of the stream, got %q first", args[0], clipBytes(rest))
	}
	if err != nil {
		failRead(ts, err, "%s: want the end of the stream, got %v", args[0], describe(err))
	}
}

// recvreset NAME checks that the peer reset the connection: the next Read
// fails with ECONNRESET, with no bytes before it. A polite close (FIN)
// fails it: that is the difference the command is there to see.
func recvReset(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: recvreset NAME")
	}
	conn := get(ts, args[0])
	ts.Check(conn.SetReadDeadline(Patience(ts, "a reset (RST) on "+args[0])))
	rest, err := io.ReadAll(conn)
	switch {
	case len(rest) > 0:
		ts.Fatalf("%s: want a reset (RST), got %q first", args[0], clipBytes(rest))
	case errors.Is(err, syscall.ECONNRESET):
		return
	case err == nil:
		ts.Fatalf("%s: want a reset (RST), got the end of the stream (FIN): the peer closed politely", args[0])
	}
	failRead(ts, err, "%s: want a reset (RST), got %v", args[0], describe(err))
}

// recvuntil NAME TEXT reads until TEXT has arrived, whatever comes before
// it: a way to wait for the end of an answer whose middle varies (an HTTP
// response with a Date header), when the answer itself is checked
// elsewhere.
func recvUntil(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: recvuntil NAME TEXT")
	}
	conn, want := get(ts, args[0]), unescape(ts, args[1])
	ts.Check(conn.SetReadDeadline(Patience(ts, fmt.Sprintf("%q on %s", want, args[0]))))
	var got []byte
	one := make([]byte, 1) // byte by byte, so nothing after TEXT is taken
	for !bytes.HasSuffix(got, []byte(want)) {
		if _, err := conn.Read(one); err != nil {
			failRead(ts, err, "%s: want %q in the end, got %q and then %v", args[0], want, clipBytes(got), describe(err))
		}
		got = append(got, one[0])
	}
}

// describe names a read error in the words a script's reader needs.
func describe(err error) string {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the end of the stream"
	case errors.Is(err, net.ErrClosed):
		return "a connection the script had closed"
	case isTimeout(err):
		return "nothing more before the time ran out"
	}
	return err.Error()
}

// failRead fails a script whose read failed: as a hang if it ran out of
// time, as a plain failure otherwise.
func failRead(ts *testscript.TestScript, err error, format string, args ...any) {
	if isTimeout(err) {
		Hang(ts, format, args...)
	}
	ts.Fatalf(format, args...)
}

// clipBytes keeps what a message quotes of unexpected data short.
func clipBytes(b []byte) []byte {
	if len(b) > 200 {
		return append(b[:200:200], "…"...)
	}
	return b
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// closewrite NAME half-closes: the peer reads EOF, we can still read.
func closeWrite(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: closewrite NAME")
	}
	conn, ok := get(ts, args[0]).(interface{ CloseWrite() error })
	if !ok {
		ts.Fatalf("%s cannot half-close", args[0])
	}
	ts.Check(conn.CloseWrite())
}

// close NAME closes the connection the polite way, with FIN.
func closeConn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: close NAME")
	}
	ts.Check(take(ts, args[0]).Close())
}

// reset NAME closes with RST instead of FIN, as the kernel does for a
// client that crashed or that closed with unread data: SO_LINGER with a
// time-out of zero.
func resetConn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: reset NAME")
	}
	conn, ok := take(ts, args[0]).(*net.TCPConn)
	if !ok {
		ts.Fatalf("%s is not a TCP connection: only TCP can reset", args[0])
	}
	ts.Check(conn.SetLinger(0))
	ts.Check(conn.Close())
}

// take removes the connection called name from the script and returns it.
func take(ts *testscript.TestScript, name string) net.Conn {
	conn := get(ts, name)
	c := scriptConns(ts)
	c.mu.Lock()
	delete(c.m, name)
	c.mu.Unlock()
	return conn
}
