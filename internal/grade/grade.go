// Package grade finds the workbook's lessons and runs each one's scenarios
// with `go test -json`, reporting them one scenario at a time. The runner
// (tools/runner) and the workbook's own test (workbook_test.go) both use it,
// so a student and an instructor always get the same verdict from the same
// scenarios.
package grade

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// A Lesson is one lesson module under lessons/.
type Lesson struct {
	Name string // folder name, such as "01-echo"
	Dir  string // absolute path of the folder
}

// Status is how a scenario ended.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// A Scenario is the result of one script in a lesson's testdata.
type Scenario struct {
	Lesson  string
	Name    string // the script's file name without .txtar
	Status  Status
	Comment string // the script's opening comment: what it shows, where to read
	Readme  string // the README section to read when it fails
	Log     string // what the test printed for it: for a failure, Failure.Text
	File    string // the script's path
	Elapsed time.Duration
	// Failure is what the harness recorded about a failed scenario: the
	// step that failed, why, and what the programs it started did.
	Failure *Failure
}

// WireMode returns the wire proxy's mode, such as "split", when the
// scenario is a variant (hello.split) that ran its script (hello.txtar)
// through the proxy; "" when it ran as written.
func (s Scenario) WireMode() string {
	base := strings.TrimSuffix(filepath.Base(s.File), ".txtar")
	if mode, ok := strings.CutPrefix(s.Name, base+"."); ok {
		return mode
	}
	return ""
}

// A Report is what running one lesson gave.
type Report struct {
	Lesson    Lesson
	Scenarios []Scenario
	// Problem is set when the lesson failed outside any scenario: it does
	// not build, or its test ended early. Output then says why.
	Problem string
	// Updated lists the expected sections that -update rewrote, one
	// "updated FILE: SECTION" each.
	Updated []string
	// NotWritten lists, in a starter edition, the pieces of the lesson
	// that are still stubs. When none of them is written the scenarios
	// do not run: each fails for that reason alone.
	NotWritten []Piece
	Stubbed    bool
}

// Passed reports whether the lesson ran and every scenario passed or was
// skipped.
func (r Report) Passed() bool {
	if r.Problem != "" {
		return false
	}
	for _, s := range r.Scenarios {
		if s.Status == Fail {
			return false
		}
	}
	return true
}

// Root finds the workbook's root folder, the one with go.work, from dir
// upwards, so the runner works from any folder of the repository.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "lessons")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the workbook: no folder above this one has go.work and lessons/")
		}
		dir = parent
	}
}

// lessonName matches a lesson folder: two digits, a dash, a name.
var lessonName = regexp.MustCompile(`^[0-9][0-9]-[a-z0-9-]+$`)

// Lessons lists the lessons under root/lessons in their order.
func Lessons(root string) ([]Lesson, error) {
	entries, err := os.ReadDir(filepath.Join(root, "lessons"))
	if err != nil {
		return nil, err
	}
	var lessons []Lesson
	for _, e := range entries {
		dir := filepath.Join(root, "lessons", e.Name())
		if !e.IsDir() || !lessonName.MatchString(e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
			continue
		}
		lessons = append(lessons, Lesson{Name: e.Name(), Dir: dir})
	}
	sort.Slice(lessons, func(i, j int) bool { return lessons[i].Name < lessons[j].Name })
	return lessons, nil
}

