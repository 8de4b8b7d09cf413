package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// startUDP starts a UDP server, argv, that writes the address it got to
// addrFile once its socket is bound, with its log (standard error) going
// straight to logTo: a file it creates, or os.DevNull. The core's
// startServer cannot wait for it, since it waits for a TCP connection and
// a UDP server accepts none; here the address file is the sign, and a
// datagram sent after it waits in the socket's buffer to be read.
func (r *run) startUDP(name string, argv []string, addrFile, logTo string) (*server, error) {
	log, err := os.Create(logTo) // os.DevNull too: opened for writing, not emptied
	if err != nil {
		return nil, err
	}
	defer log.Close() // the server has its own copy of the descriptor
	s := &server{name: name, cmd: exec.Command(argv[0], argv[1:]...)}
	s.cmd.Stderr = log // the file itself, not a pipe the bench would copy from
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s.exited = make(chan struct{})
	go func() {
		_ = s.cmd.Wait() // stop reads the state; an early exit is reported below
		close(s.exited)
	}()
	r.started(s) // so that cleanup stops it, as it does the others
	deadline := time.After(20 * time.Second)
	for {
		if data, err := os.ReadFile(addrFile); err == nil && strings.HasSuffix(string(data), "\n") {
			s.addr = strings.TrimSpace(string(data))
			return s, nil
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited before it wrote its address: %s", name, lastLog(logTo))
		case <-deadline:
			s.kill()
			return nil, fmt.Errorf("%s wrote no address within 20s: %s", name, lastLog(logTo))
		case <-time.After(10 * time.Millisecond): // poll: a program's start gives no other sign
		}
	}
}

// lastLog is the last line of a server's log, for an error message.
func lastLog(logTo string) string {
	if logTo == os.DevNull {
		return "(its log went to " + os.DevNull + ")"
	}
	data, err := os.ReadFile(logTo)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	return lastLine(string(data))
}

// flood runs the lesson's client with -flood n against the server at
// addr and returns the percentage lost, from the line it prints:
//
//	sent 10000 datagrams, 4073 answered, 5927 lost (59.3%)
//
// The client stops counting once no reply has come for its -timeout
// after the last send; half a second is long enough for a server to
// empty its buffer, and saves the default second on every flood.
func flood(client, addr string, n int) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, client, "-addr", addr, "-timeout", "500ms", "-flood", strconv.Itoa(n)).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("client -flood %d: %v: %s", n, err, lastLine(string(out)))
	}
	var sent, answered, lost int
	if _, err := fmt.Sscanf(string(out), "sent %d datagrams, %d answered, %d lost", &sent, &answered, &lost); err != nil || sent != n {
		return 0, fmt.Errorf("client -flood %d printed %q, not the line the bench reads", n, lastLine(string(out)))
	}
	return 100 * float64(lost) / float64(sent), nil
}

// roundTrips is the loop of the lesson's BenchmarkRoundTrip against a
// server in a process of its own: for d, it sends a datagram of size
// bytes, waits for the reply and checks that it is the datagram in upper
// case, one at a time. It returns the round trips a second. With one
// datagram in flight no buffer overflows, so nothing is lost on loopback;
// a reply that does not come is a failure, not a hang.
func roundTrips(addr string, size int, d time.Duration) (float64, error) {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return 0, err
	}
	conn, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(d + 10*time.Second))

	msg := bytes.Repeat([]byte("a"), size)
	want := bytes.ToUpper(msg)
	reply := make([]byte, 64*1024)
	trips := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := conn.Write(msg); err != nil {
			return 0, fmt.Errorf("round trip to %s: %w", addr, err)
		}
		n, err := conn.Read(reply)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, fmt.Errorf("round trip to %s: no reply to a %d-byte datagram", addr, size)
		}
		if err != nil {
			return 0, fmt.Errorf("round trip to %s: %w", addr, err)
		}
		if !bytes.Equal(reply[:n], want) {
			return 0, fmt.Errorf("round trip to %s: got %d bytes back, want the %d sent in upper case", addr, n, size)
		}
		trips++
	}
	return float64(trips) / time.Since(start).Seconds(), nil
}
