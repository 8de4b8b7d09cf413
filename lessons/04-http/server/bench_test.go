package main

// How does this server compare with the standard library's? This
// benchmark runs both as child processes on loopback, ours and
// http.FileServer(http.Dir(root)), serving the same folder, and sends both
// the same load from 50 clients at a time: a small file (1 KiB) and a big
// one (1 MiB), on connections kept open (keep-alive) and on a new
// connection per request (close). The two servers take turns, eleven
// rounds each, the one that goes first changing every round, so that
// whatever else the machine is doing slows both alike; the benchmark
// reports each one's median rate, and the median of the rounds' ratios.
// From the lesson's folder:
//
//	go test -run XXX -bench VersusNetHTTP -benchtime 2000x ./server
//	go test -run XXX -bench VersusNetHTTP -benchtime 1000x ./server -strace
//
// -benchtime is the requests per round. The first command reports
// requests per second, ratio = ours / net/http's (the median of the
// rounds'), and the processor time each server used per request. The
// second runs each server under strace -f -c (Linux, where strace is
// installed) and reports the system calls each made per request instead,
// startup and shutdown included; strace slows both servers down, so it
// reports no rates. The README's tables come from the workbook's bench,
// which measures the same loads with nginx and Python's server beside
// these two (go run ./tools/bench 04, from the root).

