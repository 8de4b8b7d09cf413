package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"time"
)

// Lesson 01 beside its peers: the lesson's server against iperf3, which
// is no echo but the most one connection each way moves on this machine,
// and against the echo server of the classic Python tutorials.
func init() {
	figures = append(figures, &figure{
		name:    "01/peers",
		title:   "one connection sending 64 KiB chunks and reading the echo back at the same time: MB/s each way",
		readme:  "lessons/01-echo/README.md",
		columns: []string{"server", "MB/s each way", "ours ÷ this one"},
		rows:    []string{"this lesson's server", "iperf3 `--bidir` (not an echo)", "Python echo server"},
		measure: measurePeers,
	})
}

//go:embed peers/lesson01_echo.py
var pythonEcho []byte

const installIperf3 = "on Debian or Ubuntu: sudo apt-get install iperf3; on macOS: brew install iperf3"

// measurePeers lets the three take turns, each round starting each server
// afresh, and gives ours divided by each.
func measurePeers(r *run) ([][]string, error) {
	secs := r.pick(2, 1) // iperf3 counts its time in whole seconds
	ours := func() (float64, error) {
		s, err := r.startLesson("./lessons/01-echo/server", false)
		if err != nil {
			return 0, err
		}
		defer s.stop()
		return echoRate(s.addr, time.Duration(secs)*time.Second)
	}
	fns := []func() (float64, error){ours}
	// at[row] is the place of that row's measurement in fns, 0 when its
	// peer is missing.
	at := make([]int, 3)
	if iperf3, ok := r.peer("iperf3", installIperf3); ok {
		at[1] = len(fns)
		fns = append(fns, func() (float64, error) { return iperf3Rate(r, iperf3, secs) })
	}
	if python3, ok := r.peer("python3", installPython3); ok {
		script, err := r.file("peers/lesson01_echo.py", pythonEcho)
		if err != nil {
			return nil, err
		}
		at[2] = len(fns)
		fns = append(fns, func() (float64, error) {
			addrFile := r.scratch("addr-python")
			s, err := r.startServer("python echo", []string{python3, script, "127.0.0.1", "0", addrFile}, "", addrFile, false)
			if err != nil {
				return 0, err
			}
			defer s.stop()
			return echoRate(s.addr, time.Duration(secs)*time.Second)
		})
	}
	rates, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{spreadBy(thousands, rates[0]), "1"}}
	for _, i := range at[1:] {
		if i == 0 {
			rows = append(rows, []string{"", ""}) // not installed: not measured
			continue
		}
		rows = append(rows, []string{spreadBy(thousands, rates[i]), ratio(ratios(rates[0], rates[i]))})
	}
	return rows, nil
}

// echoRate is the client of the lesson's benchmark on a real server: it
// writes 64 KiB chunks to the echo server at addr for d while it reads
// the echo back, then half-closes and reads to the end. It returns the
// bytes that came back per second, in MB/s: the rate each way, since
// every byte went out and came back.
func echoRate(addr string, d time.Duration) (float64, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	// A server that stops echoing is a failure, not a hang.
	conn.SetDeadline(time.Now().Add(d + 30*time.Second))

	start := time.Now()
	wrote := make(chan error, 1)
	var sent int64
	go func() {
		chunk := make([]byte, 64*1024)
		for time.Since(start) < d {
			if _, err := conn.Write(chunk); err != nil {
				wrote <- err
				return
			}
			sent += int64(len(chunk))
		}
		wrote <- conn.(*net.TCPConn).CloseWrite()
	}()

	var got int64
	buf := make([]byte, 64*1024)
	for {
		n, err := conn.Read(buf)
		got += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("echo from %s: %w", addr, err)
		}
	}
	elapsed := time.Since(start)
	if err := <-wrote; err != nil {
		return 0, fmt.Errorf("echo to %s: %w", addr, err)
	}
	if got != sent {
		return 0, fmt.Errorf("echo from %s: %d bytes came back of %d sent", addr, got, sent)
	}
	return float64(got) / elapsed.Seconds() / 1e6, nil
}

// iperf3Rate runs an iperf3 server and its client with --bidir, one
// connection each way at once, for secs seconds, and returns the mean of
// the two directions' rates in MB/s (they seldom share evenly). The
// server is stopped after the test rather than started with -1 (one test,
// then exit): the bench's check that it listens is a connection, which
// iperf3 -1 would take for its one client.
func iperf3Rate(r *run, iperf3 string, secs int) (float64, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	_, port, _ := net.SplitHostPort(addr)
	s, err := r.startServer("iperf3", []string{iperf3, "-s", "-B", "127.0.0.1", "-p", port}, addr, "", false)
	if err != nil {
		return 0, err
	}
	defer s.stop()

	// A test that does not end is a failure, not a hang.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(secs)*time.Second+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, iperf3, "-c", "127.0.0.1", "-p", port, "--bidir", "-t", strconv.Itoa(secs), "-J").Output()
	var result struct {
		Error string `json:"error"`
		End   struct {
			Forward rate `json:"sum_received"`
			Reverse rate `json:"sum_received_bidir_reverse"`
		} `json:"end"`
	}
	jerr := json.Unmarshal(out, &result)
	switch {
	case result.Error != "": // iperf3 -J says what went wrong in its JSON
		return 0, fmt.Errorf("iperf3 -c: %s", result.Error)
	case err != nil:
		return 0, fmt.Errorf("iperf3 -c: %w", err)
	case jerr != nil:
		return 0, fmt.Errorf("iperf3 -c: reading its JSON: %w", jerr)
	}
	if result.End.Forward.BitsPerSecond == 0 || result.End.Reverse.BitsPerSecond == 0 {
		return 0, errors.New("iperf3 -c: no rate in both directions (is it 3.7 or newer, with --bidir?)")
	}
	return (result.End.Forward.BitsPerSecond + result.End.Reverse.BitsPerSecond) / 2 / 8 / 1e6, nil
}

// rate is one direction's summary in iperf3's JSON.
type rate struct {
	BitsPerSecond float64 `json:"bits_per_second"`
}
