package main

// Lesson 02: what a connection costs the greeting server, in memory and
// in system calls, and how many round trips it makes with 1, 10 and 100
// clients at once. Beside it, the peer: the same protocol served by
// Python with a thread per connection, as the classic socket tutorials
// write it (peers/lesson02_threads.py).

import (
	_ "embed"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed peers/lesson02_threads.py
var pythonGreeterScript []byte

const (
	greetingServer = "./lessons/02-concurrent/server"
	greetingClient = "./lessons/02-concurrent/client"
)

// greetingLoads are the numbers of clients at once of 02/calls, 02/load
// and 02/benchmark: their rows.
var greetingLoads = []int{1, 10, 100}

func init() {
	loads := []string{"1", "10", "100"}
	figures = append(figures,
		&figure{
			name:    "02/memory",
			title:   "idle connections held open (client -hold): resident memory and OS threads of the server",
			readme:  "lessons/02-concurrent/README.md",
			columns: []string{"5,000 idle connections", "per connection", "OS threads", "× this server"},
			rows:    []string{"goroutine per connection (this server)", "thread per connection (`LockOSThread`)", "Python, a thread per connection"},
			measure: measureGreetingMemory,
		},
		&figure{
			name:    "02/calls",
			title:   "system calls of the server per round trip (perf stat)",
			readme:  "lessons/02-concurrent/README.md",
			columns: []string{"clients at once", "ours", "ours: `read`", "ours: `epoll_pwait`", "Python's", "Python's: `futex`", "ours ÷ Python's"},
			rows:    loads,
			measure: measureGreetingCalls,
		},
		&figure{
			name:    "02/load",
			title:   "round trips with clients at once (client -load), beside Python's",
			readme:  "lessons/02-concurrent/README.md",
			columns: []string{"clients at once", "round trips per second", "p50", "p90", "p99", "max", "rate ÷ Python's", "p99 ÷ Python's"},
			rows:    loads,
			measure: measureGreetingLoad,
		},
		&figure{
			name:    "02/benchmark",
			title:   "BenchmarkRoundTrips: clients and server in one process",
			readme:  "lessons/02-concurrent/README.md",
			columns: []string{"clients at once", "round trips per second", "× 1 client"},
			rows:    loads,
			measure: measureRoundTrips,
		},
	)
}

// A greeter is a server that speaks lesson 02's protocol, and how to
// start it on a free port: the lesson's own, a variant of it, or Python's.
type greeter struct {
	name string
	argv func(addrFile string) []string // the command, told to write its address to addrFile
}

// goGreeter is a build of the lesson's server. The limits are raised so
// that thousands of idle clients are neither turned away nor timed out.
func goGreeter(name, bin string) greeter {
	return greeter{name, func(addrFile string) []string {
		return []string{bin, "-addr", "127.0.0.1:0", "-addrfile", addrFile, "-max-clients", "20000", "-idle", "1h"}
	}}
}

// pythonGreeter is the peer, if python3 is installed; if not, ok is
// false and the run notes it once.
func pythonGreeter(r *run) (g greeter, ok bool, err error) {
	if _, ok := r.peer("python3", installPython3); !ok {
		return greeter{}, false, nil
	}
	// The interpreter itself, not a launcher in front of it (pyenv's
	// shim is a shell script): a launcher's system calls would be counted
	// with the server's, and its memory read instead.
	out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		return greeter{}, false, fmt.Errorf("python3: %w", err)
	}
	python := strings.TrimSpace(string(out))
	script, err := r.file("lesson02_threads.py", pythonGreeterScript)
	if err != nil {
		return greeter{}, false, err
	}
	return greeter{"python-threads", func(addrFile string) []string {
		return []string{python, script, "127.0.0.1:0", addrFile}
	}}, true, nil
}

// start runs the greeter, behind the program and arguments in front, if
// any (perf stat ... --).
func (g greeter) start(r *run, front ...string) (*server, error) {
	addrFile := r.scratch("addr-" + g.name)
	return r.startServer(g.name, append(front, g.argv(addrFile)...), "", addrFile, false)
}

// loadFigures are what client -load reports: round trips per second, and
// the latency percentiles in nanoseconds.
type loadFigures struct{ rate, p50, p90, p99, max float64 }

var (
	loadRate    = regexp.MustCompile(`(?m)^round trips: \d+ in \S+: (\d+) per second$`)
	loadLatency = regexp.MustCompile(`(?m)^latency: p50 (\S+), p90 (\S+), p99 (\S+), max (\S+)$`)
)

// loadGreeter runs the lesson's client in load mode against addr: clients
// connections at once, trips round trips in all.
func loadGreeter(client, addr string, clients, trips int) (loadFigures, error) {
	args := []string{"-addr", addr, "-load", strconv.Itoa(clients), "-rounds", strconv.Itoa(trips / clients), "-timeout", "10s"}
	out, err := exec.Command(client, args...).CombinedOutput()
	if err != nil {
		return loadFigures{}, fmt.Errorf("client %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	rate := loadRate.FindSubmatch(out)
	latency := loadLatency.FindSubmatch(out)
	if rate == nil || latency == nil {
		return loadFigures{}, fmt.Errorf("client %s printed no figures:\n%s", strings.Join(args, " "), out)
	}
	var res loadFigures
	res.rate, _ = strconv.ParseFloat(string(rate[1]), 64) // the pattern took digits only
	for i, p := range []*float64{&res.p50, &res.p90, &res.p99, &res.max} {
		d, err := time.ParseDuration(string(latency[i+1]))
		if err != nil {
			return loadFigures{}, fmt.Errorf("client %s: %v", strings.Join(args, " "), err)
		}
		*p = float64(d)
	}
	return res, nil
}
