package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// A server is one program under measurement, running in a process of its
// own: a lesson's server or a peer.
type server struct {
	name   string
	addr   string
	cmd    *exec.Cmd
	stderr bytes.Buffer
	exited chan struct{} // closed when the process has ended
	counts string        // strace -c's summary, when it runs under strace
}

// startServer starts argv and waits until addr (host:port) accepts TCP
// connections, or, when addr is empty, until the program writes its
// address to addrFile (the lessons' servers do, given -addrfile). With
// count, it runs under strace -f -c, which counts its system calls.
func (r *run) startServer(name string, argv []string, addr, addrFile string, count bool) (*server, error) {
	s := &server{name: name, addr: addr}
	if count {
		s.counts = r.scratch(name + ".strace")
		argv = append([]string{"strace", "-f", "-c", "-o", s.counts}, argv...)
	}
	s.cmd = exec.Command(argv[0], argv[1:]...)
	s.cmd.Stderr = &s.stderr
	// A child the server left behind may hold its stderr open; Wait must
	// not wait for it for ever.
	s.cmd.WaitDelay = time.Second
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s.exited = make(chan struct{})
	go func() {
		_ = s.cmd.Wait() // stop reads the state; an early exit is reported below
		close(s.exited)
	}()
	r.started(s)
	deadline := time.After(20 * time.Second)
	for {
		if s.addr == "" {
			if data, err := os.ReadFile(addrFile); err == nil && strings.HasSuffix(string(data), "\n") {
				s.addr = strings.TrimSpace(string(data))
			}
		}
		if s.addr != "" {
			if conn, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
				conn.Close()
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited before it listened: %s", name, lastLine(s.stderr.String()))
		case <-deadline:
			s.kill()
			return nil, fmt.Errorf("%s did not listen within 20s: %s", name, lastLine(s.stderr.String()))
		case <-time.After(20 * time.Millisecond): // poll: a program's start gives no other sign
		}
	}
}

// startLesson starts a lesson's server on a free port of 127.0.0.1, with
// extra flags.
func (r *run) startLesson(pkg string, count bool, flags ...string) (*server, error) {
	bin, err := r.build(pkg)
	if err != nil {
		return nil, err
	}
	addrFile := r.scratch("addr")
	argv := append([]string{bin, "-addr", "127.0.0.1:0", "-addrfile", addrFile}, flags...)
	return r.startServer(pkg, argv, "", addrFile, count)
}

// pid is the server's own process: under strace, strace's child.
func (s *server) pid() (int, error) {
	pid := s.cmd.Process.Pid
	if s.counts == "" {
		return pid, nil
	}
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(children)), " ")
	return strconv.Atoi(first)
}

// stop asks the server to stop as Ctrl-C would and waits for it; one that
// has not stopped after 10s is killed.
func (s *server) stop() {
	if pid, err := s.pid(); err == nil {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Signal(os.Interrupt) // on Windows this fails, and the kill below ends it
		}
	}
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.kill()
	}
}

// kill ends the server at once and waits for it: under strace, the
// server itself first, or it would live on without strace.
func (s *server) kill() {
	if s.counts != "" {
		if pid, err := s.pid(); err == nil {
			if p, err := os.FindProcess(pid); err == nil {
				_ = p.Kill() // fails only if it has already ended
			}
		}
	}
	_ = s.cmd.Process.Kill() // fails only if it has already ended
	<-s.exited
}

// status reads a field of /proc/PID/status in kB (VmRSS, VmHWM) or as a
// count (Threads): Linux only.
func (s *server) status(field string) (float64, error) {
	pid, err := s.pid()
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseFloat(strings.Fields(rest)[0], 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// calls reads strace -c's summary of the stopped server: the calls of
// each kind and the total, the line
//
//	100.00    0.123456           2     58123      1234 total
//
// whose fourth column is the number of calls.
func (s *server) calls() (map[string]float64, error) {
	data, err := os.ReadFile(s.counts)
	if err != nil {
		return nil, err
	}
	counts := map[string]float64{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || strings.HasPrefix(line, "%") || strings.HasPrefix(f[0], "-") {
			continue
		}
		if n, err := strconv.ParseFloat(f[3], 64); err == nil {
			counts[f[len(f)-1]] = n
		}
	}
	if _, ok := counts["total"]; !ok {
		return nil, errors.New("no total in strace's summary " + s.counts)
	}
	return counts, nil
}

// freeAddr finds a free port on 127.0.0.1 for a peer that cannot be told
// to take any (nginx, iperf3). Another program could take it before the
// peer does; the peer then fails to start, and says so.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// lastLine is the last line a program wrote, for an error message.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if last := lines[len(lines)-1]; last != "" {
		return last
	}
	return "(it wrote nothing)"
}
