package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The runner's own tests run it on testdata/book, a workbook in miniature:
// 01-pass passes (one scenario skipped); 02-fail fails in each way the
// runner explains (a CR in a log, a server that exits before it is ready,
// one that never becomes ready and ignores its signals, a check that fails
// as written and through the wire proxy, whose timeline the runner shows)
// and passes one scenario; 03-empty is not written yet. Its lessons are
// modules that use this repository's harness through a replace directive,
// and its go.work makes it a workbook grade.Root can find.
//
//	go test -run TestBook -update    rewrites the .golden files after a deliberate change

var update = flag.Bool("update", false, "rewrite the golden files")

const book = "testdata/book"

// runBook runs the runner on the book with args, and returns its output,
// normalised, and its error.
func runBook(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, env{
		out:   &out,
		dir:   book,
		state: stateIn(t.TempDir()),
	})
	return normalise(out.String()), err
}

func stateIn(dir string) func(string) string {
	return func(string) string { return filepath.Join(dir, "state.json") }
}

var (
	port    = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	usageOf = regexp.MustCompile(`Usage of \S+/(\w+):`)                // the flag package names the program by its path
	limit   = regexp.MustCompile(`the scenario's limit is [0-9.]+m?s`) // stretched by the machine's load
	elapsed = regexp.MustCompile(`"duration": [0-9.e+-]+`)             // how long each scenario took
)

// normalise replaces what varies from run to run: ports, and the folder
// where failures keep their data. The order of the lines does not vary:
// the runner prints scenarios in the order of their names, however they
// finish, and the golden files hold it to that.
func normalise(s string) string {
	s = port.ReplaceAllString(s, "127.0.0.1:PORT")
	s = usageOf.ReplaceAllString(s, "Usage of $1:")
	s = limit.ReplaceAllString(s, "the scenario's limit is LIMIT")
	s = elapsed.ReplaceAllString(s, `"duration": 0`)
	return strings.ReplaceAll(s, filepath.Join(os.TempDir(), "socketbook"), "$TMPDIR/socketbook")
}

// golden compares got with the file, or rewrites the file with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	file = filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it after a deliberate change)\n--- got:\n%s", file, got)
	}
}

func TestPassingLesson(t *testing.T) {
	t.Parallel()
	out, err := runBook(t, "01")
	if err != nil {
		t.Errorf("a passing lesson must exit 0, got %v", err)
	}
	golden(t, "pass.golden", out)
}

// Without -k the runner stops at the first failing lesson.
func TestStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	out, err := runBook(t, "fail", "3")
	if err != errFailed {
		t.Errorf("want errFailed (exit status 1), got %v", err)
	}
	golden(t, "stop.golden", out)
}

