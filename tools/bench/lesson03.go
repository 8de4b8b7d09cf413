package main

import (
	_ "embed"
	"os"
	"time"
)

// Lesson 03: what a flood of datagrams loses, with the server's log
// written to a file or thrown away, and what one datagram's round trip
// costs; the Python server of the classic tutorials beside ours in both.
func init() {
	figures = append(figures, &figure{
		name:    "03/flood",
		title:   "client -flood N: N datagrams sent from one socket as fast as it can, the share that got no answer",
		readme:  "lessons/03-udp/README.md",
		columns: []string{"`-flood`", "lost, log to a file", "lost, log to /dev/null", "lost, Python server"},
		rows:    []string{"1,000", "10,000", "100,000"},
		measure: measureFlood,
	}, &figure{
		name:    "03/roundtrip",
		title:   "one datagram at a time, each reply awaited and checked: round trips a second",
		readme:  "lessons/03-udp/README.md",
		columns: []string{"datagram", "round trips a second", "time per round trip", "Python server, round trips a second", "ours ÷ Python"},
		rows:    []string{"16 bytes", "1,400 bytes", "60,000 bytes"},
		measure: measureRoundTrip,
	})
}

//go:embed peers/lesson03_upper.py
var pythonUpper []byte

const lesson03Server = "./lessons/03-udp/server"

// An upperServer starts one of the servers that answer lesson 03's
// datagrams, with its log going to logTo (a file, or os.DevNull).
type upperServer func(logTo string) (*server, error)

// lesson03Servers are the lesson's server and, when python3 is installed,
// the Python one (nil when it is not: its cells stay empty).
func lesson03Servers(r *run) (ours, python upperServer, err error) {
	ours = func(logTo string) (*server, error) {
		bin, err := r.build(lesson03Server)
		if err != nil {
			return nil, err
		}
		addrFile := r.scratch("addr")
		return r.startUDP("lesson 03's server", []string{bin, "-addr", "127.0.0.1:0", "-addrfile", addrFile}, addrFile, logTo)
	}
	python3, ok := r.peer("python3", installPython3)
	if !ok {
		return ours, nil, nil
	}
	script, err := r.file("peers/lesson03_upper.py", pythonUpper)
	if err != nil {
		return nil, nil, err
	}
	python = func(logTo string) (*server, error) {
		addrFile := r.scratch("addr-python")
		return r.startUDP("python upper", []string{python3, script, "127.0.0.1", "0", addrFile}, addrFile, logTo)
	}
	return ours, python, nil
}

// measureFlood floods a fresh server with each count, the three servers
// taking turns: ours with its log written to a file, ours with its log
// thrown away, and the Python one (its log thrown away too). The share
// lost jumps from one flood to the next, so the spread is wide.
func measureFlood(r *run) ([][]string, error) {
	client, err := r.build("./lessons/03-udp/client")
	if err != nil {
		return nil, err
	}
	ours, python, err := lesson03Servers(r)
	if err != nil {
		return nil, err
	}
	// lost floods a server started afresh; toFile writes its log to a
	// file, removed afterwards, and otherwise to os.DevNull.
	lost := func(start upperServer, toFile bool, n int) func() (float64, error) {
		return func() (float64, error) {
			log := os.DevNull
			if toFile {
				log = r.scratch("log")
				defer func() { _ = os.Remove(log) }() // the run's folder goes at the end anyway
			}
			s, err := start(log)
			if err != nil {
				return 0, err
			}
			defer s.stop()
			return flood(client, s.addr, n)
		}
	}
	var rows [][]string
	for _, n := range []int{1000, 10000, 100000} {
		fns := []func() (float64, error){lost(ours, true, n), lost(ours, false, n)}
		if python != nil {
			fns = append(fns, lost(python, false, n))
		}
		shares, err := turns(r.rounds, fns...)
		if err != nil {
			return nil, err
		}
		row := []string{spread("%.0f%%", shares[0]), spread("%.0f%%", shares[1]), ""}
		if python != nil {
			row[2] = spread("%.0f%%", shares[2])
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// measureRoundTrip sends datagrams of each size one at a time to ours and
// to the Python server, both with their log thrown away, the two taking
// turns; each turn starts its server afresh.
func measureRoundTrip(r *run) ([][]string, error) {
	ours, python, err := lesson03Servers(r)
	if err != nil {
		return nil, err
	}
	d := time.Duration(r.pick(1000, 200)) * time.Millisecond
	trips := func(start upperServer, size int) func() (float64, error) {
		return func() (float64, error) {
			s, err := start(os.DevNull)
			if err != nil {
				return 0, err
			}
			defer s.stop()
			return roundTrips(s.addr, size, d)
		}
	}
	var rows [][]string
	for _, size := range []int{16, 1400, 60000} {
		fns := []func() (float64, error){trips(ours, size)}
		if python != nil {
			fns = append(fns, trips(python, size))
		}
		rates, err := turns(r.rounds, fns...)
		if err != nil {
			return nil, err
		}
		row := []string{spreadBy(thousands, rates[0]), duration(1e9 / median(rates[0])), "", ""}
		if python != nil {
			row[2] = spreadBy(thousands, rates[1])
			row[3] = ratio(ratios(rates[0], rates[1]))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// scratched counts the names scratch gave, so that no two are the same.
