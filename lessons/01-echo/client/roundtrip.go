package main

// The conversation with the echo server: a round trip per message, or a
// whole stream sent and received at once.

import (
	"fmt"
	"io"
	"net"
)

// roundTrips sends each message as one line and waits for all of it to
// come back before sending the next.
func roundTrips(conn net.Conn, msgs []string, out io.Writer) error {
	// Solution: the round trip (README: "Streams, not messages").
	// For each message: send it as one line, read back exactly as many bytes
	// (one Read may return fewer), and write them to out.

	for _, msg := range msgs {
		line := []byte(msg + "\n") // a Go string is UTF-8 bytes already
		if _, err := conn.Write(line); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		// One Read returns whatever has arrived, which may be less than we
		// sent: TCP delivers a stream of bytes, not messages. io.ReadFull
		// keeps reading until it has every byte we expect.
		reply := make([]byte, len(line))
		if n, err := io.ReadFull(conn, reply); err != nil {
			return fmt.Errorf("the server closed the connection after echoing %d of %d bytes", n, len(line))
		}
		if _, err := out.Write(reply); err != nil {
			return err
		}
	}
	return nil
	// End of solution: the round trip.
}

// hangUp ends the conversation politely: it half-closes (FIN: "no more
// from me") and reads until the server closes its side too. When it returns,
// the server has seen our end, so the client's exit means the server is done.
func hangUp(conn net.Conn) error {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		if err := cw.CloseWrite(); err != nil {
			return err
		}
	}
	extra, err := io.Copy(io.Discard, conn)
	if err != nil {
		return fmt.Errorf("hang up: %w", err)
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

// stream sends everything from in and copies the echo to out, both at once:
// sending all first and reading after would stall once the kernel's buffers
// are full, the server blocked writing to us and we blocked writing to it.
func stream(conn net.Conn, in io.Reader, out io.Writer) error {
	done := make(chan sent, 1)
	go func() {
		n, err := io.Copy(conn, in)
		done <- sent{n, err} // before the FIN below, so it is here by the time the echo ends
		// Half-close: send FIN to say "no more from me" while we keep
		// reading. The server reads io.EOF, finishes echoing and closes.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite() // if it fails, the reads below end with the error
		}
	}()

	got, err := io.Copy(out, conn)
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	select {
	case s := <-done:
		if s.err != nil {
			return fmt.Errorf("send: %w", s.err)
		}
		if got != s.n {
			return fmt.Errorf("sent %d bytes but got %d back", s.n, got)
		}
		return nil
	default:
		// The server hung up while we still had input to send.
		return fmt.Errorf("the server closed the connection after echoing %d bytes, before the end of the input", got)
	}
}
