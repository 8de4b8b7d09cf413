package main

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Lesson 04: its web server beside net/http's file server, nginx and
// python3 -m http.server. How many requests a second each answers on four
// loads, the processor time and the system calls each spends on one, and
// the memory a 1 GiB file costs each.
func init() {
	var loads []string
	for _, l := range httpLoads {
		loads = append(loads, l.row)
	}
	const readme = "lessons/04-http/README.md"
	figures = append(figures,
		&figure{
			name:    "04/rates",
			title:   "requests answered a second, 50 clients at once, the servers taking turns",
			readme:  readme,
			columns: []string{"load", "ours, requests a second", "ours ÷ net/http's", "ours ÷ nginx's", "ours ÷ python's"},
			rows:    loads,
			measure: measureHTTPRates,
		},
		&figure{
			name:    "04/cpu",
			title:   "processor time per request, user and system, in the measured part of each round of 04/rates",
			readme:  readme,
			columns: []string{"load", "ours, processor time per request", "ours ÷ net/http's", "ours ÷ nginx's", "ours ÷ python's"},
			rows:    loads,
			measure: measureHTTPCPU,
		},
		&figure{
			name:    "04/calls",
			title:   "system calls per request, counted by strace -f -c, starting and stopping included",
			readme:  readme,
			columns: []string{"load", "ours", "net/http's", "nginx's"},
			rows:    loads,
			measure: measureHTTPCalls,
		},
		&figure{
			name:    "04/memory",
			title:   "peak resident memory (VmHWM), once started and after sending a 1 GiB file",
			readme:  readme,
			columns: []string{"server", "started", "after sending 1 GiB"},
			rows:    []string{"ours", "net/http's", "nginx", "python3 -m http.server"},
			measure: measureHTTPMemory,
		},
	)
}

// httpCompared are the servers of 04/rates and 04/cpu, ours first.
var httpCompared = []httpServer{httpOurs, httpNet, httpNginx, httpPython}

// httpRounds is what the rounds of the four loads gave, measured once in
// a run for both 04/rates and 04/cpu: [load][server], round by round,
// nil for a server not installed.
type httpRounds struct {
	rates [][][]float64 // requests a second
	cpu   [][][]float64 // processor time per request, in ns; zeros off Linux
}

var httpMeasured = map[*run]*httpRounds{}

func measureHTTPRates(r *run) ([][]string, error) {
	m, err := measureHTTPRounds(r)
	if err != nil {
		return nil, err
	}
	return httpRows(m.rates, func(ours []float64) string { return spreadBy(thousands, ours) }), nil
}

func measureHTTPCPU(r *run) ([][]string, error) {
	m, err := measureHTTPRounds(r)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "linux" {
		r.note("skipped: the processor time is read from /proc/PID/stat, which only Linux has")
		return httpRows(nil, nil), nil
	}
	return httpRows(m.cpu, func(ours []float64) string { return spreadBy(duration, ours) }), nil
}

