package lesson_test

// Script commands of this lesson's own, beside the shared ones of
// internal/scenario. HTTP responses carry the time (Date, Last-Modified),
// which changes on every run, so the scripts need a way to send raw bytes,
// keep the raw answer in a file, and compare it with the times masked:
//
//	lessondir VAR                      put this lesson's folder in $VAR
//	roundtrip [-pause D] ADDR OUT PIECE...   send raw bytes, keep the raw answer
//	trickle ADDR OUT EVERY PIECE...    send raw bytes one at a time, EVERY apart
//	cmphttp GOT WANT                   compare, CR shown as \r, times as DATE
//	httpget URL HEAD BODY              fetch with Go's net/http client
//	fakeserver [-after D] [-hold D] VAR REPLY   a server that answers anything with REPLY
//	repeat FILE TEXT N                 write TEXT N times to FILE
//	resize FILE SIZE                   make FILE SIZE long (256MiB), as truncate -s does
//	stall [-for D] [-resize FILE=SIZE] ADDR OUT PIECE...   read a head, then stop reading a while
//
// Some of them are slow on purpose, as a slow peer is: a pause, a byte at a
// time, an answer that comes late. A scenario that uses them checks which
// of two things happened first, with a wide margin, never how long
// something took.

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/socketbook/socketbook/internal/scenario"
)

// patience bounds the waits of the fake server's own goroutines, which
// outlive the command that started them; the commands themselves wait
// with the harness's scenario.Patience. Not a timing assertion: a working
// program answers long before.
const patience = 5 * time.Second

func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"lessondir":  lessonDir,
		"roundtrip":  roundTrip,
		"cmphttp":    cmpHTTP,
		"httpget":    httpGet,
		"fakeserver": fakeServer,
		"repeat":     repeat,
		"trickle":    trickle,
		"resize":     resize,
		"stall":      stall,
	}
}

// lessondir VAR puts the absolute path of this lesson's folder in $VAR, so
// a script can serve the lesson's own www folder and compare with its files.
func lessonDir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lessondir VAR")
	}
	dir, err := os.Getwd() // go test runs a package's tests in its folder
	ts.Check(err)
	ts.Setenv(args[0], dir)
}

// roundtrip [-pause D] ADDR OUT PIECE... connects to ADDR, sends the
// pieces, reads until the server closes the connection and writes every
// byte it got to OUT. A piece is text with Go escapes ('GET /
// HTTP/1.0\r\n\r\n'), @FILE for a file's bytes, or -- which means "wait
// for one whole response before sending the rest", to send a second
// request on the same connection the way a browser does. With -pause, the
// client also waits D after each such response, as a person reading the
// page would, before it sends the next request.
func roundTrip(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: roundtrip [-pause D] ADDR OUT PIECE..."
	flags := flag.NewFlagSet("roundtrip", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	pause := flags.Duration("pause", 0, "")
	if neg || flags.Parse(args) != nil || flags.NArg() < 3 {
		ts.Fatalf(usage)
	}
	args = flags.Args()
	dialed, err := net.DialTimeout("tcp", args[0], time.Until(scenario.Patience(ts, "a connection to the server")))
	ts.Check(err)
	defer dialed.Close()
	conn := patientConn{dialed, ts, "the server's answer"}

	var got bytes.Buffer
	in := bufio.NewReader(io.TeeReader(conn, &got))
	var out bytes.Buffer
	for _, piece := range args[2:] {
		if piece != "--" {
			out.WriteString(pieceBytes(ts, piece))
			continue
		}
		_, err := conn.Write(out.Bytes())
		ts.Check(err)
		// Go's own parser finds where the response ends (after a HEAD,
		// at the blank line); what it read went into got through the
		// TeeReader.
		method, _, _ := strings.Cut(out.String(), " ")
		out.Reset()
		resp, err := http.ReadResponse(in, &http.Request{Method: method})
		if err != nil {
			ts.Fatalf("no whole response before the next request: %v (got %q)", err, got.String())
		}
		_, err = io.Copy(io.Discard, resp.Body)
		ts.Check(err)
		time.Sleep(*pause) // a slow peer on purpose: the time it thinks
	}
	if _, err := conn.Write(out.Bytes()); err != nil && !errors.Is(err, net.ErrClosed) {
		ts.Logf("send: %v (the server may have refused the request before reading it all)", err)
	}
	_, err = io.Copy(io.Discard, in)
	if err != nil {
		ts.Fatalf("reading the response: %v (got %q)", err, got.String())
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), got.Bytes(), 0o666))
}

