package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// talk sends everything from in and prints everything the server says,
// both at once. The server speaks when it likes, not only in reply: the
// welcome comes first, and a notice can come at any time (we were idle
// too long, the server is shutting down). So one goroutine sends while
// this one prints, and the session is over when the server hangs up.
func talk(conn net.Conn, in io.Reader, out io.Writer, timeout time.Duration) error {
	go func() {
		_, _ = io.Copy(conn, in) // an error here shows up below as well: the server has gone
		// End of input: send FIN ("no more from me") and keep reading; the
		// server answers what it has, then hangs up too.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite() // if it fails, the reads below end with the error
		}
	}()

	// A server that accepted us must welcome us at once. If it does not, it
	// is probably busy with another client, like lesson 01's, and the
	// kernel completed our handshake from its listen backlog.
	conn.SetReadDeadline(time.Now().Add(timeout))
	replies := bufio.NewReader(conn)
	welcome, err := replies.ReadString('\n')
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("no welcome from the server within %v: it accepted the connection but does not answer (is it serving another client, one at a time?)", timeout)
	}
	_, _ = io.WriteString(out, welcome)
	if err == nil {
		conn.SetReadDeadline(time.Time{}) // from now on, wait as long as the user types
		_, err = io.Copy(out, replies)
	}
	if errors.Is(err, syscall.ECONNRESET) {
		return errors.New("the server reset the connection")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("receive: %w", err)
	}
	return nil
}
