package main

// One goroutine per connection, and on each connection a loop: read a
// request, answer it, and go round again while HTTP/1.1 keeps the
// connection open.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// httpTime is the one date format HTTP uses (RFC 9110, IMF-fixdate),
// always in GMT: "Sun, 06 Nov 1994 08:49:37 GMT".
const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

// chunkSize is how much of a body the client must take within the write
// time-out (see sendBody).
const chunkSize = 1 << 20

// firstBytes is how much of a big file goes out with the head, in the
// same write, as net/http does (see sendBody).
const firstBytes = 512

// lingerTime bounds how long a closing connection waits for the client to
// take our last response (see closeGently).
const lingerTime = time.Second

// A server serves the files under root.
type server struct {
	root         string        // absolute, symlinks resolved (see realRoot)
	readTimeout  time.Duration // to send a request's head, once it has begun
	idleTimeout  time.Duration // to begin the next request on a kept connection
	writeTimeout time.Duration // to take a response's head, and each MiB (chunkSize) of its body
}

// serve accepts connections until ctx is cancelled, each in its own
// goroutine, then waits for those goroutines to finish.
func (s *server) serve(ctx context.Context, ln net.Listener) {
	// Closing the listener is the only way to wake a blocked Accept.
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	var retry backoff
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return // we closed the listener ourselves: a normal stop
		}
		if err != nil {
			// Out of file descriptors, say (each connection is one, and
			// ulimit -n caps them): a busy server, not a broken one. Wait
			// for clients to leave and try again, as in lesson 01.
			retry.wait(ctx, err)
			continue
		}
		retry.reset()
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handle(ctx, conn)
		}()
	}
}

// backoff spaces out retries of Accept after an error that passes
// (too many open files, ...): 5 ms, then twice as long each time, up
// to 1 s, like net/http. It logs once per burst, not once per retry.
type backoff struct{ delay time.Duration }

