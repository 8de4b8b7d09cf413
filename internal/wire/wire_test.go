package wire

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestShow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"hello\n", 0, `"hello\n"`},
		{"a\tb\r\n\x00", 0, `"a\tb\r\n\0"`},
		{`say "hi"`, 0, `"say \"hi\""`},
		{"你好，世界\n", 0, `"你好，世界\n"`},
		{"你好", 4, `"你" … 3 more bytes`},
		{"\x89PNG\x00\x01\x02\x03", 0, "hex 89 50 4e 47 00 01 02 03"},
		{"\x89PNG\x00\x01", 2, "hex 89 50 … 4 more bytes"},
		{"", 0, `""`},
	} {
		assert.Equal(t, tc.want, Show([]byte(tc.in), tc.max), "Show(%q, %d)", tc.in, tc.max)
	}
}

// echoServer echoes every connection until the test ends, and returns its
// address.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				_, _ = io.Copy(conn, conn) // a broken echo shows in what the test reads back
			}()
		}
	}()
	return ln.Addr().String()
}

// startProxy runs p on a fresh loopback port until the test ends.
func startProxy(t *testing.T, p *Proxy) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return ln.Addr().String()
}

// roundTrip sends data through addr while reading the echo, then
// half-closes and returns everything that came back.
func roundTrip(t *testing.T, addr string, data []byte) []byte {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	sent := make(chan error, 1)
	go func() {
		_, err := conn.Write(data)
		if err == nil {
			err = conn.(*net.TCPConn).CloseWrite()
		}
		sent <- err
	}()
	got, err := io.ReadAll(conn)
	require.NoError(t, err)
	require.NoError(t, <-sent)
	return got
}

func TestProxyKeepsEveryByte(t *testing.T) {
	data := make([]byte, 256*1024)
	_, err := rand.Read(data)
	require.NoError(t, err)
	for name, opts := range map[string]Options{
		"plain":   {},
		"split 7": {Split: 7},
		"merge":   {Merge: time.Millisecond},
		"both":    {Split: 1000, Merge: time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			addr := startProxy(t, &Proxy{To: echoServer(t), Options: opts})
			assert.True(t, bytes.Equal(data, roundTrip(t, addr, data)), "the echo through the proxy differs from what was sent")
		})
	}
}

// TestSplitOneByteAtATime checks that with Split 1 every write carries
// one byte. net.Pipe has no buffer: each Read gets the bytes of exactly one
// Write, so the reads show the writes.
func TestSplitOneByteAtATime(t *testing.T) {
	p := &Proxy{Options: Options{Split: 1}}
	src, dst := net.Pipe()
	delivered := make(chan error, 1)
	go func() {
		delivered <- p.deliver(src, []byte("hello\n"))
		src.Close()
	}()
	var reads []string
	buf := make([]byte, 64)
	for {
		n, err := dst.Read(buf)
		if err != nil {
			break
		}
		reads = append(reads, string(buf[:n]))
	}
	assert.Equal(t, []string{"h", "e", "l", "l", "o", "\n"}, reads)
	assert.NoError(t, <-delivered)
}

func TestTimeline(t *testing.T) {
	out := newLines()
	log := NewTimeline(out)
	log.NoTimes = true
	addr := startProxy(t, &Proxy{To: echoServer(t), Log: log})

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	for _, line := range []string{"hello\n", "a\tb\r\n"} {
		_, err = conn.Write([]byte(line))
		require.NoError(t, err)
		_, err = io.ReadFull(conn, make([]byte, len(line)))
		require.NoError(t, err)
	}
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	_, err = io.ReadAll(conn)
	require.NoError(t, err)
	conn.Close()
	waitFor(t, out, "closed:")

	want := strings.Join([]string{
		"#1  open: client " + conn.LocalAddr().String(),
		`#1  client → server  6 bytes  "hello\n"`,
		`#1  server → client  6 bytes  "hello\n"`,
		`#1  client → server  5 bytes  "a\tb\r\n"`,
		`#1  server → client  5 bytes  "a\tb\r\n"`,
		"#1  client → server  FIN: the client has no more to send",
		"#1  server → client  FIN: the server has no more to send",
		"#1  closed: the client hung up first (FIN), then the server: a clean close",
		"",
	}, "\n")
	assert.Equal(t, want, out.String())
}

