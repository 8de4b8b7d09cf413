package main

// How does this server compare with the standard library's? This
// benchmark starts both on loopback, serving the same index.html, and
// sends both the same load from the same client: 8 connections at a time,
// with Connection: close (a new TCP connection per request) and with
// keep-alive (8 connections, reused). The two servers take turns, in ten
// rounds each, so that whatever else the machine is doing slows both.
// Run it from the lesson's folder:
//
//	go test -run XXX -bench VersusNetHTTP -benchtime 20000x ./server
//
// It reports requests per second and the 99th-percentile latency of each
// server, and ratio = ours / net/http's requests per second. The README
// quotes the figures this machine gave.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

const (
	benchClients = 8  // connections at a time
	benchRounds  = 10 // turns each server takes
)

func BenchmarkVersusNetHTTP(b *testing.B) {
	b.Run("close", func(b *testing.B) { compare(b, false) })
	b.Run("keep-alive", func(b *testing.B) { compare(b, true) })
}

func compare(b *testing.B, keepAlive bool) {
	root := benchRoot(b)
	ours := startOurs(b, root)
	theirs := startNetHTTP(b, root)

	var oursLat, theirsLat []time.Duration
	var oursTime, theirsTime time.Duration
	b.ResetTimer()
	for round := 0; round < benchRounds; round++ {
		n := b.N / benchRounds
		if round == 0 {
			n += b.N % benchRounds
		}
		lat, took := load(b, ours, n, keepAlive)
		oursLat, oursTime = append(oursLat, lat...), oursTime+took
		lat, took = load(b, theirs, n, keepAlive)
		theirsLat, theirsTime = append(theirsLat, lat...), theirsTime+took
	}
	b.StopTimer()

	oursRate := float64(b.N) / oursTime.Seconds()
	theirsRate := float64(b.N) / theirsTime.Seconds()
	b.ReportMetric(oursRate, "ours-req/s")
	b.ReportMetric(theirsRate, "nethttp-req/s")
	b.ReportMetric(oursRate/theirsRate, "ratio")
	b.ReportMetric(float64(p99(oursLat).Microseconds()), "ours-p99-µs")
	b.ReportMetric(float64(p99(theirsLat).Microseconds()), "nethttp-p99-µs")
}

// benchRoot makes a folder holding a copy of the lesson's index.html.
func benchRoot(b *testing.B) string {
	page, err := os.ReadFile(filepath.Join("..", "www", "index.html"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// startOurs runs this lesson's server, its log silenced, until b ends.
func startOurs(b *testing.B, root string) string {
	dir, err := realRoot(root)
	if err != nil {
		b.Fatal(err)
	}
	log.SetOutput(io.Discard) // each request still formats its log line
	b.Cleanup(func() { log.SetOutput(os.Stderr) })
	s := &server{root: dir, readTimeout: 10 * time.Second, idleTimeout: time.Minute, writeTimeout: 30 * time.Second}
	ln := listen(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.serve(ctx, ln)
		close(done)
	}()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	return ln.Addr().String()
}

// startNetHTTP runs net/http's file server on the same folder until b ends.
func startNetHTTP(b *testing.B, root string) string {
	srv := &http.Server{Handler: http.FileServer(http.Dir(root))}
	ln := listen(b)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func listen(b *testing.B) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	return ln
}

// load sends n requests for / to addr from benchClients goroutines and
// returns each request's latency and the time the whole load took.
func load(b *testing.B, addr string, n int, keepAlive bool) ([]time.Duration, time.Duration) {
	work := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		work <- struct{}{}
	}
	close(work)
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < benchClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat, err := client(addr, work, keepAlive)
			mu.Lock()
			defer mu.Unlock()
			all = append(all, lat...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	return all, took
}

// client sends one request for each token it takes from work, on a new
// connection each time or on one kept-open connection, and checks each
// response with net/http's parser.
func client(addr string, work <-chan struct{}, keepAlive bool) ([]time.Duration, error) {
	request := "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
	if keepAlive {
		request = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
	}
	var lat []time.Duration
	var conn net.Conn
	var in *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for range work {
		start := time.Now()
		if conn == nil {
			var err error
			if conn, err = net.Dial("tcp", addr); err != nil {
				return lat, err
			}
			in = bufio.NewReader(conn)
		}
		if _, err := io.WriteString(conn, request); err != nil {
			return lat, err
		}
		resp, err := http.ReadResponse(in, nil)
		if err != nil {
			return lat, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return lat, err
		}
		if resp.StatusCode != 200 || n == 0 {
			return lat, fmt.Errorf("%s: status %d with %d bytes", addr, resp.StatusCode, n)
		}
		if !keepAlive {
			conn.Close()
			conn = nil
		}
		lat = append(lat, time.Since(start))
	}
	return lat, nil
}

// p99 is the latency that 99% of the requests beat.
func p99(lat []time.Duration) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[len(lat)*99/100]
}
