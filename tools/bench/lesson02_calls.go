package main

// System calls per round trip, counted by perf: it counts in the kernel
// and lets the server run at full speed. strace, the usual tool, stops the
// server at every call, which changes what there is to count: the Go
// server's reads then find their line already there, and Python's hundred
// threads queue for the GIL at strace's pace (hundreds of futex calls a
// round trip, tens of round trips a second).

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const installPerf = "on Debian: sudo apt-get install linux-perf; on Ubuntu: sudo apt-get install linux-tools-common linux-tools-$(uname -r); " +
	"Linux only, and it counts system calls as root, or with sudo sysctl kernel.perf_event_paranoid=-1"

// syscallEvents are what perf counts: every system call, and three of
// them by name.
var syscallEvents = []string{"raw_syscalls:sys_enter", "syscalls:sys_enter_read", "syscalls:sys_enter_epoll_pwait", "syscalls:sys_enter_futex"}

// measureGreetingCalls counts the system calls of the lesson's server and
// of Python's while client -load makes round trips, and divides them by
// the round trips. What the clients cost apart from their round trips
// (the server's start and stop, connecting, the welcome, the goodbye) is
// counted once in a run of one round trip each, and taken off.
func measureGreetingCalls(r *run) ([][]string, error) {
	rows := make([][]string, len(greetingLoads))
	for i := range rows {
		rows[i] = make([]string, 6)
	}
	perf, ok := syscallCounter(r)
	if !ok {
		return rows, nil
	}
	client, greeters, err := greetingPeers(r)
	if err != nil {
		return nil, err
	}
	trips := r.pick(10000, 1000)
	for row, n := range greetingLoads {
		once := make([]map[string]float64, len(greeters))
		for i, g := range greeters {
			if once[i], err = countSyscalls(r, perf, g, client, n, n); err != nil {
				return nil, err
			}
		}
		perTrip := make([][]map[string]float64, len(greeters)) // each server's, round by round
		var fns []func() (float64, error)
		for i, g := range greeters {
			fns = append(fns, func() (float64, error) {
				counts, err := countSyscalls(r, perf, g, client, n, trips)
				per := map[string]float64{}
				for call, c := range counts {
					// A call the round trips hardly make (Python's futex
					// with one client) can come out a hair below zero.
					per[call] = max(0, (c-once[i][call])/float64(trips-n))
				}
				perTrip[i] = append(perTrip[i], per)
				return per["total"], err
			})
		}
		totals, err := turns(r.rounds, fns...)
		if err != nil {
			return nil, err
		}
		rows[row][0] = spread("%.2f", totals[0])
		rows[row][1] = spread("%.2f", callsOf(perTrip[0], "read"))
		rows[row][2] = spread("%.2f", callsOf(perTrip[0], "epoll_pwait"))
		if len(greeters) > 1 {
			rows[row][3] = spread("%.2f", totals[1])
			rows[row][4] = spread("%.2f", callsOf(perTrip[1], "futex"))
			rows[row][5] = ratio(ratios(totals[0], totals[1]))
		}
	}
	r.note("per round trip: the calls of %s round trips, less those of one round trip per client, over the difference", thousands(float64(trips)))
	return rows, nil
}

// syscallCounter finds perf and makes sure it may count system calls
// here; if not, it notes why, once.
func syscallCounter(r *run) (string, bool) {
	perf, ok := r.peer("perf", installPerf)
	if !ok {
		return "", false
	}
	cmd := exec.Command(perf, "stat", "-x,", "-e", strings.Join(syscallEvents, ","), "--", "true")
	if out, err := cmd.CombinedOutput(); err != nil {
		if !r.warned["perf-cannot"] {
			r.warned["perf-cannot"] = true
			why, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
			r.note("skipped: perf cannot count system calls here (%s), so those cells are empty (%s)", why, installPerf)
		}
		return "", false
	}
	return perf, true
}

// countSyscalls starts g behind perf stat, makes trips round trips with
// clients connections at once, stops g, and returns its system calls:
// "total", and each of syscallEvents by name ("read").
func countSyscalls(r *run, perf string, g greeter, client string, clients, trips int) (map[string]float64, error) {
	counts := r.scratch("perf-" + g.name)
	s, err := g.start(r, perf, "stat", "-x,", "-o", counts, "-e", strings.Join(syscallEvents, ","), "--")
	if err != nil {
		return nil, err
	}
	_, err = loadGreeter(client, s.addr, clients, trips)
	if err := stopBehind(s); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	return readPerfCounts(counts)
}

// stopBehind stops a server started behind another program (perf stat --
// server): Ctrl-C goes to the server, and the program in front ends when
// the server does. (s.stop would send it to the program in front.)
func stopBehind(s *server) error {
	front := s.cmd.Process.Pid
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", front, front))
	first, _, _ := strings.Cut(strings.TrimSpace(string(children)), " ")
	pid, convErr := strconv.Atoi(first)
	if err != nil || convErr != nil {
		s.kill() // the server has gone already, or was never there
		return fmt.Errorf("%s: no server behind %s: %s", s.name, filepath.Base(s.cmd.Path), lastLine(s.stderr.String()))
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	_ = p.Signal(os.Interrupt) // if it fails, the server has just ended
	select {
	case <-s.exited:
		return nil
	case <-time.After(10 * time.Second):
		_ = p.Kill() // the program in front ends with it
		<-s.exited
		return fmt.Errorf("%s did not stop within 10s of Ctrl-C", s.name)
	}
}

// readPerfCounts reads perf stat -x, output, a line per counter:
//
//	83424,,raw_syscalls:sys_enter,1202345,100.00,,
func readPerfCounts(path string) (map[string]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	counts := map[string]float64{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ",")
		if len(f) < 3 || strings.HasPrefix(line, "#") {
			continue
		}
		n, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return nil, fmt.Errorf("perf counted no %s: %q", f[2], f[0]) // <not counted>, <not supported>
		}
		name := strings.TrimPrefix(f[2], "syscalls:sys_enter_")
		if f[2] == "raw_syscalls:sys_enter" {
			name = "total"
		}
		counts[name] = n
	}
	if _, ok := counts["total"]; !ok {
		return nil, errors.New("no count of system calls in " + path)
	}
	return counts, nil
}

// callsOf is one call's count, round by round.
func callsOf(rounds []map[string]float64, call string) []float64 {
	var values []float64
	for _, per := range rounds {
		values = append(values, per[call])
	}
	return values
}