// TestResetPassesThrough checks that a client's RST reaches the server as
// a reset, not as a polite end of stream.
func TestResetPassesThrough(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	out := newLines()
	log := NewTimeline(out)
	log.NoTimes = true
	addr := startProxy(t, &Proxy{To: ln.Addr().String(), Log: log})

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	server, err := ln.Accept()
	require.NoError(t, err)
	defer server.Close()
	_, err = conn.Write([]byte("x"))
	require.NoError(t, err)
	_, err = io.ReadFull(server, make([]byte, 1))
	require.NoError(t, err)

	require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
	conn.Close()
	_, err = server.Read(make([]byte, 1))
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "the server read %v, want a reset", err)
	waitFor(t, out, "closed:")
	assert.Contains(t, out.String(), "RST: the client reset the connection")
	assert.Contains(t, out.String(), "closed: the client reset the connection (RST)")
}

// lines collects what a Timeline writes, one line per Write, and hands
// each line to whoever waits for it.
type lines struct {
	mu  sync.Mutex
	all strings.Builder
	new chan string
}

func newLines() *lines { return &lines{new: make(chan string, 1000)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.Write(p)
	l.new <- string(p)
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

// waitFor waits until the timeline prints a line containing text. The
// proxy logs from its own goroutines, a moment after the bytes move.
func waitFor(t *testing.T, l *lines, text string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line := <-l.new:
			if strings.Contains(line, text) {
				return
			}
		case <-timeout:
			t.Fatalf("the timeline never said %q; it said:\n%s", text, l)
		}
	}
}

// startUDPProxy runs p on a fresh loopback port until the test ends.
func startUDPProxy(t *testing.T, p *UDPProxy) string {
	t.Helper()
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Serve(ctx, pc) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return pc.LocalAddr().String()
}

// udpServer is a socket the test reads from directly, as the server.
func udpServer(t *testing.T) *net.UDPConn {
	t.Helper()
	pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	return pc
}

// sendAll sends each message as one datagram to addr.
func sendAll(t *testing.T, addr string, msgs ...string) *net.UDPConn {
	t.Helper()
	raddr, err := net.ResolveUDPAddr("udp", addr)
	require.NoError(t, err)
	conn, err := net.DialUDP("udp", nil, raddr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	for _, m := range msgs {
		_, err := conn.Write([]byte(m))
		require.NoError(t, err)
	}
	return conn
}

// receive reads n datagrams.
func receive(t *testing.T, pc *net.UDPConn, n int) []string {
	t.Helper()
	var got []string
	buf := make([]byte, 1500)
	for range n {
		k, _, err := pc.ReadFromUDP(buf)
		require.NoError(t, err)
		got = append(got, string(buf[:k]))
	}
	return got
}

func TestUDPReorder(t *testing.T) {
	server := udpServer(t)
	addr := startUDPProxy(t, &UDPProxy{To: server.LocalAddr().String(), UDPOptions: UDPOptions{Reorder: true, Hold: time.Hour}})
	sendAll(t, addr, "1", "2", "3", "4")
	assert.Equal(t, []string{"2", "1", "4", "3"}, receive(t, server, 4))
}

func TestUDPDuplicateAndReply(t *testing.T) {
	server := udpServer(t)
	addr := startUDPProxy(t, &UDPProxy{To: server.LocalAddr().String(), UDPOptions: UDPOptions{Dup: 100}})
	client := sendAll(t, addr, "ping")
	assert.Equal(t, []string{"ping"}, receive(t, server, 1), "first copy")
	buf := make([]byte, 16)
	n, from, err := server.ReadFromUDP(buf)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(buf[:n]), "second copy")

	// The server answers the proxy's socket; the answer reaches the
	// client, twice.
	_, err = server.WriteToUDP([]byte("pong"), from)
	require.NoError(t, err)
	assert.Equal(t, []string{"pong", "pong"}, receive(t, client, 2))
}

func TestUDPDrop(t *testing.T) {
	server := udpServer(t)
	out := newLines()
	log := NewTimeline(out)
	log.NoTimes = true
	addr := startUDPProxy(t, &UDPProxy{To: server.LocalAddr().String(), Log: log, UDPOptions: UDPOptions{Drop: 100}})
	sendAll(t, addr, "lost")
	waitFor(t, out, "DROPPED")
	assert.Contains(t, out.String(), `client → server  4 bytes  "lost"  DROPPED`)
}
