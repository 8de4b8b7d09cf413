package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// httpClients is how many connections lesson 04's load keeps busy at
// once, as the lesson's own benchmark (server/bench_test.go) does.
const httpClients = 50

// An httpLoad is one of the loads lesson 04 compares the servers on: one
// file asked for again and again, on connections kept open or on a new
// connection per request.
type httpLoad struct {
	row       string // its row in the tables
	path      string
	size      int
	keepAlive bool
}

var httpLoads = []httpLoad{
	{"1 KiB, keep-alive", "/small.html", 1 << 10, true},
	{"1 KiB, a connection per request", "/small.html", 1 << 10, false},
	{"1 MiB, keep-alive", "/big.png", 1 << 20, true},
	{"1 MiB, a connection per request", "/big.png", 1 << 20, false},
}

// measure gives l's load to server s for warm and then d, and measures
// the second part only, when every client is busy: the requests answered
// in it, per second, and the processor time s spent on each (ns; 0 where
// there is no /proc to read it from). Each round lasts the same time
// whatever the server, python's too: the load stops at its end, cutting
// short the requests under way, which are not counted.
func (l httpLoad) measure(s *server, warm, d time.Duration) (rate, cpu float64, err error) {
	from := time.Now().Add(warm)
	end := from.Add(d)
	var mu sync.Mutex
	counted := 0
	answered := func(at time.Time) {
		if at.After(from) && at.Before(end) {
			mu.Lock()
			counted++
			mu.Unlock()
		}
	}
	more := func() bool { return time.Now().Before(end) }
	errs := make(chan error, httpClients)
	for range httpClients {
		go func() { errs <- l.client(s.addr, end, more, answered) }()
	}
	time.Sleep(time.Until(from)) // the clock says when to look, not an event
	before, cpuErr := processorTime(s)
	time.Sleep(time.Until(end))
	after, _ := processorTime(s)
	for range httpClients {
		if e := <-errs; err == nil {
			err = e
		}
	}
	if err != nil {
		return 0, 0, err
	}
	mu.Lock()
	defer mu.Unlock()
	if counted == 0 {
		return 0, 0, fmt.Errorf("no request answered in %v", d)
	}
	if cpuErr == nil {
		cpu = float64(after-before) / float64(counted)
	}
	return float64(counted) / d.Seconds(), cpu, nil
}

// send has httpClients clients send n of l's requests to addr in all, as
// fast as the server answers.
func (l httpLoad) send(addr string, n int) error {
	var mu sync.Mutex
	more := func() bool {
		mu.Lock()
		defer mu.Unlock()
		n--
		return n >= 0
	}
	errs := make(chan error, httpClients)
	for range httpClients {
		go func() { errs <- l.client(addr, time.Time{}, more, nil) }()
	}
	var err error
	for range httpClients {
		if e := <-errs; err == nil {
			err = e
		}
	}
	return err
}

// processorTime is the user and system time s has used so far, with its
// child processes' (nginx's workers), from /proc/PID/stat: Linux only.
func processorTime(s *server) (time.Duration, error) {
	pid, err := s.pid()
	if err != nil {
		return 0, err
	}
	total, err := ticks(pid)
	if err != nil {
		return 0, err
	}
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return 0, err
	}
	for _, child := range strings.Fields(string(children)) {
		pid, err := strconv.Atoi(child)
		if err != nil {
			return 0, err
		}
		n, err := ticks(pid)
		if err != nil {
			return 0, err
		}
		total += n
	}
	// A tick is 10 ms: USER_HZ is 100 on every Linux.
	return time.Duration(total) * 10 * time.Millisecond, nil
}

// ticks reads a process's user and system time from /proc/PID/stat: the
// 14th and 15th fields, in clock ticks.
func ticks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The 2nd field, the program's name in brackets, may hold spaces:
	// count from the bracket that closes it, before the 3rd.
	_, rest, _ := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("cannot read /proc/%d/stat: %q", pid, data)
	}
	var total int64
	for _, field := range f[11:13] {
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cannot read /proc/%d/stat: %q", pid, data)
		}
		total += n
	}
	return total, nil
}

// client sends requests on one connection after another while more says
// so, and checks each response with net/http's parser: status 200 and
// exactly the file's length; it tells answered (when not nil) when each
// one came. A connection is closed and another dialled after each
// response of a connection-per-request load, and whenever the server says
// it will close (python's http.server speaks HTTP/1.0 and closes after
// every response, whatever the client asked). Nothing goes on past end,
// when it is not zero: an error then is the end cutting a request short.
func (l httpLoad) client(addr string, end time.Time, more func() bool, answered func(time.Time)) error {
	request := "GET " + l.path + " HTTP/1.1\r\nHost: bench\r\n\r\n"
	if !l.keepAlive {
		request = "GET " + l.path + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
	}
	// The body is read in 64 KiB pieces, not io.Discard's 8 KiB: the load
	// shares the machine with the server, and should take as little of it
	// as it can. (Hiding io.Discard's ReadFrom makes CopyBuffer use buf.)
	buf := make([]byte, 64<<10)
	discard := struct{ io.Writer }{io.Discard}
	dialer := net.Dialer{Deadline: end}
	var conn net.Conn
	var in *bufio.Reader
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for more() {
		if conn == nil {
			var err error
			if conn, err = dialer.Dial("tcp", addr); err != nil {
				return cutShort(end, err)
			}
			_ = conn.SetDeadline(end) // fails only on a closed connection
			in = bufio.NewReader(conn)
		}
		if _, err := io.WriteString(conn, request); err != nil {
			return cutShort(end, err)
		}
		resp, err := http.ReadResponse(in, nil)
		if err != nil {
			return cutShort(end, err)
		}
		n, err := io.CopyBuffer(discard, resp.Body, buf)
		resp.Body.Close()
		if err != nil {
			return cutShort(end, err)
		}
		if resp.StatusCode != 200 || n != int64(l.size) {
			return fmt.Errorf("%s%s: status %d with %d bytes, want 200 with %d", addr, l.path, resp.StatusCode, n, l.size)
		}
		if answered != nil {
			answered(time.Now())
		}
		if !l.keepAlive || resp.Close {
			conn.Close()
			conn = nil
		}
	}
	return nil
}

// cutShort is err, unless end has come: then the request failed because
// the load stopped.
func cutShort(end time.Time, err error) error {
	if !end.IsZero() && !time.Now().Before(end) {
		return nil
	}
	return err
}
