package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// hold opens n connections, one after another, reads each one's welcome,
// and keeps them all open and silent until Ctrl-C. Meanwhile the server
// keeps a goroutine, a socket and a small buffer for each: look at its
// memory (the README shows how) and divide by n.
func hold(d dialer, n int, out io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		conn, err := d.dial()
		if err != nil {
			return fmt.Errorf("connection %d of %d: %w", i+1, n, err)
		}
		conns = append(conns, conn)
		// A small reader, used once: the welcome is one short line.
		conn.SetReadDeadline(time.Now().Add(d.timeout))
		welcome, err := bufio.NewReaderSize(conn, 128).ReadString('\n')
		if err != nil {
			return fmt.Errorf("connection %d of %d: no welcome: %v", i+1, n, err)
		}
		if !strings.HasPrefix(welcome, "Welcome!") {
			return fmt.Errorf("connection %d of %d: the server said %q (is its -max-clients too low?)", i+1, n, strings.TrimSpace(welcome))
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	fmt.Fprintf(out, "holding %d connections to %s; Ctrl-C to let go\n", n, d.addr)
	<-ctx.Done()
	return nil
}