// wait logs err at the first failure of a burst, then sleeps, or returns
// early when ctx is done.
func (b *backoff) wait(ctx context.Context, err error) {
	if b.delay == 0 {
		log.Printf("accept: %v; trying again, less often each time, until it works", err)
		b.delay = 5 * time.Millisecond
	} else {
		b.delay = min(2*b.delay, time.Second)
	}
	t := time.NewTimer(b.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// reset ends a burst, after a successful Accept.
func (b *backoff) reset() { b.delay = 0 }

// handle serves one connection and logs how it ended. The last log line is
// logged before the connection closes, so a client that has seen the close
// knows the server's log holds it.
func (s *server) handle(ctx context.Context, conn net.Conn) {
	// At shutdown, close the connection too, or we would wait for a client
	// that may never hang up.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	who := conn.RemoteAddr().String()
	log.Printf("%s connected", who)
	n, end, unread := s.converse(conn, who)
	log.Printf("%s %s after %d %s", who, end, n, plural(n, "request"))
	if unread {
		closeGently(conn)
	} else {
		conn.Close()
	}
}

// converse answers requests on one connection until one side ends it. It
// returns how many requests it answered, how the conversation ended for
// the log, and whether the client may still be sending what the server
// will not read (after a refused request, or one with a body): then the
// connection must be closed gently.
func (s *server) converse(conn net.Conn, who string) (n int, end string, unread bool) {
	in := bufio.NewReader(conn)
	// Responses go out through a buffer too, flushed at the end of each:
	// the head and a small file (or the start of a big one) then leave in
	// one write, one packet. A head on its own would be a packet of its
	// own, and one more wake-up for the client.
	out := bufio.NewWriter(conn)
	for ; ; n++ {
		// Wait for the first byte of the next request. The first request
		// gets readTimeout, later ones idleTimeout: a browser keeps a
		// connection open in case it needs another file.
		wait := s.idleTimeout
		if n == 0 {
			wait = s.readTimeout
		}
		conn.SetReadDeadline(time.Now().Add(wait))
		if _, err := in.Peek(1); err != nil {
			return n, ended(err), false
		}
		// A request has begun: its head must arrive within readTimeout,
		// or one slow client (or a deliberate slowloris) would hold this
		// goroutine and its connection for ever.
		conn.SetReadDeadline(time.Now().Add(s.readTimeout))
		req, err := readRequest(in)
		// Whatever the answer, the client must take it in good time: one
		// that stops reading would otherwise hold this goroutine, the
		// connection and an open file for ever.
		conn.SetWriteDeadline(time.Now().Add(s.writeTimeout))
		var refused *statusError
		switch {
		case errors.As(err, &refused):
			_ = s.sendError(out, who, nil, refused, true)
			_ = out.Flush() // if it fails, so will closing gently
			return n + 1, "closed", true
		case errors.Is(err, os.ErrDeadlineExceeded):
			_ = s.sendError(out, who, nil, refuse(408, "the request's head took longer than %v", s.readTimeout), true)
			_ = out.Flush()
			return n + 1, "closed", true
		case err != nil:
			return n, ended(err), false
		}
		closing := req.wantsClose() || req.hasBody()
		err = s.respond(conn, out, who, req, closing)
		if err == nil {
			err = out.Flush()
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return n + 1, "stopped reading, closed", false
			}
			return n + 1, ended(err), false
		}
		if closing {
			return n + 1, "closed", req.hasBody()
		}
	}
}

// ended names the way a connection ended, for the log.
func ended(err error) string {
	switch {
	case errors.Is(err, net.ErrClosed):
		return "cut off by shutdown" // only shutdown closes a connection we still read
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "disconnected"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "idle, closed"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "reset the connection" // e.g. the client went away mid-file
	}
	return "failed (" + err.Error() + ")"
}

// respond answers one well-formed request, the file or an error page, in
// out, a buffer in front of conn.
func (s *server) respond(conn net.Conn, out *bufio.Writer, who string, req *request, closing bool) error {
	if req.target == "*" {
		// OPTIONS * (no other method may ask for *): not about a file but
		// about the server itself, and what it accepts.
		log.Printf("%s %q %d %d", who, clip(req.line), 200, 0)
		return writeHead(out, 200, []string{"Allow: GET, HEAD", "Content-Length: 0"}, closing)
	}
	if req.method != "GET" && req.method != "HEAD" {
		return s.sendError(out, who, req, refuse(405, "this server only answers GET and HEAD"), closing)
	}
	f, info, err := openFile(s.root, req.target)
	var refused *statusError
	if errors.As(err, &refused) {
		return s.sendError(out, who, req, refused, closing)
	}
	if err != nil {
		return err
	}
	defer f.Close()

	head := []string{
		"Content-Type: " + contentType(f.Name()),
		"Content-Length: " + strconv.FormatInt(info.Size(), 10),
		"Last-Modified: " + info.ModTime().UTC().Format(httpTime),
	}
	if err := writeHead(out, 200, head, closing); err != nil {
		return err
	}
	var sent int64
	if req.method == "GET" {
		sent, err = sendBody(conn, out, f, info.Size(), s.writeTimeout)
	}
	log.Printf("%s %q %d %d", who, clip(req.line), 200, sent)
	return err
}

// errShortFile says a file ended before the Content-Length its head
// announced: it shrank while it was being sent.
var errShortFile = errors.New("the file came up short of its Content-Length: did it shrink while being sent?")

// sendBody sends exactly size bytes of f: the Content-Length the head
// announced, no more and no fewer. A file can change while it is sent; a
// byte more than announced would be read by the client as the start of
// the next response, so io.CopyN stops at size even if the file grew. When
// the file shrank, the body cannot be finished, and the caller must close
// the connection: that is the only way left to tell the client.
//
// The head is waiting in out, and should not travel alone, a packet of its
// own and one more wake-up for the client: a small file joins it in the
// buffer whole, a bigger one its first bytes. The rest goes a chunk at a
// time, each with timeout to be taken: a slow link gets all the time a big
// file needs, as long as it keeps reading.
//
// From an *os.File to a *net.TCPConn, io.CopyN lets Linux use sendfile(2):
// the kernel copies the file's pages to the socket, and the bytes never
// enter the program (see the README's "Big files"). A bufio.Writer whose
// buffer is empty hands such a copy on to the connection.
func sendBody(conn net.Conn, out *bufio.Writer, f io.Reader, size int64, timeout time.Duration) (int64, error) {
	first := size
	if size > int64(out.Available()) {
		first = firstBytes
	}
	conn.SetWriteDeadline(time.Now().Add(timeout))
	sent, err := io.CopyN(out, f, first)
	if flushed := out.Flush(); err == nil {
		err = flushed
	}
	for err == nil && sent < size {
		conn.SetWriteDeadline(time.Now().Add(timeout))
		var n int64
		n, err = io.CopyN(out, f, min(size-sent, chunkSize))
		sent += n
	}
	if errors.Is(err, io.EOF) {
		return sent, errShortFile
	}
	return sent, err
}

// sendError sends an error page whose body names the cause. req is nil
// when the request could not be read. A HEAD gets the head alone, as for a
// file: a client expects no body after a HEAD, and one sent anyway would be
// read as the start of the next response.
func (s *server) sendError(w io.Writer, who string, req *request, e *statusError, closing bool) error {
	body := fmt.Sprintf("%d %s: %s\n", e.status, statusText[e.status], e.reason)
	head := []string{
		"Content-Type: text/plain; charset=utf-8",
		"Content-Length: " + strconv.Itoa(len(body)),
	}
	if e.status == 405 {
		head = append(head, "Allow: GET, HEAD") // required with a 405
	}
	if req != nil && req.method == "HEAD" {
		log.Printf("%s %q %d %d", who, clip(req.line), e.status, 0)
		return writeHead(w, e.status, head, closing)
	}
	if req == nil {
		log.Printf("%s - %d %d (%s)", who, e.status, len(body), e.reason)
	} else {
		log.Printf("%s %q %d %d", who, clip(req.line), e.status, len(body))
	}
	if err := writeHead(w, e.status, head, closing); err != nil {
		return err
	}
	_, err := io.WriteString(w, body)
	return err
}

// writeHead writes the status line and the headers, then the blank line
// that ends them. Every response says when it was sent (Date) and, when
// the connection is about to close, says that too.
func writeHead(w io.Writer, status int, fields []string, closing bool) error {
	// Solution: the response head (README: "A request and a response").
	// Write the status line, each field, a Date line, "Connection: close" when
	// closing, and the blank line, each ending in CRLF, in one write.

	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, statusText[status])
	for _, f := range fields {
		b.WriteString(f + "\r\n")
	}
	b.WriteString("Date: " + time.Now().UTC().Format(httpTime) + "\r\n")
	if closing {
		b.WriteString("Connection: close\r\n")
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
	// End of solution: the response head.
}

// statusText gives the reason phrase of each status this server sends.
var statusText = map[int]string{
	200: "OK",
	400: "Bad Request",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	408: "Request Timeout",
	414: "URI Too Long",
	431: "Request Header Fields Too Large",
	503: "Service Unavailable",
	505: "HTTP Version Not Supported",
}

// closeGently closes a connection whose client may still be sending. A
// plain Close with unread request bytes still in the socket (a refused
// request of 100 KiB, say) makes the kernel send RST, and the client may
// lose our response before reading it. So: send FIN first (CloseWrite), let
// the client read, and throw away what it still sends, for a short while.
// After a request it has read whole, the server closes plainly: the client
// said Connection: close, and sends no more.
func closeGently(conn net.Conn) {
	defer conn.Close()
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		if cw.CloseWrite() == nil {
			conn.SetReadDeadline(time.Now().Add(lingerTime))
			_, _ = io.CopyN(io.Discard, conn, 1<<20) // what the client still sends, thrown away
		}
	}
}

// clip keeps a log line readable when a request line is 8 KiB long.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "..."
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