// patientConn gives each Read and Write its own patience, rather than one
// deadline for a whole exchange: a long answer that keeps coming is a slow
// server, not a hung one. (The split wire variant sends every byte alone,
// a millisecond apart: fourteen responses take seconds.) The script's own
// limit still bounds the whole.
type patientConn struct {
	net.Conn
	ts   *testscript.TestScript
	what string
}

func (c patientConn) Read(p []byte) (int, error) {
	c.SetDeadline(scenario.Patience(c.ts, c.what))
	return c.Conn.Read(p)
}

func (c patientConn) Write(p []byte) (int, error) {
	c.SetDeadline(scenario.Patience(c.ts, c.what))
	return c.Conn.Write(p)
}

// pieceBytes turns one roundtrip piece into the bytes it stands for.
func pieceBytes(ts *testscript.TestScript, piece string) string {
	if name, ok := strings.CutPrefix(piece, "@"); ok {
		return ts.ReadFile(name)
	}
	s, err := strconv.Unquote(`"` + strings.ReplaceAll(piece, `"`, `\"`) + `"`)
	if err != nil {
		ts.Fatalf("cannot read %q: use Go escapes such as \\r\\n", piece)
	}
	return s
}

// trickle ADDR OUT EVERY PIECE... sends the pieces (as roundtrip's, but
// no --) one byte at a time, EVERY apart, as a client on a very slow link
// would, or a slowloris on purpose. Meanwhile it reads what the server
// sends; once the server has closed the connection it sends no more. It
// writes every byte it got to OUT.
func trickle(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 {
		ts.Fatalf("usage: trickle ADDR OUT EVERY PIECE...")
	}
	every, err := time.ParseDuration(args[2])
	if err != nil || every <= 0 {
		ts.Fatalf("trickle: EVERY must be a duration such as 50ms, not %q", args[2])
	}
	var request strings.Builder
	for _, piece := range args[3:] {
		request.WriteString(pieceBytes(ts, piece))
	}
	deadline := scenario.Patience(ts, "the server's answer")
	conn, err := net.DialTimeout("tcp", args[0], time.Until(deadline))
	ts.Check(err)
	defer conn.Close()
	conn.SetDeadline(deadline)

	// The answer may come before the request is all sent (a 408), so it is
	// read all along, by a goroutine of its own.
	var got bytes.Buffer
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(&got, conn)
		closed <- err
	}()
	var readErr error
	answered := false
send:
	for i, b := range []byte(request.String()) {
		if i > 0 {
			select {
			case readErr = <-closed:
				answered = true
				break send
			case <-time.After(every): // a slow peer on purpose
			}
		}
		if _, err := conn.Write([]byte{b}); err != nil {
			break // the server has gone; what it said is read below
		}
	}
	if !answered {
		readErr = <-closed
	}
	if readErr != nil {
		ts.Fatalf("reading the response: %v (got %q)", readErr, got.String())
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), got.Bytes(), 0o666))
}

// The value of a Date or Last-Modified header: an HTTP date such as
// "Sun, 22 Nov 2026 08:05:49 GMT". Only this exact shape is masked, so a
// date in any other format still shows up as a difference.
var httpDate = regexp.MustCompile(`(?i)\b(date|last-modified): ([a-z]{3}, [0-9]{2} [a-z]{3} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT)`)

// normaliseHTTP masks what changes from run to run: the value of Date and
// Last-Modified (after checking it is a real HTTP date) and loopback
// ports. Then it spells each CR as \r, so that a want file can show the
// CRLF line endings HTTP requires and a bare LF cannot pass for one.
func normaliseHTTP(ts *testscript.TestScript, s string) string {
	s = httpDate.ReplaceAllStringFunc(s, func(field string) string {
		m := httpDate.FindStringSubmatch(field)
		if _, err := time.Parse(http.TimeFormat, m[2]); err != nil {
			ts.Fatalf("%s is not an HTTP date: %q", m[1], m[2])
		}
		return m[1] + ": DATE"
	})
	s = loopbackPort.ReplaceAllString(s, "$1:PORT")
	return strings.ReplaceAll(s, "\r", `\r`)
}