// Select picks lessons by number ("1", "01") or name ("echo", "01-echo"),
// in lesson order. With no names it picks them all.
func Select(lessons []Lesson, names []string) ([]Lesson, error) {
	if len(names) == 0 {
		return lessons, nil
	}
	chosen := map[string]bool{}
	for _, name := range names {
		found := false
		for _, l := range lessons {
			number, title, _ := strings.Cut(l.Name, "-")
			if name == l.Name || name == title || name == number || "0"+name == number {
				chosen[l.Name] = true
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no lesson %q: the lessons are %s", name, Names(lessons))
		}
	}
	// In lesson order, each once, however they were named.
	var picked []Lesson
	for _, l := range lessons {
		if chosen[l.Name] {
			picked = append(picked, l)
		}
	}
	return picked, nil
}

// Names lists the lessons' names, separated by commas.
func Names(lessons []Lesson) string {
	var s []string
	for _, l := range lessons {
		s = append(s, l.Name)
	}
	return strings.Join(s, ", ")
}

// Options change how a lesson is run.
type Options struct {
	// Race builds the lesson's programs with the race detector, so that a
	// data race fails the scenario that provoked it. The test itself runs
	// without it: only the programs are graded.
	Race bool
	// Output, if set, receives go's own output when the lesson cannot run.
	Output io.Writer
	// Limit bounds the lesson's whole `go test`, DefaultLimit when zero.
	// Past it, or when ctx is done, go test and every program it started
	// are killed (on Unix the whole process group), so nothing is left
	// running; each scenario has its own, shorter limit inside.
	Limit time.Duration
	// Update rewrites the expected sections of the scenarios that differ
	// with what came: for authors, after a deliberate change.
	Update bool
}

// DefaultLimit bounds a lesson's whole go test, builds included. Each
// scenario has a limit of its own, in seconds, so only a harness that
// itself hangs ever meets this one.
const DefaultLimit = 5 * time.Minute

// Scenarios lists the names of the lesson's scenarios, the .txtar files in
// its testdata folder, in order, each followed by its wire variants
// (hello, hello.merge, hello.split).
func Scenarios(l Lesson) ([]string, error) {
	return ScenariosIn(filepath.Join(l.Dir, "testdata"))
}

// ScenariosIn lists the scenarios of the scripts in dir, as Scenarios does.
func ScenariosIn(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txtar")
		names = append(names, name)
		head, err := ReadHeader(f)
		if err != nil {
			return nil, err
		}
		for _, m := range head.Wire {
			names = append(names, name+"."+m)
		}
	}
	sort.Strings(names)
	return names, nil
}

// scenarioFile is the script a scenario ran. A wire variant such as
// hello.split runs the script of its scenario, hello.txtar, through a proxy
// (see internal/scenario/wire.go).
func scenarioFile(dir, name string) string {
	file := filepath.Join(dir, name+".txtar")
	if _, err := os.Stat(file); err == nil {
		return file
	}
	if i := strings.LastIndex(name, "."); i > 0 {
		return filepath.Join(dir, name[:i]+".txtar")
	}
	return file
}

// Missing names, in one line, what the lesson lacks before it can be run,
// or returns "" when it has a test and scenarios.
func Missing(l Lesson) string {
	// A Stat, not a listing of the folder: go test's cache would then
	// count every file beside it, the README too, as the test's input.
	_, err := os.Stat(filepath.Join(l.Dir, "lesson_test.go"))
	hasTest := err == nil
	names, _ := Scenarios(l)
	switch {
	case !hasTest && len(names) == 0:
		return "not written yet: no lesson_test.go and no scenarios in testdata/"
	case !hasTest:
		return "no lesson_test.go: nothing runs the scenarios in testdata/"
	case len(names) == 0:
		return "no scenarios: testdata/ has no .txtar files"
	}
	return ""
}

// Run runs the lesson's scenarios and calls each, if not nil, with every
// scenario as soon as it has finished. It returns ctx's error if ctx ends
// the run; a lesson that cannot run is a Report with a Problem.
func Run(ctx context.Context, l Lesson, opts Options, each func(Scenario)) (Report, error) {
	if why := Missing(l); why != "" {
		return Report{Lesson: l, Problem: why}, nil
	}
	left, err := stillStubs(l)
	if err != nil {
		return Report{}, err
	}
	if len(left) > 0 && len(left) >= StarterPieces(l) {
		return stubbed(l, left)
	}
	rep, err := run(ctx, l, opts, suite{test: "TestScenarios", dir: filepath.Join(l.Dir, "testdata")}, each)
	rep.NotWritten = left
	if len(left) > 0 {
		// Some pieces are written: their scenarios may pass, and each
		// failure says first what is still missing.
		for _, s := range rep.Scenarios {
			if s.Failure != nil {
				s.Failure.Reason = NotWrittenMessage(left) + "\n" + s.Failure.Reason
			}
		}
	}
	return rep, err
}

// stillStubs lists the lesson's pieces that are still stubs, in a starter
// edition; in the reference it reads nothing, so go test's cache does not
// take the lesson's folders as inputs.
func stillStubs(l Lesson) ([]Piece, error) {
	if !IsStarter(filepath.Dir(filepath.Dir(l.Dir))) {
		return nil, nil
	}
	return NotWritten(l)
}

