package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// flood sends n datagrams as fast as it can, all from one socket, while a
// goroutine counts the replies. Nothing slows the sender down to the
// server's pace (that would be flow control, which TCP has and UDP has
// not), so when the server's receive buffer is full the kernel throws the
// next datagrams away, silently. The count of replies shows how many.
func (c *caller) flood(n int, out io.Writer) error {
	conn, err := c.open()
	if err != nil {
		return err
	}
	defer conn.Close()

	var sentAll atomic.Bool
	answered := make(chan int, 1)
	go func() { answered <- c.countReplies(conn, &sentAll) }()

	start := time.Now()
	for i := 1; i <= n; i++ {
		if err := c.send(conn, []byte("flood "+strconv.Itoa(i))); err != nil {
			conn.Close() // stops the counter
			<-answered
			return err
		}
	}
	sending := time.Since(start)
	sentAll.Store(true)
	got := <-answered

	lost := n - got
	fmt.Fprintf(out, "sent %d datagrams, %d answered, %d lost (%.1f%%)\n", n, got, lost, 100*float64(lost)/float64(n))
	fmt.Fprintf(out, "sending took %v: %.0f datagrams a second\n", sending.Round(time.Millisecond), float64(n)/sending.Seconds())
	return nil
}

// countReplies counts the server's replies until, with everything sent,
// none has come for c.timeout: the rest were lost. The deadline is pushed
// forward after each reply, because it means "quiet for this long".
func (c *caller) countReplies(conn *net.UDPConn, sentAll *atomic.Bool) int {
	buf := make([]byte, 64*1024)
	got := 0
	for {
		conn.SetReadDeadline(time.Now().Add(c.timeout))
		_, from, err := conn.ReadFromUDP(buf)
		switch {
		case err == nil:
			if from.IP.Equal(c.server.IP) && from.Port == c.server.Port {
				got++
			}
		case errors.Is(err, os.ErrDeadlineExceeded) && !sentAll.Load():
			// Quiet, but we are still sending: keep listening.
		default:
			return got // quiet after the last send, or the socket closed
		}
	}
}