// With -json every lesson runs and each scenario earns its point.
func TestKeepGoingJSON(t *testing.T) {
	t.Parallel()
	report := filepath.Join(t.TempDir(), "report.json")
	out, err := runBook(t, "-json", report)
	if err != errFailed {
		t.Errorf("want errFailed (exit status 1), got %v", err)
	}
	golden(t, "all.golden", out)
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json.golden", normalise(string(data)))

	var res struct {
		Version  int    `json:"version"`
		Status   string `json:"status"`
		MaxScore int    `json:"max_score"`
		Score    int    `json:"score"`
		Tests    []struct {
			Name, Status, Message, TestCode string
			Filename                        string `json:"filename"`
			Score                           int
		} `json:"tests"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	// 01-pass: 2 points (one skipped, still earned); 02-fail: 1 of 6
	// (echoed.split is a test of its own); 03-empty: 0 of 1; exercise
	// 01/1, not done: 0 of 1.
	if res.Version != 1 || res.Status != "error" || res.MaxScore != 10 || res.Score != 3 || len(res.Tests) != 10 {
		t.Errorf("got version %d, status %q, %d of %d points in %d tests; want 1, error, 3 of 10 in 10",
			res.Version, res.Status, res.Score, res.MaxScore, len(res.Tests))
	}
	// GitHub Classroom's reporter shows where each test is.
	for _, test := range res.Tests {
		if test.Name != "03-empty" && !strings.HasPrefix(test.Filename, "lessons/") {
			t.Errorf("%s: filename %q, want a path from the root", test.Name, test.Filename)
		}
	}
}

// -format exercism writes Exercism's results.json and exits 0 once it has,
// whatever the tests said.
func TestExercismReport(t *testing.T) {
	t.Parallel()
	report := filepath.Join(t.TempDir(), "results.json")
	if _, err := runBook(t, "-json", report, "-format", "exercism"); err != nil {
		t.Fatalf("a runner that wrote its report must exit 0, got %v", err)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Message string `json:"message"`
		Tests   []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			TaskID int    `json:"task_id"`
		} `json:"tests"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	// Some tests ran, some failed, 03-empty could not run: fail, not
	// error, and no top-level message.
	if res.Version != 3 || res.Status != "fail" || res.Message != "" || len(res.Tests) != 10 {
		t.Errorf("got version %d, status %q, message %q, %d tests; want 3, fail, none, 10", res.Version, res.Status, res.Message, len(res.Tests))
	}
	if last := res.Tests[len(res.Tests)-1]; last.Name != "exercise 01/1: shout" || last.Status != "fail" || last.TaskID != 1 {
		t.Errorf("the exercise's test: got %+v", last)
	}
	if _, err := runBook(t, "-format", "exercism"); err == nil || !strings.Contains(err.Error(), "-format goes with -json") {
		t.Errorf("-format alone: got %v", err)
	}
}

// -exercise checks one exercise and explains what is not done yet.
func TestExercise(t *testing.T) {
	t.Parallel()
	out, err := runBook(t, "-exercise", "1/1")
	if err != errFailed {
		t.Errorf("an exercise not done must exit 1, got %v", err)
	}
	golden(t, "exercise.golden", out)

	_, err = runBook(t, "-exercise", "01/2")
	if err == nil || !strings.Contains(err.Error(), "-answer 01/2 shows a model answer") {
		t.Errorf("an exploratory exercise has nothing to check; got %v", err)
	}
	_, err = runBook(t, "-exercise", "01/9")
	if err == nil || err.Error() != "01-pass has no exercise 9: its exercises are 01/1, 01/2" {
		t.Errorf("got %v", err)
	}
}

// -answer shows the model answer of an exploratory exercise, and refuses
// to give away one that builds.
func TestAnswer(t *testing.T) {
	out, err := runBook(t, "-answer", "01/2")
	if err != nil || !strings.Contains(out, "The server's log shows one line as it starts") {
		t.Errorf("got %v:\n%s", err, out)
	}
	_, err = runBook(t, "-answer", "01/1")
	if err == nil || !strings.Contains(err.Error(), "its checks say when it is done: go run ./tools/runner -exercise 01/1") {
		t.Errorf("got %v", err)
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	state := `{"Scenarios": {"01-pass/echo": "pass", "02-fail/log": "fail", "02-fail/echo": "pass"}, "Problems": {}}`
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(state), 0o666); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-list"}, env{out: &out, dir: book, state: stateIn(dir)})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "list.golden", out.String())
}

func TestMistakes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-port", "1"}, "flag provided but not defined: -port (see -h)"},
		{[]string{"9"}, `no lesson "9": the lessons are 01-pass, 02-fail, 03-empty`},
		{[]string{"-watch", "-list"}, "-watch cannot be used with -list or -json (see -h)"},
	} {
		_, err := runBook(t, tc.args...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("runner %s: got error %v, want %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, env{out: &out, dir: book}); err != nil || !strings.HasPrefix(out.String(), "usage: go run ./tools/runner") {
		t.Errorf("-h: got %v and %q", err, out.String())
	}
}

// -watch runs the lesson, then again when one of its files changes.
func TestWatch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	file := filepath.Join(book, "lessons", "01-pass", "server", "main.go")
	var mu sync.Mutex
	var out bytes.Buffer
	readies := 0
	w := &lockedWriter{mu: &mu, w: &out}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-watch", "01"}, env{
			out:   w,
			dir:   book,
			state: stateIn(t.TempDir()),
			poll:  20 * time.Millisecond,
			ready: func() {
				readies++
				if readies == 1 {
					// A save: the same bytes, a new modification time.
					later := time.Now().Add(time.Duration(readies) * time.Second)
					if err := os.Chtimes(file, later, later); err != nil {
						t.Error(err)
					}
					return
				}
				cancel()
			},
		})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := out.String()
	mu.Unlock()
	if n := strings.Count(got, "workbook: all passed"); n != 2 || !strings.Contains(got, "--- 01-pass changed ---") {
		t.Errorf("want two passing runs around a change, got:\n%s", got)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestColor(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colorWanted(f) {
		t.Error("colour on a file; want it only on a terminal")
	}
	t.Setenv("NO_COLOR", "1")
	if colorWanted(os.Stdout) {
		t.Error("colour with NO_COLOR set")
	}
	p := &printer{color: false}
	if p.paint(red, "FAIL") != "FAIL" {
		t.Error("paint adds escapes with colour off")
	}
}

func TestVisible(t *testing.T) {
	if got, want := visible("a\tb\r\nc\x00\n"), "a\\tb\\r\nc\\x00\n"; got != want {
		t.Errorf("visible: got %q, want %q", got, want)
	}
}
