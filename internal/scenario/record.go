package scenario

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/grade"
)

// A record is what the harness learns about one run of a script while it
// runs, so that a failure can be reported as data (a grade.Failure) rather
// than as a transcript for someone to take apart: the commands of ours say
// what they expected and what came, the wire proxies hand over their
// timelines, and the programs still running at the end are noted before
// testscript stops them.
type record struct {
	file string // the script as run (a wire variant's copy has the same lines)
	orig string // the script in testdata, to name in reports
	name string // the scenario, such as hello.split
	when timing

	mu        sync.Mutex
	ts        *testscript.TestScript
	waiting   string // what a command of ours is waiting for
	hung      bool   // a wait of ours ran out of time
	detail    string // what a failing command of ours saw
	diagnosis string
	saved     map[string][]byte // bulk data, kept in files when the script fails
	wire      []grade.Timeline
	procs     []*exec.Cmd       // background programs, noted before they were stopped
	updates   map[string]string // -update: archive file -> its new text
	stdout    string            // of the last command, when the script ended
	stderr    string
	killer    *time.Timer
}

type recordKey struct{}

func scriptRecord(ts *testscript.TestScript) *record {
	return ts.Value(recordKey{}).(*record)
}

// remember wraps a script command so that the record knows the script and
// forgets what the command before it was waiting for.
func remember(cmd func(*testscript.TestScript, bool, []string)) func(*testscript.TestScript, bool, []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		rec := scriptRecord(ts)
		rec.mu.Lock()
		rec.ts, rec.waiting, rec.detail = ts, "", ""
		rec.noteProcs(ts.BackgroundCmds())
		rec.mu.Unlock()
		cmd(ts, neg, args)
	}
}

func (r *record) waitingFor(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting = what
}

// Fail fails the script with reason, a line, and keeps detail (what the
// command expected and what came) for the report.
func Fail(ts *testscript.TestScript, detail, format string, args ...any) {
	rec := scriptRecord(ts)
	rec.mu.Lock()
	rec.detail = detail
	rec.mu.Unlock()
	ts.Fatalf(format, args...)
}

// Hang fails the script because a wait of a command ran out of time.
// Commands call it when a deadline from Patience passes.
func Hang(ts *testscript.TestScript, format string, args ...any) {
	rec := scriptRecord(ts)
	rec.mu.Lock()
	rec.hung = true
	rec.mu.Unlock()
	ts.Fatalf(format, args...)
}

// diagnose keeps a plain-words account of what went wrong with a program.
func diagnose(ts *testscript.TestScript, format string, args ...any) {
	rec := scriptRecord(ts)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.diagnosis = fmt.Sprintf(format, args...)
}

// keep holds data too big to show, to be written to a file named name if
// the script fails, and returns that file's path.
func keep(ts *testscript.TestScript, name string, data []byte) string {
	return scriptRecord(ts).keep(name, data)
}

func (r *record) keep(name string, data []byte) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.saved == nil {
		r.saved = map[string][]byte{}
	}
	r.saved[name] = data
	return filepath.Join(failureDir(r.orig, r.name), name)
}

func (r *record) addTimeline(t grade.Timeline) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wire = append(r.wire, t)
}

// noteBackground notes the programs still running as the script ends, and
// what the last command printed, before testscript stops them and moves
// on. Whatever will not stop is killed at the script's deadline: a program
// that ignores its signals cannot hang the test or outlive it.
func (r *record) noteBackground() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ts == nil {
		return
	}
	r.noteProcs(r.ts.BackgroundCmds())
	r.stdout, r.stderr = r.ts.ReadFile("stdout"), r.ts.ReadFile("stderr")
	procs := r.procs
	r.killer = time.AfterFunc(time.Until(r.when.deadline), func() {
		for _, cmd := range procs {
			if cmd.Process != nil {
				_ = cmd.Process.Kill() // os.ErrProcessDone for one that has exited
			}
		}
	})
}

// noteProcs adds the programs to those the script started, each once:
// a program that `wait` has collected is no longer among testscript's
// background commands, but its log still belongs in a report.
func (r *record) noteProcs(cmds []*exec.Cmd) {
	for _, cmd := range cmds {
		if !slices.Contains(r.procs, cmd) {
			r.procs = append(r.procs, cmd)
		}
	}
}

