package grade

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSelect(t *testing.T) {
	lessons := []Lesson{{Name: "01-echo"}, {Name: "02-concurrent"}, {Name: "03-udp"}}
	got, err := Select(lessons, []string{"udp", "1", "01-echo", "02"})
	require.NoError(t, err)
	// In lesson order, each once.
	assert.Equal(t, []Lesson{{Name: "01-echo"}, {Name: "02-concurrent"}, {Name: "03-udp"}}, got)

	_, err = Select(lessons, []string{"http"})
	assert.EqualError(t, err, `no lesson "http": the lessons are 01-echo, 02-concurrent, 03-udp`)
}

// A lesson folder that is not written yet is one line, not a crash.
func TestMissing(t *testing.T) {
	dir := t.TempDir()
	l := Lesson{Name: "02-concurrent", Dir: dir}
	assert.Equal(t, "not written yet: no lesson_test.go and no scenarios in testdata/", Missing(l))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "lesson_test.go"), []byte("package lesson_test\n"), 0o666))
	assert.Equal(t, "no scenarios: testdata/ has no .txtar files", Missing(l))

	rep, err := Run(context.Background(), l, Options{}, nil)
	require.NoError(t, err)
	assert.Equal(t, "no scenarios: testdata/ has no .txtar files", rep.Problem)
	assert.False(t, rep.Passed())
}

func TestNewResult(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "testdata", "a.txtar"), []byte("exec server\n"), 0o666))
	reports := []Report{
		{Lesson: Lesson{Name: "01-echo"}, Scenarios: []Scenario{
			{Lesson: "01-echo", Name: "hello", Status: Pass},
			{Lesson: "01-echo", Name: "ipv6", Status: Skip, Log: "> skip 'no IPv6'"},
			{Lesson: "01-echo", Name: "bigfile", Status: Fail, Readme: "Streams",
				Failure: &Failure{File: "testdata/bigfile.txtar", Line: 3, Command: "cmpbin stdout big.bin", Reason: "they differ"}},
		}},
		{Lesson: Lesson{Name: "02-concurrent", Dir: dir}, Problem: "does not build"},
		{Lesson: Lesson{Name: "03-udp", Dir: t.TempDir()}, Problem: "not written yet"},
	}
	res := NewResult(reports)
	assert.Equal(t, 1, res.Version)
	assert.Equal(t, "error", res.Status)
	assert.Equal(t, 5, res.MaxScore)
	assert.Equal(t, 2, res.Score)
	var names, statuses []string
	for _, tr := range res.Tests {
		names = append(names, tr.Name)
		statuses = append(statuses, tr.Status)
	}
	assert.Equal(t, []string{"01-echo/hello", "01-echo/ipv6", "01-echo/bigfile", "02-concurrent/a", "03-udp"}, names)
	assert.Equal(t, []string{"pass", "pass", "fail", "error", "error"}, statuses)
	assert.Equal(t, "skipped on this machine: skip 'no IPv6'", res.Tests[1].Message)
	assert.Equal(t, "testdata/bigfile.txtar:3: `cmpbin stdout big.bin`: they differ\n\nRead: lessons/01-echo/README.md, section \"Streams\"\n", res.Tests[2].Message)
	assert.Equal(t, "exec server\n", res.Tests[3].TestCode)

	assert.Equal(t, "fail", NewResult(reports[:1]).Status)
	assert.Equal(t, "pass", NewResult([]Report{{Scenarios: []Scenario{{Status: Pass}}}}).Status)
}

func TestWireMode(t *testing.T) {
	assert.Equal(t, "split", Scenario{Name: "hello.split", File: "/l/testdata/hello.txtar"}.WireMode())
	assert.Equal(t, "", Scenario{Name: "hello", File: "/l/testdata/hello.txtar"}.WireMode())
	// A script whose own name has a dot is not a variant of anything.
	assert.Equal(t, "", Scenario{Name: "two.dots", File: "/l/testdata/two.dots.txtar"}.WireMode())
}

func TestReadHeader(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hello.txtar")
	script := "# The first round trip.\n# README: \"Run it\".\n# wire: split merge\n# limit: 30s\n\nexec server\n# not the header\n"
	require.NoError(t, os.WriteFile(file, []byte(script), 0o666))
	h, err := ReadHeader(file)
	require.NoError(t, err)
	assert.Equal(t, "Run it", h.Readme)
	assert.Equal(t, []string{"split", "merge"}, h.Wire)
	assert.Equal(t, 30*time.Second, h.Limit)
	assert.Equal(t, "The first round trip.", h.Story())

	require.NoError(t, os.WriteFile(file, []byte("# limit: soon\n"), 0o666))
	_, err = ReadHeader(file)
	assert.ErrorContains(t, err, `bad limit "soon"`)
}

