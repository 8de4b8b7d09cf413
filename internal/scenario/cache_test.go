package scenario

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/socketbook/socketbook/internal/grade"
	"github.com/stretchr/testify/require"
)

// go test replays a passing result from its cache while it believes
// nothing the test read has changed. A lesson's programs are built in a
// child process, so the harness must read their inputs itself (see
// grade.Inputs). This test proves it does, on a copy of the workbook with
// lesson 01 and one scenario: a change of one byte in the server is
// graded again, inside the lesson and at the root, and so is a change in
// the harness; a change to the README is not, since no program reads it.
func TestCacheSeesTheProgramsInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a copy of the workbook; skipped with -short")
	}
	book := copyWorkbook(t)
	lesson := filepath.Join(book, "lessons", "01-echo")

	steps := []struct {
		what   string
		dir    string // where go test runs
		change string // the file whose first letter changes, "" for none
		cached bool   // whether the result may come from the cache
	}{
		{"first run in the lesson", lesson, "", false},
		{"nothing changed", lesson, "", true},
		{"one byte of the server changed", lesson, "lessons/01-echo/server/main.go", false},
		{"nothing changed since", lesson, "", true},
		{"the README changed", lesson, "lessons/01-echo/README.md", true},
		{"first run at the root", book, "", false},
		{"nothing changed", book, "", true},
		{"one byte of the client changed", book, "lessons/01-echo/client/main.go", false},
		{"one byte of a scenario changed", book, "lessons/01-echo/testdata/hello.txtar", false},
		{"one byte of the harness changed", book, "internal/scenario/commands.go", false},
		{"the README changed", book, "lessons/01-echo/README.md", true},
	}
	age := time.Hour
	for _, step := range steps {
		if step.change != "" {
			// An old time, as after a git checkout long ago: go test never
			// caches a result that read a file changed in the last two
			// seconds, and we want to see the cache itself at work.
			age -= time.Minute
			changeOneByte(t, filepath.Join(book, step.change), time.Now().Add(-age))
		}
		out := goTest(t, step.dir)
		if got := strings.Contains(out, "(cached)"); got != step.cached {
			t.Fatalf("%s (go test in %s): cached = %v, want %v:\n%s", step.what, step.dir, got, step.cached, out)
		}
	}
}

// goTest runs go test in dir and returns what it printed.
func goTest(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("go", "test", ".")
	cmd.Dir = dir
	// Without the race detector, for speed; the setting is part of what
	// the cache compares, and the same on every run.
	cmd.Env = append(os.Environ(), "SOCKETBOOK_RACE=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go test in %s:\n%s", dir, out)
	return string(out)
}

// copyWorkbook copies what lesson 01 needs into a folder of its own, with
// one scenario, every file an hour old.
func copyWorkbook(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs("../..")
	require.NoError(t, err)
	if grade.IsStarter(src) {
		t.Skip("a starter edition: this test needs lesson 01 written; the reference workbook runs it")
	}
	dst := t.TempDir()
	for _, path := range []string{"go.mod", "go.sum", "workbook_test.go", "internal", "lessons/01-echo"} {
		copyTree(t, filepath.Join(src, path), filepath.Join(dst, path))
	}
	tests, err := filepath.Glob(filepath.Join(dst, "lessons", "01-echo", "testdata", "*.txtar"))
	require.NoError(t, err)
	for _, file := range tests {
		if filepath.Base(file) != "hello.txtar" {
			require.NoError(t, os.Remove(file))
		}
	}
	work := "go 1.23\n\nuse (\n\t.\n\t./lessons/01-echo\n)\n"
	require.NoError(t, os.WriteFile(filepath.Join(dst, "go.work"), []byte(work), 0o666))
	old := time.Now().Add(-time.Hour)
	err = filepath.WalkDir(dst, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, old, old)
	})
	require.NoError(t, err)
	return dst
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o777)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o666)
	})
	require.NoError(t, err)
}

// changeOneByte changes the case of the first letter of a comment, of the
// same size, and dates the file at when.
func changeOneByte(t *testing.T, file string, when time.Time) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	i := strings.Index(string(data), "// ")
	if i < 0 {
		i = strings.Index(string(data), "# ")
	}
	for i >= 0 && i < len(data) && !(data[i] >= 'a' && data[i] <= 'z' || data[i] >= 'A' && data[i] <= 'Z') {
		i++
	}
	require.Less(t, i, len(data), "no letter to change in %s", file)
	data[i] ^= 0x20 // a to A, A to a
	require.NoError(t, os.WriteFile(file, data, 0o666))
	require.NoError(t, os.Chtimes(file, when, when))
}

// -update rewrites a deliberately changed expectation with what came, and
// the scenario then passes without it.
func TestUpdateRewritesTheExpectation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a copy of the workbook; skipped with -short")
	}
	book := copyWorkbook(t)
	lesson := filepath.Join(book, "lessons", "01-echo")
	script := filepath.Join(lesson, "testdata", "hello.txtar")
	original, err := os.ReadFile(script)
	require.NoError(t, err)
	changed := strings.Replace(string(original), "-- hello.txt --\nhello\n", "-- hello.txt --\nhellX\n", 1)
	require.NotEqual(t, string(original), changed, "hello.txtar has no hello.txt section to change")
	require.NoError(t, os.WriteFile(script, []byte(changed), 0o666))

	run := func(args ...string) (string, error) {
		cmd := exec.Command("go", append([]string{"test", "-count=1", "-v", "-run", "TestScenarios/^hello$", "."}, args...)...)
		cmd.Dir = lesson
		cmd.Env = append(os.Environ(), "SOCKETBOOK_RACE=0")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run()
	require.Error(t, err, "the changed expectation must fail first:\n%s", out)

	out, err = run("-update")
	require.NoError(t, err, "with -update the scenario passes:\n%s", out)
	require.Contains(t, out, "updated testdata/hello.txtar: hello.txt")
	now, err := os.ReadFile(script)
	require.NoError(t, err)
	require.Equal(t, string(original), string(now), "-update must write back what the server sent")

	out, err = run()
	require.NoError(t, err, "after -update the scenario passes on its own:\n%s", out)
}