import (
	"bufio"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var straceFlag = flag.Bool("strace", false, "count each server's system calls per request with strace -f -c")

const (
	benchClients = 50 // connections at a time
	benchRounds  = 11 // turns each server takes; odd, for a median
	serverEnv    = "SOCKETBOOK_BENCH_SERVER"
)

// benchFiles are the files the load asks for, and their sizes. Both have
// an extension net/http knows, so neither server reads a file to guess its
// type.
var benchFiles = []struct {
	name string
	size int
}{
	{"small.html", 1 << 10},
	{"big.png", 1 << 20},
}

// TestMain lets this test binary play either server in a child process of
// the benchmark: ours (the lesson's own main) or net/http's.
func TestMain(m *testing.M) {
	switch os.Getenv(serverEnv) {
	case "ours":
		main() // returns only when the server stopped well
		os.Exit(0)
	case "nethttp":
		serveNetHTTP(os.Args[1], os.Args[2])
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveNetHTTP is net/http's file server for root, until SIGINT. It writes
// the address it listens on to addrFile, as ours does with -addrfile.
func serveNetHTTP(root, addrFile string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		err = writeAddr(addrFile, ln.Addr().String())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv := &http.Server{Handler: http.FileServer(http.Dir(root))}
	go func() { _ = srv.Serve(ln) }() // ends with ErrServerClosed at srv.Close
	<-ctx.Done()
	_ = srv.Close()
}

func BenchmarkVersusNetHTTP(b *testing.B) {
	if *straceFlag {
		if _, err := exec.LookPath("strace"); err != nil {
			b.Skip("strace is not installed (on Debian: apt-get install -y strace)")
		}
	}
	root := benchRoot(b)
	for _, f := range benchFiles {
		for _, mode := range []string{"keep-alive", "close"} {
			b.Run(strings.TrimSuffix(f.name, filepath.Ext(f.name))+"/"+mode, func(b *testing.B) {
				compare(b, root, f.name, f.size, mode == "keep-alive")
			})
		}
	}
}

// compare runs the rounds of one load against both servers and reports
// their median rates, or their system calls per request.
func compare(b *testing.B, root, file string, size int, keepAlive bool) {
	ours := startServer(b, "ours", root)
	theirs := startServer(b, "nethttp", root)
	rates := map[*child][]float64{}
	var ratios []float64 // ours / net/http's, round by round
	b.ResetTimer()
	for round := 0; round < benchRounds; round++ {
		first, second := ours, theirs
		if round%2 == 1 {
			first, second = theirs, ours
		}
		for _, c := range []*child{first, second} {
			took := load(b, c.addr, "/"+file, size, b.N, keepAlive)
			rates[c] = append(rates[c], float64(b.N)/took.Seconds())
		}
		ratios = append(ratios, rates[ours][round]/rates[theirs][round])
	}
	b.StopTimer()
	ours.stop(b)
	theirs.stop(b)
	requests := float64(benchRounds * b.N)
	if *straceFlag {
		b.ReportMetric(countCalls(b, ours.counts)/requests, "ours-calls/req")
		b.ReportMetric(countCalls(b, theirs.counts)/requests, "nethttp-calls/req")
		return
	}
	b.ReportMetric(median(rates[ours]), "ours-req/s")
	b.ReportMetric(median(rates[theirs]), "nethttp-req/s")
	b.ReportMetric(median(ratios), "ratio")
	// The processor time each server used, per request: less at the mercy
	// of what else the machine is doing than the rate is.
	b.ReportMetric(float64(ours.cpu().Microseconds())/requests, "ours-cpu-µs/req")
	b.ReportMetric(float64(theirs.cpu().Microseconds())/requests, "nethttp-cpu-µs/req")
}

// benchRoot makes a folder holding the benchmark's files, of random bytes.
func benchRoot(b *testing.B) string {
	dir := b.TempDir()
	for _, f := range benchFiles {
		data := make([]byte, f.size)
		_, _ = rand.Read(data)
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// A child is one server, running in a process of its own.
type child struct {
	name   string
	addr   string
	cmd    *exec.Cmd
	counts string // strace's summary, with -strace
}

// startServer starts this test binary as the server called name, under
// strace with -strace, and waits for its address. Its log goes nowhere,
// though ours still writes it.
func startServer(b *testing.B, name, root string) *child {
	dir := b.TempDir()
	c := &child{name: name, counts: filepath.Join(dir, "strace.txt")}
	addrFile := filepath.Join(dir, "addr")
	args := []string{"-addr", "127.0.0.1:0", "-addrfile", addrFile, "-root", root}
	if name == "nethttp" {
		args = []string{root, addrFile}
	}
	args = append([]string{os.Args[0]}, args...)
	if *straceFlag {
		args = append([]string{"strace", "-f", "-c", "-o", c.counts}, args...)
	}
	c.cmd = exec.Command(args[0], args[1:]...)
	c.cmd.Env = append(os.Environ(), serverEnv+"="+name)
	if err := c.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.stop(b) })
	for deadline := time.Now().Add(30 * time.Second); c.addr == ""; {
		if data, err := os.ReadFile(addrFile); err == nil {
			c.addr = strings.TrimSpace(string(data))
		} else if time.Now().After(deadline) {
			b.Fatalf("%s never wrote its address", name)
		}
		time.Sleep(10 * time.Millisecond) // poll for the file; the loop ends as soon as it is there
	}
	return c
}

// stop stops the server with SIGINT, as Ctrl-C would, and waits for it.
func (c *child) stop(b *testing.B) {
	if c.cmd.Process == nil || c.cmd.ProcessState != nil {
		return
	}
	// Under strace, the server is strace's child: signal it, not strace.
	pid := c.cmd.Process.Pid
	if *straceFlag {
		children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if err == nil {
			pid, err = strconv.Atoi(strings.TrimSpace(string(children)))
		}
		if err != nil {
			b.Fatalf("cannot find %s's process under strace: %v", c.name, err)
		}
	}
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Signal(os.Interrupt)
	}
	if err := c.cmd.Wait(); err != nil {
		b.Fatalf("%s: %v", c.name, err)
	}
}

// cpu is the processor time the stopped server used, user and system.
func (c *child) cpu() time.Duration {
	return c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
}

// countCalls reads the total of strace -c's summary, the line
//
//	100.00    0.123456           2     58123      1234 total
//
// whose fourth column is the number of calls, and logs the calls that
// make up most of it.
func countCalls(b *testing.B, file string) float64 {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s:\n%s", file, data)
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 5 && fields[len(fields)-1] == "total" {
			n, err := strconv.ParseFloat(fields[3], 64)
			if err != nil {
				break
			}
			return n
		}
	}
	b.Fatalf("no total in strace's summary %s", file)
	return 0
}

// load sends n requests for path to addr from benchClients goroutines at
// once and returns how long they took.
func load(b *testing.B, addr, path string, size, n int, keepAlive bool) time.Duration {
	work := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		work <- struct{}{}
	}
	close(work)
	errs := make(chan error, benchClients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < benchClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- client(addr, path, size, work, keepAlive)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	return took
}

// client sends one request for each token it takes from work, on a new
// connection each time or on one kept-open connection, and checks each
// response with net/http's parser.
func client(addr, path string, size int, work <-chan struct{}, keepAlive bool) error {
	request := "GET " + path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
	if keepAlive {
		request = "GET " + path + " HTTP/1.1\r\nHost: bench\r\n\r\n"
	}
	var conn net.Conn
	var in *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for range work {
		if conn == nil {
			var err error
			if conn, err = net.Dial("tcp", addr); err != nil {
				return err
			}
			in = bufio.NewReader(conn)
		}
		if _, err := io.WriteString(conn, request); err != nil {
			return err
		}
		resp, err := http.ReadResponse(in, nil)
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 || n != int64(size) {
			return fmt.Errorf("%s%s: status %d with %d bytes, want 200 with %d", addr, path, resp.StatusCode, n, size)
		}
		if !keepAlive {
			conn.Close()
			conn = nil
		}
	}
	return nil
}

// median is the middle of the values.
func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.Sort(v)
	return v[len(v)/2]
}
