package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// measureGreetingMemory holds idle connections open on three servers in
// turn, with the client's -hold mode: the lesson's, the same with
// runtime.LockOSThread() at the top of handle (a thread per connection),
// and Python's. Each one's resident memory (VmRSS) is read before and
// while they are held; the difference over the connections is the cost
// of one. 5,000 connections: Go allows a program 10,000 threads.
func measureGreetingMemory(r *run) ([][]string, error) {
	rows := [][]string{{"", "", ""}, {"", "", ""}, {"", "", ""}}
	if runtime.GOOS != "linux" {
		r.note("skipped: the memory is read from /proc, which only Linux has")
		return rows, nil
	}
	if err := allowManyConnections(); err != nil {
		return nil, err
	}
	conns := r.pick(5000, 500)
	client, greeters, err := greetingPeers(r)
	if err != nil {
		return nil, err
	}
	locked, err := buildLocked(r)
	if err != nil {
		return nil, err
	}
	greeters = slices.Insert(greeters, 1, goGreeter("locked-server", locked)) // the second row

	threads := make([][]float64, len(greeters))
	var fns []func() (float64, error)
	for i, g := range greeters {
		fns = append(fns, func() (float64, error) {
			perConn, n, err := heldMemory(r, g, client, conns)
			threads[i] = append(threads[i], n)
			return perConn, err
		})
	}
	perConn, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	for i := range greeters {
		against := "1" // the lesson's server is what the others are measured against
		if i > 0 {
			against = ratio(ratios(perConn[i], perConn[0]))
		}
		rows[i] = []string{spread("%.1f KiB", perConn[i]), spreadBy(thousands, threads[i]), against}
	}
	r.note("each server held %s idle connections; per connection: its VmRSS while they were held, minus before, over %s", thousands(float64(conns)), thousands(float64(conns)))
	return rows, nil
}

// heldMemory starts g, holds conns idle connections to it with the
// lesson's client, and returns the resident memory each one costs, in
// KiB, and the OS threads of the server while it holds them.
func heldMemory(r *run, g greeter, client string, conns int) (perConn, threads float64, err error) {
	s, err := g.start(r)
	if err != nil {
		return 0, 0, err
	}
	// Killed, not stopped: the figures are taken, and thousands of threads
	// that each end in turn (Python's) take many seconds to stop politely.
	defer s.kill()
	before, err := s.status("VmRSS")
	if err != nil {
		return 0, 0, err
	}
	var after float64
	err = holdIdle(client, s.addr, conns, func() error {
		var err error
		if after, err = s.status("VmRSS"); err != nil {
			return err
		}
		threads, err = s.status("Threads")
		return err
	})
	return (after - before) / float64(conns), threads, err
}

// holdIdle runs client -hold conns against addr, calls measure once all
// the connections are open and welcomed, and lets them go.
func holdIdle(client, addr string, conns int, measure func() error) error {
	cmd := exec.Command(client, "-addr", addr, "-hold", strconv.Itoa(conns), "-timeout", "10s")
	held := &sighting{want: "holding ", seen: make(chan struct{})}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = held, &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-held.seen:
	case err := <-exited:
		return fmt.Errorf("client -hold %d: %v: %s", conns, err, lastLine(stderr.String()))
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill() // fails only if it has just ended
		<-exited
		return fmt.Errorf("client -hold %d: not all held within 2 minutes", conns)
	}
	err := measure()
	// Ctrl-C lets go of the connections; where there is no Ctrl-C to send
	// (Windows), the connections close with the process.
	if cmd.Process.Signal(os.Interrupt) != nil {
		_ = cmd.Process.Kill()
	}
	<-exited
	return err
}

// A sighting is a program's output that says when a line has come that
// begins with want: seen is closed then.
type sighting struct {
	want string
	seen chan struct{}
	mu   sync.Mutex
	out  bytes.Buffer
	once sync.Once
}

func (s *sighting) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out.Write(p)
	text := s.out.String()
	if strings.HasPrefix(text, s.want) || strings.Contains(text, "\n"+s.want) {
		s.once.Do(func() { close(s.seen) })
	}
	return len(p), nil
}

// handleFunc is the first line of the lesson's handle: the place for the
// line that makes it a thread per connection.
var handleFunc = regexp.MustCompile(`(?m)^func \(\w+ \*server\) handle\(.*\{$`)

// packageClause is where a file's imports may begin.
var packageClause = regexp.MustCompile(`(?m)^package main$`)

// buildLocked builds the lesson's server with one line added at the top
// of handle, runtime.LockOSThread(): every connection's goroutine then has
// an OS thread to itself until it ends, which makes it a thread per
// connection. The server's files are copied and changed in the run's
// folder: the lesson's code has no flag or hook for the bench.
func buildLocked(r *run) (string, error) {
	const key = "locked:" + greetingServer
	if bin, ok := r.built[key]; ok {
		return bin, nil
	}
	dir := filepath.Join(r.dir, "locked-server")
	files, err := filepath.Glob(filepath.Join(filepath.FromSlash(greetingServer), "*.go"))
	if err != nil {
		return "", err
	}
	found := false
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		src := string(data)
		if at := handleFunc.FindStringIndex(src); at != nil {
			src = src[:at[1]] + "\n\truntime.LockOSThread()" + src[at[1]:]
			if !strings.Contains(src, `"runtime"`) {
				// A second import declaration: Go allows as many as it likes.
				at := packageClause.FindStringIndex(src)
				src = src[:at[1]] + "\n\nimport \"runtime\"" + src[at[1]:]
			}
			found = true
		}
		if _, err := r.file(filepath.Join("locked-server", filepath.Base(file)), []byte(src)); err != nil {
			return "", err
		}
	}
	if !found {
		return "", errors.New("no func (s *server) handle in " + greetingServer + ": nowhere to add runtime.LockOSThread()")
	}
	// The server needs only the standard library: a module of its own,
	// outside the workspace, builds it.
	if _, err := r.file(filepath.Join("locked-server", "go.mod"), []byte("module lockedserver\n\ngo 1.23\n")); err != nil {
		return "", err
	}
	bin := filepath.Join(r.dir, "locked-server-bin")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build of the server with runtime.LockOSThread(): %v\n%s", err, out)
	}
	r.built[key] = bin
	return bin, nil
}
