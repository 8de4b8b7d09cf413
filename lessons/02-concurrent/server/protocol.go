package main

// The protocol, one line each way at a time, every line ending in "\n":
//
//	server: Welcome! Clients online: 2 (you included). Send your name, or exit to leave.
//	client: Ada
//	server: Hello, Ada!
//	client: exit
//	server: Bye!                       and the server hangs up
//
// TCP delivers a stream of bytes with no boundaries in it (lesson 01), so
// the protocol must say where a message ends: here, at a newline. The
// server reads up to the newline however many Reads that takes, and never
// takes one Read for one message.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
	"unicode/utf8"
)

// ending says why a conversation ended: why, for the log, and last, the
// server's last line to the client, if it has one to send.
type ending struct {
	why  string
	last string
}

// converse talks the protocol with one client until one side ends it.
func (s *server) converse(ctx context.Context, conn net.Conn, online int) ending {
	if err := s.send(conn, welcome(online)); err != nil {
		return s.failed(err)
	}
	// The reader's buffer is the longest line we accept: memory per
	// client is bounded, whatever the client sends.
	in := bufio.NewReaderSize(conn, s.maxLine)
	for {
		line, err := s.nextLine(ctx, conn, in)
		if err != nil {
			return s.interrupted(ctx, err, len(line) > 0)
		}
		reply, bye := answer(line)
		if bye {
			return ending{"said exit", reply}
		}
		if err := s.send(conn, reply); err != nil {
			return s.failed(err)
		}
	}
}

// interrupted says why waiting for the next line failed; begun says
// whether part of the line had come.
func (s *server) interrupted(ctx context.Context, err error, begun bool) ending {
	switch {
	case ctx.Err() != nil:
		return ending{"told of the shutdown", "shutdown: the server is stopping; goodbye"}
	case errors.Is(err, bufio.ErrBufferFull):
		return ending{
			fmt.Sprintf("sent a line over %d bytes: told and closed", s.maxLine),
			fmt.Sprintf("error: line longer than %d bytes; closing", s.maxLine),
		}
	case errors.Is(err, os.ErrDeadlineExceeded) && begun:
		// Not silent: a line begun and never ended, or a slowloris that
		// sends a byte now and then to hold its place.
		return ending{
			fmt.Sprintf("sent a line that did not end within %v: told and closed", s.idle),
			fmt.Sprintf("timeout: your line did not end within %v; closing", s.idle),
		}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ending{
			fmt.Sprintf("was idle for %v: told and closed", s.idle),
			fmt.Sprintf("timeout: nothing from you for %v; closing", s.idle),
		}
	}
	return s.failed(err)
}

// failed describes a conversation that ended because a read or a write
// failed: the client ended it, politely or not, or stopped reading.
func (s *server) failed(err error) ending {
	switch {
	case errors.Is(err, io.EOF):
		return ending{why: "hung up"} // its end of the stream: a FIN
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		// The client's kernel answered with RST: the program crashed, or
		// closed with unread data. Its problem, not ours or the others'.
		return ending{why: "reset the connection"}
	case errors.Is(err, os.ErrDeadlineExceeded):
		// A write waited s.idle for room: the client sends, but does not
		// read. Nothing to tell it; closing frees its place.
		return ending{why: fmt.Sprintf("read none of its replies for %v: closed", s.idle)}
	}
	return ending{why: fmt.Sprintf("failed: %v", err)}
}

// nextLine waits up to s.idle for the client's next line.
func (s *server) nextLine(ctx context.Context, conn net.Conn, in *bufio.Reader) ([]byte, error) {
	// The deadline is pushed forward before each line, so it means "idle":
	// a client that keeps talking is never cut off, and one that sends a
	// byte now and then without ever finishing a line is.
	conn.SetReadDeadline(time.Now().Add(s.idle))
	// Shutdown cancels ctx and only then sets a deadline in the past. If
	// that happened just before our line above, we have overwritten it;
	// but then ctx is already cancelled, and this check sees it.
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return readLine(in)
}

// readLine returns the next line without its "\n" (or "\r\n", which nc -C
// and telnet send). A line that does not fit in the reader's buffer is
// bufio.ErrBufferFull; a last line with no newline before the end of the
// stream is not a line, and is dropped with io.EOF. With an error come the
// bytes of the line that did not end, if any.
func readLine(in *bufio.Reader) ([]byte, error) {
	line, err := in.ReadSlice('\n')
	if err != nil {
		return line, err
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// answer is the whole application: a reply to one line, and whether the
// client said goodbye.
func answer(line []byte) (reply string, bye bool) {
	switch {
	case string(line) == "exit":
		return "Bye!", true
	case len(line) == 0:
		return "error: empty line; send your name, or exit", false
	case !utf8.Valid(line):
		// Bytes become text only through an encoding; we speak UTF-8.
		return "error: not UTF-8 text; send your name in UTF-8", false
	}
	return "Hello, " + string(line) + "!", false
}

// welcome is the first line every client gets.
func welcome(online int) string {
	return fmt.Sprintf("Welcome! Clients online: %d (you included). Send your name, or exit to leave.", online)
}

// send writes one line. A client that reads nothing fills the kernel's
// buffers until Write blocks; the deadline gives such a client as long as
// a silent one, s.idle.
func (s *server) send(conn net.Conn, line string) error {
	conn.SetWriteDeadline(time.Now().Add(s.idle))
	_, err := io.WriteString(conn, line+"\n")
	return err
}

// lingerTime bounds how long hangUp waits for the client to finish.
const lingerTime = time.Second

// hangUp ends a connection the server chose to end. Closing at once while
// the client is still sending (the rest of a long line, say) would make our
// kernel answer with RST, and an RST can make the client's kernel throw
// away the last line we sent, the one that says why. So we send FIN first
// (CloseWrite: "no more from me"), then read and discard whatever is still
// coming, for a moment, before the caller's Close.
func hangUp(conn net.Conn) {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite() // a goodbye: if it fails, the client is gone already
	}
	conn.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.Copy(io.Discard, conn) // what it still sends, thrown away; it ends with the deadline
}
