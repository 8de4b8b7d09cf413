package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// testscript stops a scenario's programs politely: SIGINT when the script
// ends, SIGQUIT when the run's time is up. A program that ignores both (a
// broken shutdown, a handler that swallows the signal) would keep `wait`
// and the whole test hanging, and could outlive the test. The code in this
// file keeps track of every program the scripts start in the background and
// kills what is still running once the time limit has passed, and a few
// seconds after its own script has ended: nothing is left running.

// stopGrace is how long a program may take to stop after its script ended.
const stopGrace = 10 * time.Second

// timing is what a script's commands know about the run's time limit.
type timing struct {
	limit time.Duration // as configured, to name it in messages
	end   time.Time     // when testscript starts stopping programs
}

type timingKey struct{}

// scriptTiming returns the run's timing; zero outside scenario.Run.
func scriptTiming(ts *testscript.TestScript) timing {
	t, _ := ts.Value(timingKey{}).(timing)
	return t
}

// programs is the set of programs started by one run's scripts.
type programs struct {
	mu    sync.Mutex
	procs map[*os.Process]bool
}

// note adds the script's background programs to the set.
func (p *programs) note(ts *testscript.TestScript) []*os.Process {
	var procs []*os.Process
	for _, cmd := range ts.BackgroundCmds() {
		if cmd.Process != nil {
			procs = append(procs, cmd.Process)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.procs == nil {
		p.procs = make(map[*os.Process]bool)
	}
	for _, proc := range procs {
		p.procs[proc] = true
	}
	return procs
}

// killAll kills every program of the run that is still running.
func (p *programs) killAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for proc := range p.procs {
		proc.Kill() // os.ErrProcessDone for those that already exited
	}
}

// killLater kills the given programs after stopGrace, if they still run.
func killLater(procs []*os.Process) {
	if len(procs) == 0 {
		return
	}
	time.AfterFunc(stopGrace, func() {
		for _, proc := range procs {
			proc.Kill()
		}
	})
}

// scriptKey holds, for each script, the TestScript its commands run in, so
// the script's cleanup can find its background programs.
type scriptKey struct{}

type scriptRef struct{ ts *testscript.TestScript }

// watch wraps a command so that it notes the script's background programs
// before it runs.
func watch(p *programs, cmd func(*testscript.TestScript, bool, []string)) func(*testscript.TestScript, bool, []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if ref, ok := ts.Value(scriptKey{}).(*scriptRef); ok {
			ref.ts = ts
		}
		p.note(ts)
		cmd(ts, neg, args)
	}
}

// exited reports whether the script's background program that was given
// file as an argument (such as its -addrfile) has exited, and its name.
// Only a program that has been waited for counts; on systems where a
// process cannot be probed, nothing ever counts as exited.
func exited(ts *testscript.TestScript, file string) (string, bool) {
	for _, cmd := range ts.BackgroundCmds() {
		if cmd.Process == nil || !mentions(cmd.Args[1:], file) {
			continue
		}
		err := cmd.Process.Signal(syscall.Signal(0))
		if errors.Is(err, os.ErrProcessDone) {
			return filepath.Base(cmd.Args[0]), true
		}
	}
	return "", false
}

// mentions reports whether one of args names file, alone or as -flag=file.
func mentions(args []string, file string) bool {
	for _, a := range args {
		if _, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "-") {
			a = v
		}
		if a == file || filepath.Base(a) == filepath.Base(file) {
			return true
		}
	}
	return false
}
