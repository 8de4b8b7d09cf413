package main

// The conversation with the echo server, as in lesson 01, with every
// failure explained by the time-out or the option that caused it.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// roundTrips sends each message as one line and reads all of its echo
// before sending the next.
func roundTrips(conn *timedConn, msgs []string, out io.Writer) error {
	for _, msg := range msgs {
		line := []byte(msg + "\n")
		if _, err := conn.Write(line); err != nil {
			return sendError(conn, err)
		}
		reply := make([]byte, len(line))
		if n, err := io.ReadFull(conn, reply); err != nil {
			return replyError(conn, err, n, len(line))
		}
		if _, err := out.Write(reply); err != nil {
			return err
		}
	}
	return nil
}

// hangUp half-closes (FIN) and reads until the server closes its side too.
func hangUp(conn *timedConn) error {
	if err := conn.closeWrite(); err != nil {
		return err
	}
	extra, err := io.Copy(io.Discard, conn)
	if err != nil {
		return replyError(conn, err, 0, 0)
	}
	if extra > 0 {
		return fmt.Errorf("the server sent %d bytes more than we sent it", extra)
	}
	return nil
}

// sent is what the sending half of stream reports when it is done.
type sent struct {
	n   int64
	err error
}

// stream sends everything from in and copies the echo to out, both at
// once, then half-closes (see lesson 01).
func stream(conn *timedConn, in io.Reader, out io.Writer) error {
	done := make(chan sent, 1)
	go func() {
		n, err := io.Copy(conn, in)
		done <- sent{n, err} // before the close below, so it is here when the reader wakes
		if err != nil {
			conn.Close() // nothing more will come: wake the reader below
			return
		}
		_ = conn.closeWrite() // if it fails, the reader below sees the connection end
	}()

	got, err := io.Copy(out, conn)
	var s sent
	select {
	case s = <-done:
	default:
		s.err = errors.New("the server closed the connection before the end of the input")
	}
	switch {
	case s.err != nil && !errors.Is(s.err, net.ErrClosed):
		return sendError(conn, s.err) // the cause; the reader only saw our Close
	case err != nil:
		return replyError(conn, err, 0, 0)
	case got != s.n:
		return fmt.Errorf("sent %d bytes but got %d back", s.n, got)
	}
	return nil
}

// sendError explains a failed write.
func sendError(conn *timedConn, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) && !conn.interrupted() {
		return fmt.Errorf("send: the server took no data for %v (write time-out: its buffers are full, it is not reading; see -writetimeout)", conn.write)
	}
	return fmt.Errorf("send: %w", err)
}

// replyError explains a failed read: got of want bytes had come.
func replyError(conn *timedConn, err error, got, want int) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) && !conn.interrupted():
		return fmt.Errorf("no reply within %v (read time-out; see -readtimeout)", conn.read)
	case errors.Is(err, syscall.ECONNRESET):
		// RST instead of FIN: the server crashed, or closed with
		// SO_LINGER 0. Whatever it had sent before, we have read.
		return errors.New("the server reset the connection (RST: connection reset by peer) instead of closing it")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("the server closed the connection after echoing %d of %d bytes", got, want)
	}
	return fmt.Errorf("receive: %w", err)
}