// stubbed is the report of a lesson none of whose pieces is written yet:
// every scenario fails, for that reason only, without running.
func stubbed(l Lesson, left []Piece) (Report, error) {
	rep := Report{Lesson: l, NotWritten: left, Stubbed: true}
	names, err := Scenarios(l)
	if err != nil {
		return Report{}, err
	}
	dir := filepath.Join(l.Dir, "testdata")
	for _, name := range names {
		file := scenarioFile(dir, name)
		head, _ := ReadHeader(file)
		f := &Failure{Reason: NotWrittenMessage(left)}
		if rel, err := filepath.Rel(filepath.Dir(filepath.Dir(l.Dir)), file); err == nil {
			f.File = filepath.ToSlash(rel)
		}
		rep.Scenarios = append(rep.Scenarios, Scenario{
			Lesson: l.Name, Name: name, Status: Fail, Comment: head.Comment,
			Readme: head.Readme, File: file, Failure: f,
		})
	}
	return rep, nil
}

// suite is the go test that run runs: a test whose subtests are scenarios.
type suite struct {
	test string   // such as TestScenarios, or TestExercises/2-upper-case
	dir  string   // the folder of its scripts
	env  []string // added to go test's environment
}

// run runs one suite of a lesson with go test -json and reports each
// scenario, as soon as it has finished, to each.
func run(ctx context.Context, l Lesson, opts Options, su suite, each func(Scenario)) (Report, error) {
	rep := Report{Lesson: l}
	limit := opts.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	runCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	// The harness writes each failure, as data, into results.
	results, err := os.MkdirTemp("", "socketbook-results-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(results)
	race := "0"
	if opts.Race {
		race = "1"
	}
	// -run takes one pattern per level of subtest: ^TestExercises$/^2-upper-case$.
	var pattern []string
	for _, level := range strings.Split(su.test, "/") {
		pattern = append(pattern, "^"+regexp.QuoteMeta(level)+"$")
	}
	args := []string{"test", "-json", "-count=1", "-run", strings.Join(pattern, "/"), "."}
	if opts.Update {
		args = append(args, "-update") // a flag of the test binary's own
	}
	cmd := exec.CommandContext(runCtx, "go", args...)
	cmd.Dir = l.Dir
	cmd.Env = append(os.Environ(), ResultsEnv+"="+results, "SOCKETBOOK_RACE="+race)
	cmd.Env = append(cmd.Env, su.env...)
	ownGroup(cmd)
	cmd.WaitDelay = 5 * time.Second // then stop waiting for output from stray programs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Report{}, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Report{}, fmt.Errorf("cannot run go: %w (is Go installed and on PATH?)", err)
	}

	logs := map[string]*strings.Builder{}
	var whole strings.Builder // the suite's own output, such as why it skipped
	skipped := false
	var outside strings.Builder // output that belongs to no scenario
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			outside.WriteString(sc.Text() + "\n") // a build error, printed as plain text
			continue
		}
		if line, ok := strings.CutPrefix(ev.Output, updatedPrefix); ok {
			rep.Updated = append(rep.Updated, strings.TrimSpace(updatedPrefix+line))
		}
		if ev.Test == su.test {
			switch ev.Action {
			case "output":
				whole.WriteString(ev.Output)
			case "skip":
				skipped = true
			}
		}
		name, ok := strings.CutPrefix(ev.Test, su.test+"/")
		if !ok {
			if ev.Action == "output" || ev.Action == "build-output" {
				outside.WriteString(ev.Output)
			}
			continue
		}
		if logs[name] == nil {
			logs[name] = &strings.Builder{}
		}
		switch ev.Action {
		case "output":
			logs[name].WriteString(ev.Output)
		case "pass", "fail", "skip":
			file := scenarioFile(su.dir, name)
			head, _ := ReadHeader(file)
			s := Scenario{
				Lesson:  l.Name,
				Name:    name,
				Status:  Status(ev.Action),
				Comment: head.Comment,
				Readme:  head.Readme,
				Log:     cleanLog(logs[name].String()),
				File:    file,
				Elapsed: time.Duration(ev.Elapsed * float64(time.Second)),
			}
			if s.Status == Fail {
				s.Failure = readFailure(results, ev.Test)
				if s.Failure == nil {
					// The harness could not say more: a crash of the
					// test itself, say. Its output is all there is.
					s.Failure = &Failure{Reason: "the scenario failed", Detail: LastLines(s.Log, 40)}
				}
				// From the workbook's root, as the runner prints it.
				if rel, err := filepath.Rel(filepath.Dir(filepath.Dir(l.Dir)), file); err == nil {
					s.Failure.File = filepath.ToSlash(rel)
				}
			}
			rep.Scenarios = append(rep.Scenarios, s)
			if each != nil {
				each(s)
			}
		}
	}
	waitErr := cmd.Wait()
	if skipped && len(rep.Scenarios) == 0 {
		// The whole suite skipped (this system cannot run it): each of
		// its scenarios is skipped, for the same reason.
		why := LastLines(cleanLog(whole.String()), 1)
		names, _ := ScenariosIn(su.dir)
		for _, name := range names {
			file := scenarioFile(su.dir, name)
			s := Scenario{Lesson: l.Name, Name: name, Status: Skip, Log: why, File: file}
			rep.Scenarios = append(rep.Scenarios, s)
			if each != nil {
				each(s)
			}
		}
	}
	// They finished in any order; report them in the order of their names.
	sort.Slice(rep.Scenarios, func(i, j int) bool { return rep.Scenarios[i].Name < rep.Scenarios[j].Name })
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if err := sc.Err(); err != nil {
		return rep, err
	}
	if runCtx.Err() != nil {
		rep.Problem = fmt.Sprintf("the lesson's test ran past its time limit of %v and was stopped, with every program it had started", limit)
		return rep, nil
	}
	if waitErr != nil && rep.Passed() {
		// go test failed but no scenario did: the lesson does not build,
		// or its test stopped before the scenarios ran.
		rep.Problem = goProblem(outside.String() + stderr.String())
		if rep.Problem == "" {
			rep.Problem = waitErr.Error()
		}
	}
	if len(rep.Scenarios) == 0 && rep.Problem == "" {
		rep.Problem = fmt.Sprintf("no scenario ran: is there a %s test that calls the scenario package?", strings.Split(su.test, "/")[0])
	}
	return rep, nil
}