// However much a program printed, a failure fits on a screen or two.
func TestFailureTextIsBounded(t *testing.T) {
	huge := strings.Repeat("a line of a big log\n", 100000)
	f := &Failure{File: "testdata/big.txtar", Line: 9, Command: "cmpnorm stdout want.txt", Reason: "they differ",
		Detail: huge, Programs: []Program{{Command: "server", Ended: "exit status 0", Log: huge}}}
	text := f.Text()
	assert.LessOrEqual(t, len(text), 20<<10+100)
	assert.LessOrEqual(t, strings.Count(text, "\n"), 201)
	// The useful part first: where, what, why.
	assert.True(t, strings.HasPrefix(text, "testdata/big.txtar:9: `cmpnorm stdout want.txt`: they differ\n"), text[:80])
	assert.Contains(t, text, "more bytes not shown")
}

func TestFailureTextHang(t *testing.T) {
	f := &Failure{File: "testdata/hello.txtar", Line: 7, Command: "exec client hello", Reason: "test timed out while running command",
		Hang: "`client` to exit", Programs: []Program{{Command: "client hello", Ended: "signal: quit", LastDid: "IO wait in main.roundTrip (client/main.go:120)"}}}
	assert.Equal(t, "testdata/hello.txtar:7: `exec client hello`: test timed out while running command\n\n"+
		"Hang: the scenario was waiting for `client` to exit when its time ran out.\n\n"+
		"client hello (signal: quit), last seen:\n    IO wait in main.roundTrip (client/main.go:120)\n", f.Text())
}

// The fields of Exercism's test-runner interface, version 3, as published
// (exercism.org/docs/building/tooling/test-runners/interface): which keys
// a results.json may have, and which each status requires.
var (
	exercismTop  = map[string]bool{"version": true, "status": true, "message": true, "tests": true}
	exercismTest = map[string]bool{"name": true, "status": true, "message": true, "output": true, "test_code": true, "task_id": true}
)

// checkExercism holds a report to the published field list.
func checkExercism(t *testing.T, res ExercismResult) {
	t.Helper()
	data, err := json.Marshal(res)
	require.NoError(t, err)
	var top map[string]any
	require.NoError(t, json.Unmarshal(data, &top))
	for key := range top {
		assert.True(t, exercismTop[key], "top-level key %q is not in the interface", key)
	}
	assert.Equal(t, float64(3), top["version"])
	status := top["status"].(string)
	assert.Contains(t, []string{"pass", "fail", "error"}, status)
	_, hasMessage := top["message"]
	assert.Equal(t, status == "error", hasMessage, "a top-level message goes with status error, and only with it")
	tests, ok := top["tests"].([]any)
	require.True(t, ok, "tests must be an array")
	for _, raw := range tests {
		test := raw.(map[string]any)
		for key := range test {
			assert.True(t, exercismTest[key], "test key %q is not in the interface", key)
		}
		assert.NotEmpty(t, test["name"])
		assert.Contains(t, []string{"pass", "fail", "error"}, test["status"])
		_, hasCode := test["test_code"]
		assert.True(t, hasCode, "version 3 needs test_code")
		if test["status"] != "pass" {
			assert.NotEmpty(t, test["message"], "a test that did not pass says why")
		}
		if out, ok := test["output"].(string); ok {
			assert.LessOrEqual(t, len(out), exercismOutput)
		}
		if id, ok := test["task_id"]; ok {
			assert.Equal(t, id, float64(int(id.(float64))), "task_id is a whole number")
		}
	}
}

func TestExercismResult(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "testdata", "a.txtar"), []byte("exec server\n"), 0o666))
	long := strings.Repeat("a log line\n", 200)
	reports := []Report{
		{Lesson: Lesson{Name: "01-echo"}, Scenarios: []Scenario{
			{Lesson: "01-echo", Name: "hello", Status: Pass},
			{Lesson: "01-echo", Name: "bigfile", Status: Fail,
				Failure: &Failure{File: "x.txtar", Line: 3, Reason: "they differ", Programs: []Program{{Command: "server", Ended: "exit status 0", Log: long}}}},
		}},
		{Lesson: Lesson{Name: "02-concurrent", Dir: dir}, Problem: "does not build"},
	}
	res := NewExercismResult(reports, nil)
	checkExercism(t, res)
	assert.Equal(t, "fail", res.Status, "some tests ran: fail, not error")
	require.Len(t, res.Tests, 3)
	assert.Equal(t, 1, res.Tests[0].TaskID)
	assert.Equal(t, "error", res.Tests[2].Status)
	assert.Equal(t, 2, res.Tests[2].TaskID)
	assert.Equal(t, "exec server\n", res.Tests[2].TestCode)

	// Nothing could run at all: error, with a message.
	res = NewExercismResult(reports[1:], nil)
	checkExercism(t, res)
	assert.Equal(t, "error", res.Status)
	assert.Equal(t, "02-concurrent: does not build", res.Message)

	res = NewExercismResult([]Report{{Lesson: Lesson{Name: "01-echo"}, Scenarios: []Scenario{{Lesson: "01-echo", Name: "hello", Status: Pass}}}}, nil)
	checkExercism(t, res)
	assert.Equal(t, "pass", res.Status)
}