// failureDir is where a failed scenario's bulk data is kept, the same
// folder on every run, so that the path printed stays valid until the
// next failure of the same scenario.
// An exercise's check (exercises/2-upper-case/hello.txtar) keeps its
// data apart from the lesson's scenario of the same name.
func failureDir(script, scenario string) string {
	lesson, _ := os.Getwd()
	dir := filepath.Join(os.TempDir(), "socketbook", filepath.Base(lesson))
	if ex := filepath.Base(filepath.Dir(script)); filepath.Base(filepath.Dir(filepath.Dir(script))) == "exercises" {
		dir = filepath.Join(dir, "exercises", ex)
	}
	return filepath.Join(dir, scenario)
}

// finish reports the script once it has ended: nothing for a pass (its
// transcript with -v), a bounded failure for a failure, which it also
// writes for the grader to read.
func (r *record) finish(t *testing.T, log, raceDir string) {
	r.mu.Lock()
	if r.killer != nil {
		r.killer.Stop()
	}
	r.mu.Unlock()
	if err := r.applyUpdates(); err != nil {
		t.Errorf("-update: cannot rewrite %s: %v", r.orig, err)
	}
	race := raceReport(raceDir, r.procs, r.keep)
	switch {
	case t.Skipped():
		return
	case !t.Failed() && race == "":
		if testing.Verbose() {
			t.Log(grade.Bound(log, 400, 40<<10))
		}
		return
	}
	f := r.failure(log, race, !t.Failed())
	t.Log("\n" + f.Text())
	if !t.Failed() {
		t.Fail()
	}
	if dir := os.Getenv(grade.ResultsEnv); dir != "" {
		if err := grade.WriteFailure(dir, t.Name(), f); err != nil {
			t.Logf("cannot write the failure for the grader: %v", err)
		}
	}
}

// failure puts together what the record knows. testscript's transcript is
// read for one line only, its verdict, and kept whole in a file.
func (r *record) failure(log, race string, passedOtherwise bool) *grade.Failure {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := &grade.Failure{File: relative(r.orig), Detail: r.detail, Diagnosis: r.diagnosis, Wire: r.wire}
	if passedOtherwise {
		f.Reason = "the script passed, but a program raced"
	} else {
		f.Line, f.Reason = verdict(log, r.file)
		f.Command = scriptLine(r.file, f.Line)
	}
	if race != "" {
		f.Race = race
	}
	switch {
	case f.Reason == timedOut:
		f.Hang = awaited(f.Command)
	case r.hung:
		f.Hang = r.waiting
	}
	if f.Hang != "" {
		f.Reason += fmt.Sprintf(" (the scenario's limit is %v)", r.when.limit.Round(time.Second))
	}
	var fg int
	f.Programs, fg = r.programs(log, f.Command)
	if f.Diagnosis == "" && f.Hang == "" {
		// The background programs: the failing step is named already.
		f.Diagnosis = endedEarly(f.Programs[fg:])
	}
	dir := failureDir(r.orig, r.name)
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o777); err == nil {
		saved := map[string][]byte{"transcript.txt": []byte(log)}
		for name, data := range r.saved {
			saved[name] = data
		}
		// In the order of their names, the same on every run.
		for _, name := range slices.Sorted(maps.Keys(saved)) {
			file := filepath.Join(dir, name)
			if os.WriteFile(file, saved[name], 0o666) == nil {
				f.Saved = append(f.Saved, file)
			}
		}
	}
	return f
}

// timedOut is testscript's reason when a script's time runs out while
// exec or wait is waiting for a program.
const timedOut = "test timed out while running command"

// verdict finds testscript's verdict in a transcript, the line
// "FAIL: FILE:LINE: REASON", and returns its line and reason.
func verdict(log, file string) (int, string) {
	mark := "FAIL: " + file + ":"
	i := strings.LastIndex(log, mark)
	if i < 0 {
		return 0, "the scenario failed (its transcript is kept in the file below)"
	}
	rest, _, _ := strings.Cut(log[i+len(mark):], "\n")
	num, reason, _ := strings.Cut(rest, ": ")
	line, _ := strconv.Atoi(num)
	return line, reason
}

