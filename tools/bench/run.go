package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// A run is one invocation of the bench: its settings, the programs it
// built, and the notes (peers skipped, say) to print under the next table.
type run struct {
	rounds int
	quick  bool
	dir    string            // a temporary folder for binaries, files and logs
	built  map[string]string // package → binary
	notes  []string
	warned map[string]bool // peers already reported missing
	log    io.Writer       // progress, on stderr

	mu      sync.Mutex
	servers []*server // every server started, for cleanup to stop
	files   int       // names given out by scratch
}

func newRun(rounds int, quick bool, log io.Writer) (*run, error) {
	dir, err := os.MkdirTemp("", "socketbook-bench-")
	if err != nil {
		return nil, err
	}
	return &run{rounds: rounds, quick: quick, dir: dir, built: map[string]string{}, warned: map[string]bool{}, log: log}, nil
}

// started records a server, so that cleanup can end it if a measurement
// failed (or Ctrl-C came) before it was stopped.
func (r *run) started(s *server) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.servers = append(r.servers, s)
}

// cleanup kills whatever server is still running and removes the run's
// files.
func (r *run) cleanup() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.servers {
		s.kill()
	}
	os.RemoveAll(r.dir)
}

// scratch is a new file name in the run's folder, for an address file, a
// log or a count: prefix and a number no other call gets.
func (r *run) scratch(prefix string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.files++
	return filepath.Join(r.dir, fileName(prefix)+"-"+strconv.Itoa(r.files))
}

// fileName turns a package path or a name into one a file can have.
func fileName(name string) string {
	return strings.NewReplacer("/", "_", ".", "", " ", "_").Replace(name)
}

// note adds a line to print under the current table.
func (r *run) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *run) takeNotes() []string {
	notes := r.notes
	r.notes = nil
	return notes
}

// pick is quick's value in a quick run, full's otherwise: sizes and counts
// shrink in a smoke run, so that it only proves the figure can be taken.
func (r *run) pick(full, quick int) int {
	if r.quick {
		return quick
	}
	return full
}

// build compiles a package of the workbook (a path from the root, like
// ./lessons/01-echo/server) once per run and returns the binary.
func (r *run) build(pkg string) (string, error) {
	if bin, ok := r.built[pkg]; ok {
		return bin, nil
	}
	bin := filepath.Join(r.dir, fileName(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	r.built[pkg] = bin
	return bin, nil
}

// file writes data to a file in the run's folder and returns its path.
func (r *run) file(name string, data []byte) (string, error) {
	path := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, data, 0o644)
}

// peer finds a program to compare with, or notes once that it is missing
// and how to install it.
func (r *run) peer(name, install string) (string, bool) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, true
	}
	if !r.warned[name] {
		r.warned[name] = true
		r.note("skipped: %s is not installed, so its cells are empty (%s)", name, install)
	}
	return "", false
}

// installPython3 says how to install the Python that several lessons'
// peers run on.
const installPython3 = "on Debian or Ubuntu: sudo apt-get install python3; on macOS: brew install python"

// strace reports whether strace can count system calls here, noting it
// once when it cannot.
func (r *run) strace() bool {
	_, ok := r.peer("strace", "on Debian or Ubuntu: sudo apt-get install strace; Linux only")
	return ok
}