// httpRows makes the rows of 04/rates or 04/cpu: ours, shown by show,
// then ours divided by each other server's, round by round. No figures
// give empty rows.
func httpRows(figures [][][]float64, show func([]float64) string) [][]string {
	var rows [][]string
	for i := range httpLoads {
		row := make([]string, len(httpCompared))
		if figures != nil {
			ours := figures[i][0]
			row[0] = show(ours)
			for j, theirs := range figures[i][1:] {
				if theirs != nil {
					row[j+1] = ratio(ratios(ours, theirs))
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// measureHTTPRounds starts the servers afresh for each load and lets them
// take turns, each round giving each the load for the same time: 0.3 s
// to get going, then 1.5 s measured (shorter ones wandered by a factor
// of two on a busy machine). A round is a
// time, not a number of requests, because python's server answers far
// fewer than the others.
func measureHTTPRounds(r *run) (*httpRounds, error) {
	if m, ok := httpMeasured[r]; ok {
		return m, nil
	}
	root, err := httpRoot(r)
	if err != nil {
		return nil, err
	}
	warm := time.Duration(r.pick(300, 50)) * time.Millisecond
	d := time.Duration(r.pick(1500, 100)) * time.Millisecond
	m := &httpRounds{}
	for _, l := range httpLoads {
		rates, cpu, err := compareHTTP(r, root, l, warm, d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.row, err)
		}
		m.rates = append(m.rates, rates)
		m.cpu = append(m.cpu, cpu)
	}
	httpMeasured[r] = m
	return m, nil
}

// compareHTTP measures one load on every server installed, round by
// round.
func compareHTTP(r *run, root string, l httpLoad, warm, d time.Duration) (rates, cpu [][]float64, err error) {
	rates = make([][]float64, len(httpCompared))
	cpu = make([][]float64, len(httpCompared))
	var fns []func() (float64, error)
	var at []int // at[k] is the server that fns[k] measures
	for i, h := range httpCompared {
		s, err := h.start(r, root, false)
		if err != nil {
			return nil, nil, err
		}
		if s == nil {
			continue // not installed: r.peer has said so
		}
		defer s.stop()
		at = append(at, i)
		fns = append(fns, func() (float64, error) {
			rate, perRequest, err := l.measure(s, warm, d)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", h.name, err)
			}
			cpu[i] = append(cpu[i], perRequest)
			return rate, nil
		})
	}
	results, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, nil, err
	}
	for k, i := range at {
		rates[i] = results[k]
	}
	return rates, cpu, nil
}

// httpRoot writes the folder every server serves: each load's file, of
// random bytes. Both names have an extension every server knows, so that
// none reads the file to guess its type.
func httpRoot(r *run) (string, error) {
	var path string
	for _, l := range httpLoads {
		data := make([]byte, l.size)
		_, _ = rand.Read(data) // crypto/rand's Read never fails
		var err error
		if path, err = r.file("lesson04"+l.path, data); err != nil {
			return "", err
		}
	}
	return filepath.Dir(path), nil
}

// measureHTTPCalls runs each server under strace -f -c for a fixed number
// of requests of each load, one server after another: strace slows a
// server down too much for its rate to mean anything, but not the count.
// Python's server is left out. Under the table, a note lists the calls
// ours makes one by one, for the README's list of where each one goes.
func measureHTTPCalls(r *run) ([][]string, error) {
	servers := []httpServer{httpOurs, httpNet, httpNginxAlone}
	rows := make([][]string, len(httpLoads))
	for i := range rows {
		rows[i] = make([]string, len(servers))
	}
	if !r.strace() {
		return rows, nil
	}
	root, err := httpRoot(r)
	if err != nil {
		return nil, err
	}
	n := r.pick(2000, 200)
	for i, l := range httpLoads {
		for j, h := range servers {
			calls, err := countHTTPCalls(r, h, root, l, n)
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", h.name, l.row, err)
			}
			if calls == nil {
				continue // not installed
			}
			rows[i][j] = fmt.Sprintf("%.1f", calls["total"]/float64(n))
			if h.name == httpOurs.name {
				r.note("ours, %s, per request: %s", l.row, perRequest(calls, n))
			}
		}
	}
	r.note("%d requests of each load for each server", n)
	return rows, nil
}

// countHTTPCalls counts the system calls of one server answering n
// requests of load l, from its start to its stop.
func countHTTPCalls(r *run, h httpServer, root string, l httpLoad, n int) (map[string]float64, error) {
	s, err := h.start(r, root, true)
	if err != nil || s == nil {
		return nil, err
	}
	err = l.send(s.addr, n)
	s.stop()
	if err != nil {
		return nil, err
	}
	return s.calls()
}

// perRequest lists the calls made at least once in ten requests, the
// most frequent first: "read 2.0, write 1.0, ...".
func perRequest(calls map[string]float64, n int) string {
	var names []string
	for name, count := range calls {
		if name != "total" && count/float64(n) >= 0.1 {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(calls[b], calls[a]), strings.Compare(a, b))
	})
	var list []string
	for _, name := range names {
		list = append(list, fmt.Sprintf("%s %.1f", name, calls[name]/float64(n)))
	}
	return strings.Join(list, ", ")
}

// measureHTTPMemory has each server send a 1 GiB file once, to one
// client, and reads its peak resident memory before and after. The file
// is sparse: it takes no room on the disk, and reading it costs little.
func measureHTTPMemory(r *run) ([][]string, error) {
	rows := make([][]string, 4)
	for i := range rows {
		rows[i] = make([]string, 2)
	}
	if runtime.GOOS != "linux" {
		r.note("skipped: the peak resident memory is read from /proc/PID/status, which only Linux has")
		return rows, nil
	}
	size := r.pick(1<<30, 64<<20)
	path, err := r.file("lesson04-big/big.bin", nil)
	if err != nil {
		return nil, err
	}
	if err := os.Truncate(path, int64(size)); err != nil {
		return nil, err
	}
	big := httpLoad{path: "/big.bin", size: size, keepAlive: true}
	for i, h := range []httpServer{httpOurs, httpNet, httpNginxAlone, httpPython} {
		started, after, err := peakHTTP(r, h, filepath.Dir(path), big)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.name, err)
		}
		if started > 0 {
			rows[i] = []string{mib(started), mib(after)}
		}
	}
	return rows, nil
}

// peakHTTP starts a server, reads its VmHWM, has it send the big file to
// one client, and reads its VmHWM again (in kB); zeros when the server is
// not installed.
func peakHTTP(r *run, h httpServer, root string, big httpLoad) (started, after float64, err error) {
	s, err := h.start(r, root, false)
	if err != nil || s == nil {
		return 0, 0, err
	}
	defer s.stop()
	if started, err = s.status("VmHWM"); err != nil {
		return 0, 0, err
	}
	var sent int
	once := func() bool { sent++; return sent == 1 }
	if err := big.client(s.addr, time.Time{}, once, nil); err != nil {
		return 0, 0, err
	}
	after, err = s.status("VmHWM")
	return started, after, err
}

// mib formats kB as MiB: "4.8 MiB".
func mib(kb float64) string { return fmt.Sprintf("%.1f MiB", kb/1024) }