// awaited says what a step of a script waits for, in words.
func awaited(command string) string {
	f := strings.Fields(command)
	for len(f) > 0 && (strings.HasPrefix(f[0], "[") || f[0] == "!") {
		f = f[1:]
	}
	switch {
	case len(f) >= 2 && f[0] == "exec":
		return "`" + filepath.Base(f[1]) + "` to exit"
	case len(f) >= 2 && f[0] == "wait":
		return "`" + f[1] + "` to exit (after it was told to stop, it did not)"
	case len(f) == 1 && f[0] == "wait":
		return "the background programs to exit"
	}
	return "`" + command + "` to finish"
}

// programs describes the programs the script ran: the last command, if it
// was a program, and the background ones.
func (r *record) programs(log, command string) (progs []grade.Program, foreground int) {
	if f := strings.Fields(strings.TrimPrefix(command, "!")); len(f) >= 2 && f[0] == "exec" && !strings.HasSuffix(command, "&") {
		progs = append(progs, r.program(strings.Join(f[1:], " "), lastStatus(log), r.stdout, r.stderr))
		foreground = 1
	}
	for _, cmd := range r.procs {
		args := append([]string{filepath.Base(cmd.Args[0])}, cmd.Args[1:]...)
		ended := "still running"
		if cmd.ProcessState != nil {
			ended = cmd.ProcessState.String()
		}
		progs = append(progs, r.program(strings.Join(args, " "), ended, builderText(cmd.Stdout), builderText(cmd.Stderr)))
	}
	return progs, foreground
}

// program describes one program by what it printed: the end of its
// stderr, and of its stdout unless that is big or binary, which is kept
// in a file instead.
func (r *record) program(command, ended, stdout, stderr string) grade.Program {
	p := grade.Program{Command: command, Ended: ended, LastDid: lastDid(stderr)}
	p.Log = grade.LastLines(withoutDump(stderr), 40)
	if stdout == "" {
		return p
	}
	if strings.ContainsRune(stdout, 0) || !utf8.ValidString(stdout) || len(stdout) > 4<<10 {
		name := strings.Fields(command)[0] + ".stdout"
		if r.saved == nil {
			r.saved = map[string][]byte{}
		}
		r.saved[name] = []byte(stdout)
		p.Log = strings.TrimSpace(p.Log + fmt.Sprintf("\n(and %d bytes on stdout, kept in %s)", len(stdout), filepath.Join(failureDir(r.orig, r.name), name)))
		return p
	}
	p.Log = strings.TrimSpace(p.Log + "\n" + grade.LastLines(stdout, 20))
	return p
}

// lastStatus finds how the last foreground program ended: testscript
// writes it as "[exit status 1]" just before its verdict.
func lastStatus(log string) string {
	i := strings.LastIndex(log, "\nFAIL: ")
	if i < 0 {
		return "ended"
	}
	before := log[:i]
	j := strings.LastIndex(before, "\n[")
	if j < 0 || !strings.HasSuffix(before, "]") {
		return "ended"
	}
	status := strings.TrimSuffix(before[j+2:], "]")
	if status == context.DeadlineExceeded.Error() {
		return "stopped when the time ran out"
	}
	return status
}

// builderText is what a program wrote to one of testscript's buffers.
func builderText(w any) string {
	if b, ok := w.(*strings.Builder); ok {
		return b.String()
	}
	return ""
}

// endedEarly names a background program that ended badly while the
// scenario still needed it: not by "signal: interrupt", which is how the
// harness stops programs after a failure.
func endedEarly(progs []grade.Program) string {
	for _, p := range progs {
		switch p.Ended {
		case "exit status 0", "signal: interrupt", "still running", "ended", "":
			continue
		}
		return fmt.Sprintf("%s ended with %s while the scenario still needed it.", p.Command, p.Ended)
	}
	return ""
}

// relative is path from the current folder (the lesson's), or as it is.
func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return filepath.ToSlash(rel)
}

// scriptLine returns line n of file, trimmed, or "" if there is none.
func scriptLine(file string, n int) string {
	data, err := os.ReadFile(file)
	if err != nil || n < 1 {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}