// loopbackPort matches a loopback address with its port, as cmpnorm does.
var loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|\[::1\]|localhost):[0-9]+`)

// cmphttp GOT WANT compares GOT (a file, stdout or stderr) with WANT after
// normaliseHTTP, with $VARS in WANT expanded. In WANT, a line that ends in
// CRLF is written with a literal \r at its end.
func cmpHTTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmphttp GOT WANT")
	}
	got := normaliseHTTP(ts, ts.ReadFile(args[0]))
	want := os.Expand(ts.ReadFile(args[1]), ts.Getenv)
	want = loopbackPort.ReplaceAllString(want, "$1:PORT")
	if got == want {
		return
	}
	scenario.Mismatch(ts, args[0], got, args[1], want)
}

// httpget URL HEAD BODY fetches URL with Go's own net/http client: a
// client written by other people, which parses our responses strictly. It
// writes the status and the headers (sorted, one per line, as net/http
// understood them) to HEAD and the body to BODY.
func httpGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: httpget URL HEAD BODY")
	}
	client := &http.Client{
		Timeout:   time.Until(scenario.Patience(ts, "the server's answer to net/http")),
		Transport: &http.Transport{DisableKeepAlives: true}, // send Connection: close
	}
	resp, err := client.Get(args[0])
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)

	var head strings.Builder
	fmt.Fprintf(&head, "%s %s\n", resp.Proto, resp.Status)
	names := make([]string, 0, len(resp.Header))
	for name := range resp.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range resp.Header[name] {
			fmt.Fprintf(&head, "%s: %s\n", name, v)
		}
	}
	// net/http takes Connection out of the headers and sets Close instead.
	fmt.Fprintf(&head, "(Close %v, ContentLength %d, body %d bytes)\n", resp.Close, resp.ContentLength, len(body))
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(head.String()), 0o666))
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), body, 0o666))
}

// fakeserver [-after D] [-hold D] VAR REPLY listens on a free loopback
// port, puts its address in $VAR, and answers every connection with REPLY
// (Go escapes work), then closes it. It plays a broken web server for the
// client to meet. With -after it waits D before it answers (a slow
// server); with -hold it keeps the connection open and silent for D after
// REPLY (a server that stalls, in the head or in the body), and only then
// closes it.
func fakeServer(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: fakeserver [-after D] [-hold D] VAR REPLY"
	flags := flag.NewFlagSet("fakeserver", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	after := flags.Duration("after", 0, "")
	hold := flags.Duration("hold", 0, "")
	if neg || flags.Parse(args) != nil || flags.NArg() != 2 {
		ts.Fatalf(usage)
	}
	args = flags.Args()
	reply := pieceBytes(ts, args[1])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	// The script's end stops the listener, and any wait still going on.
	ended := make(chan struct{})
	ts.Defer(func() {
		close(ended)
		ln.Close()
	})
	wait := func(d time.Duration) bool {
		select {
		case <-time.After(d): // a slow server on purpose
			return true
		case <-ended:
			return false
		}
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // the script ended and closed the listener
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(patience))
				// Read the request's head before answering, so that the
				// close that follows is a FIN and not a reset.
				in := bufio.NewReader(conn)
				for {
					line, err := in.ReadString('\n')
					if err != nil || strings.TrimRight(line, "\r\n") == "" {
						break
					}
				}
				if !wait(*after) {
					return
				}
				_, _ = io.WriteString(conn, reply)
				wait(*hold)
			}()
		}
	}()
	ts.Setenv(args[0], ln.Addr().String())
}

// repeat FILE TEXT N writes TEXT (Go escapes work) N times to FILE: a way
// to build requests too big to write out in a script.
func repeat(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: repeat FILE TEXT N")
	}
	n, err := strconv.Atoi(args[2])
	if err != nil || n < 0 {
		ts.Fatalf("repeat: %q is not a count", args[2])
	}
	text := strings.Repeat(pieceBytes(ts, args[1]), n)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(text), 0o666))
}

// resize FILE SIZE makes FILE exactly SIZE bytes long (a count, or one
// with KiB, MiB or GiB after it), creating it if need be, as truncate -s
// does: a longer file gets zeros at its end, which on most file systems
// take no disk (a sparse file), so a script can serve 256 MiB for free.
// Its folder is made too, if need be.
func resize(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: resize FILE SIZE")
	}
	size := parseSize(ts, args[1])
	name := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(name), 0o777))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o666)
	ts.Check(err)
	ts.Check(f.Truncate(size))
	ts.Check(f.Close())
}

// parseSize reads a size such as 4096, 64KiB or 256MiB.
func parseSize(ts *testscript.TestScript, s string) int64 {
	unit := int64(1)
	for suffix, u := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			s, unit = n, u
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		ts.Fatalf("%q is not a size such as 4096 or 256MiB", s)
	}
	return n * unit
}

// progress reads a body from r and pushes conn's deadline forward after
// every read that brings bytes, as an idle deadline should: a big body on
// a busy machine comes slowly, and a slow server is not a hung one.
type progress struct {
	ts   *testscript.TestScript
	conn net.Conn
	r    io.Reader
}

func (p *progress) Read(b []byte) (int, error) {
	p.conn.SetDeadline(scenario.Patience(p.ts, "more of a response's body"))
	return p.r.Read(b)
}

// stall [-for D] [-resize FILE=SIZE] ADDR OUT PIECE... sends the pieces
// (as roundtrip's, but no --), reads the head of the first response and
// then stops reading, as a client that is busy or gone would: the
// server, in the middle of a body bigger than the socket buffers, can send
// no more. Meanwhile it waits D (a peer slow on purpose) or resizes FILE
// (a file that changes while it is sent). Then it reads every response
// to the end of the stream, as net/http's parser sees them, and writes
// one line for each to OUT: status, Content-Length, and how much body
// came; then how the stream ended.
func stall(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: stall [-for D] [-resize FILE=SIZE] ADDR OUT PIECE..."
	flags := flag.NewFlagSet("stall", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	pause := flags.Duration("for", 0, "")
	change := flags.String("resize", "", "")
	if neg || flags.Parse(args) != nil || flags.NArg() < 3 {
		ts.Fatalf(usage)
	}
	args = flags.Args()
	var request strings.Builder
	for _, piece := range args[2:] {
		request.WriteString(pieceBytes(ts, piece))
	}
	conn, err := net.DialTimeout("tcp", args[0], time.Until(scenario.Patience(ts, "a connection to the server")))
	ts.Check(err)
	defer conn.Close()
	conn.SetDeadline(scenario.Patience(ts, "the first response's head"))
	_, err = io.WriteString(conn, request.String())
	ts.Check(err)
	in := bufio.NewReader(conn) // 4 KiB: the head, and little of the body
	resp, err := http.ReadResponse(in, nil)
	if err != nil {
		ts.Fatalf("no response's head: %v", err)
	}

	if name, size, ok := strings.Cut(*change, "="); ok {
		ts.Check(os.Truncate(ts.MkAbs(name), parseSize(ts, size)))
	}
	time.Sleep(scenario.Stretch(ts, *pause)) // a slow peer on purpose

	var out strings.Builder
	for resp != nil {
		n, err := io.Copy(io.Discard, &progress{ts, conn, resp.Body})
		fmt.Fprintf(&out, "%s, Content-Length %d, ", resp.Status, resp.ContentLength)
		if err != nil {
			fmt.Fprintf(&out, "body cut off after %d bytes (%v)\n", n, err)
			break
		}
		fmt.Fprintf(&out, "body of %d bytes\n", n)
		conn.SetDeadline(scenario.Patience(ts, "the next response, or the end of the stream"))
		if _, err := in.Peek(1); err != nil {
			break // the end of the stream, said below
		}
		if resp, err = http.ReadResponse(in, nil); err != nil {
			fmt.Fprintf(&out, "then no response: %.60v...\n", err)
			break
		}
	}
	if rest, err := io.ReadAll(in); err != nil || len(rest) > 0 {
		fmt.Fprintf(&out, "then %d more bytes and %v\n", len(rest), err)
	} else {
		out.WriteString("then the end of the stream\n")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out.String()), 0o666))
}