// goProblem keeps what go test said about a lesson that did not run,
// without its summary lines ("FAIL . [setup failed]", "# package").
func goProblem(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if line == "FAIL" || strings.HasPrefix(line, "FAIL\t") || strings.HasPrefix(line, "# ") ||
			strings.HasPrefix(line, "=== RUN") || strings.HasPrefix(line, "--- FAIL") || strings.TrimSpace(line) == "" {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// updatedPrefix starts a line the harness prints for each section that
// -update rewrote (internal/scenario.Updated).
const updatedPrefix = "updated "

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64 // seconds, on pass, fail and skip
}

// testLine matches the prefix the testing package puts on a logged line.
var testLine = regexp.MustCompile(`^\s+\w+\.go:\d+: `)

// cleanLog keeps the transcript testscript logged and drops the testing
// package's own lines (=== RUN, --- FAIL) and indentation.
func cleanLog(log string) string {
	var out []string
	indent := ""
	for _, line := range strings.Split(log, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "=== "), strings.HasPrefix(trimmed, "--- PASS:"),
			strings.HasPrefix(trimmed, "--- FAIL:"), strings.HasPrefix(trimmed, "--- SKIP:"):
			continue
		case testLine.MatchString(line):
			// "    file.go:12: text": the lines that follow are indented
			// four spaces deeper than the file name.
			loc := testLine.FindString(line)
			lead := len(loc) - len(strings.TrimLeft(loc, " "))
			indent = strings.Repeat(" ", lead+4)
			line = line[len(loc):]
		default:
			line = strings.TrimPrefix(line, indent)
		}
		out = append(out, line)
	}
	log = strings.TrimSpace(strings.Join(out, "\n"))
	// On a failure testscript starts with the script's environment, a
	// block of NAME=value lines; the story starts after it.
	if strings.HasPrefix(log, "WORK=") {
		if _, rest, ok := strings.Cut(log, "\n\n"); ok {
			log = rest
		}
	}
	return log
}
