package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Lesson 01: what an echo asks of the kernel, and what that costs. The
// five echoes of the lesson's BenchmarkEcho (server/bench_test.go) take
// turns in both tables; lesson01_peers.go sets the lesson's server beside
// iperf3 and a Python echo server.
func init() {
	figures = append(figures,
		&figure{
			name:    "01/calls",
			title:   "system calls on the server's end of the connection while 64 MiB go through, counted with strace",
			readme:  "lessons/01-echo/README.md",
			columns: []string{"echo", "`read`", "`write`", "`splice`", "calls per MiB"},
			rows:    echoRows(),
			measure: measureCalls,
		},
		&figure{
			name:    "01/throughput",
			title:   "throughput of each echo, and the CPU time the test process spends on 256 MiB",
			readme:  "lessons/01-echo/README.md",
			columns: []string{"echo", "throughput, MB/s", "× `loop-1KiB`", "CPU time for 256 MiB"},
			rows:    echoRows(),
			measure: measureThroughput,
		})
}

// echoes are the cases of BenchmarkEcho, the first being the one the
// others are measured against.
var echoes = []string{"loop-1KiB", "loop-32KiB", "io.Copy", "io.Copy-hidden", "echo"}

func echoRows() []string {
	var rows []string
	for _, e := range echoes {
		rows = append(rows, "`"+e+"`")
	}
	return rows
}

// measureCalls runs each echo on 1024 chunks of 64 KiB under strace, as
// the README's exercise 6 does by hand, and counts the calls on the
// server's end of the connection.
func measureCalls(r *run) ([][]string, error) {
	if !r.strace() {
		rows := make([][]string, len(echoes))
		for i := range rows {
			rows[i] = make([]string, 4) // every cell empty: not measured here
		}
		return rows, nil
	}
	bin, err := r.testBinary("./lessons/01-echo/server")
	if err != nil {
		return nil, err
	}
	chunks := r.pick(1024, 64)
	kinds := []string{"read", "write", "splice"}
	// counted[echo][kind] holds one count per round.
	counted := make([]map[string][]float64, len(echoes))
	var fns []func() (float64, error)
	for i, e := range echoes {
		counted[i] = map[string][]float64{}
		fns = append(fns, func() (float64, error) {
			calls, err := serverCalls(r, bin, "Echo/"+e, chunks)
			for _, k := range kinds {
				counted[i][k] = append(counted[i][k], calls[k])
			}
			return calls["total"], err
		})
	}
	totals, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	mib := float64(chunks) / 16 // a chunk is 64 KiB
	var rows [][]string
	for i := range echoes {
		var cells []string
		for _, k := range kinds {
			cells = append(cells, count(counted[i][k]))
		}
		perMiB := make([]float64, len(totals[i]))
		for j, t := range totals[i] {
			perMiB[j] = t / mib
		}
		rows = append(rows, append(cells, count(perMiB)))
	}
	return rows, nil
}

// serverCalls runs one benchmark of bin under strace for the given
// number of chunks and counts, by kind, the system calls that name the
// server's end of the measured connection, with their total. The test
// binary runs a benchmark once with one chunk before the real run, so
// the server's end is the last connection accepted.
func serverCalls(r *run, bin, name string, chunks int) (map[string]float64, error) {
	trace := filepath.Join(r.dir, "echo.strace")
	defer func() { _ = os.Remove(trace) }() // tens of megabytes for loop-1KiB; the run's folder goes at the end anyway
	pattern := "^Benchmark" + strings.ReplaceAll(name, "/", "$/^") + "$"
	cmd := exec.Command("strace", "-f", "-yy", "-e", "trace=accept4,read,write,splice", "-o", trace,
		bin, "-test.run", "^$", "-test.bench", pattern, "-test.benchtime", fmt.Sprintf("%dx", chunks))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("strace %s: %v\n%s", name, err, out)
	}
	// -yy names each socket by its addresses: the line of the last
	// accept4 ends in "= 7<TCP:[127.0.0.1:40221->127.0.0.1:55408]>".
	var end string
	err := eachLine(trace, func(line string) {
		// An accept4 that waited is written twice, "accept4(3<...>, <unfinished ...>"
		// and later "<... accept4 resumed>..., = 7<TCP:[...]>": the end is in the second.
		accepted := strings.Contains(line, " accept4(") || strings.Contains(line, "accept4 resumed>")
		if accepted && !strings.Contains(line, "= -1") && !strings.Contains(line, "<unfinished") {
			if i := strings.LastIndex(line, "<TCP:["); i >= 0 {
				end = line[i:]
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if end == "" {
		return nil, fmt.Errorf("strace %s: no accepted connection in the trace", name)
	}
	calls := map[string]float64{}
	err = eachLine(trace, func(line string) {
		// "5887  splice(7<TCP:[...]>, NULL, 9<pipe:[...]>, ..." or a call
		// left unfinished, which strace writes once with its arguments.
		f := strings.Fields(line)
		if len(f) < 2 || !strings.Contains(line, end) {
			return
		}
		kind, _, _ := strings.Cut(f[1], "(")
		if kind != "accept4" {
			calls[kind]++
			calls["total"]++
		}
	})
	return calls, err
}

// eachLine calls fn with every line of a file too big to read whole.
func eachLine(path string, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 64*1024), 1024*1024)
	for lines.Scan() {
		fn(lines.Text())
	}
	return lines.Err()
}

// count formats counts as spreadBy does, but one that came out the same
// every round stands alone: 2,048, not 2,048 (2,048 to 2,048).
func count(values []float64) string {
	if thousands(slices.Min(values)) == thousands(slices.Max(values)) {
		return thousands(median(values))
	}
	return spreadBy(thousands, values)
}

// measureThroughput runs each echo on 256 MiB (4096 chunks), the echoes
// taking turns, and takes the throughput the benchmark reports and the
// CPU time of the whole test process, client included. The CPU time
// counts only the work done, not the waiting for a core, so it wanders
// far less than the throughput on a busy machine.
func measureThroughput(r *run) ([][]string, error) {
	bin, err := r.testBinary("./lessons/01-echo/server")
	if err != nil {
		return nil, err
	}
	benchtime := fmt.Sprintf("%dx", r.pick(4096, 256))
	cpu := make([][]float64, len(echoes))
	var fns []func() (float64, error)
	for i, e := range echoes {
		fns = append(fns, func() (float64, error) {
			m, used, err := benchmark(bin, "Echo/"+e, benchtime)
			cpu[i] = append(cpu[i], float64(used))
			return m["MB/s"], err
		})
	}
	rates, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for i := range echoes {
		against := "1"
		if i > 0 {
			against = ratio(ratios(rates[i], rates[0]))
		}
		rows = append(rows, []string{spreadBy(thousands, rates[i]), against, spreadBy(duration, cpu[i])})
	}
	return rows, nil
}
