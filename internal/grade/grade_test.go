package grade

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// transcripts as grade.Run keeps them, after cleanLog.
const (
	cmpFailure = `# The first round trip. (0.010s)
> exec server -addr 127.0.0.1:0 -addrfile addr &server&
> waitaddr addr
> exec client -addr $ADDR hello
[stdout]
hello
> cmpnorm stdout hello.txt
expected (hello.txt):
    hello↵
got (stdout):
    hello\r↵
FAIL: testdata/hello.txtar:7: stdout and hello.txt differ
[background] server -addr 127.0.0.1:0 -addrfile addr: exit status 0
[stderr]
listening on 127.0.0.1:40000
stopped`

	exitFailure = `> exec server -addrfile addr &server&
> waitaddr addr
FAIL: testdata/crash.txtar:5: server exited before it wrote its address to addr: the server never became ready (its exit status and log are below)
[background] server -addrfile addr: exit status 1
[stderr]
server: cannot listen`

	limitFailure = `> exec server -addrfile addr &server&
> waitaddr addr
> kill -INT server
> wait server
FAIL: testdata/hang.txtar:6: test timed out while running command
[background] server -addrfile addr: signal: killed`

	crashFailure = `> exec server -addrfile addr &server&
> waitaddr addr
> exec client -addr $ADDR hi
[stderr]
client: connection refused
FAIL: testdata/early.txtar:3: unexpected command failure
[background] server -addrfile addr: exit status 2
[stderr]
panic: oops`
)

func TestParseFailure(t *testing.T) {
	f := parseFailure(cmpFailure, "no such file")
	assert.Equal(t, 7, f.Line)
	assert.Equal(t, "cmpnorm stdout hello.txt", f.Command)
	assert.Equal(t, "stdout and hello.txt differ", f.Reason)
	assert.Equal(t, "expected (hello.txt):\n    hello↵\ngot (stdout):\n    hello\\r↵", f.Detail)
	assert.Equal(t, []Program{{Command: "server -addr 127.0.0.1:0 -addrfile addr", Ended: "exit status 0", Log: "listening on 127.0.0.1:40000\nstopped"}}, f.Programs)
	assert.Empty(t, f.Diagnosis, "a server that stopped cleanly needs no diagnosis")

	f = parseFailure(exitFailure, "")
	assert.Equal(t, "The server exited (exit status 1) before it was ready, so no client could connect. It was started as: server -addrfile addr.", f.Diagnosis)

	f = parseFailure(limitFailure, "")
	assert.Equal(t, "wait server", f.Command)
	assert.Equal(t, []Program{{Command: "server -addrfile addr", Ended: "signal: killed"}}, f.Programs)
	assert.Contains(t, f.Diagnosis, "ran past its time limit")
	assert.Contains(t, f.Diagnosis, "server -addrfile addr (signal: killed)")

	f = parseFailure(crashFailure, "")
	assert.Equal(t, "[stderr]\nclient: connection refused", f.Detail)
	assert.Equal(t, "server -addrfile addr ended with exit status 2 while the scenario still needed it.", f.Diagnosis)
}

// The script's own line is shown, before $VARS were expanded.
func TestParseFailureQuotesTheScript(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hello.txtar")
	require.NoError(t, os.WriteFile(file, []byte("# c\n\n\n\n\n\ncmpnorm stdout $WANT\n"), 0o666))
	assert.Equal(t, "cmpnorm stdout $WANT", parseFailure(cmpFailure, file).Command)
}

func TestNewResult(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "testdata"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "testdata", "a.txtar"), []byte("exec server\n"), 0o666))
	reports := []Report{
		{Lesson: Lesson{Name: "01-echo"}, Scenarios: []Scenario{
			{Lesson: "01-echo", Name: "hello", Status: Pass},
			{Lesson: "01-echo", Name: "ipv6", Status: Skip, Log: "> skip 'no IPv6'"},
			{Lesson: "01-echo", Name: "bigfile", Status: Fail, Comment: `README: "Streams"`,
				Failure: &Failure{Line: 3, Command: "cmpbin stdout big.bin", Reason: "they differ"}},
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
	assert.Equal(t, "`cmpbin stdout big.bin` failed (line 3): they differ\n\nRead: lessons/01-echo/README.md, section \"Streams\"", res.Tests[2].Message)
	assert.Equal(t, "exec server\n", res.Tests[3].TestCode)

	assert.Equal(t, "fail", NewResult(reports[:1]).Status)
	assert.Equal(t, "pass", NewResult([]Report{{Scenarios: []Scenario{{Status: Pass}}}}).Status)
}

// A variant's transcript: the proxy's timeline comes after the verdict and
// is neither part of the server's log nor lost.
const wireFailure = `> dial c $ADDR
> recv c 'hi\n'
FAIL: testdata/hello.split.txtar:9: c: want "hi\n", got "h" and then the end of the stream
the wire (split), between the clients at 127.0.0.1:41000 and the server at 127.0.0.1:40000:
    #1  open: client 127.0.0.1:42000
    #1  server → client  1 byte  "h"
[background] server -addrfile addr: exit status 0
[stderr]
listening on 127.0.0.1:40000
stopped`

func TestWireTimeline(t *testing.T) {
	f := parseFailure(wireFailure, "")
	require.Len(t, f.Wire, 1)
	assert.Equal(t, "the wire (split), between the clients at 127.0.0.1:41000 and the server at 127.0.0.1:40000", f.Wire[0].Title)
	assert.Equal(t, "#1  open: client 127.0.0.1:42000\n#1  server → client  1 byte  \"h\"", f.Wire[0].Lines)
	require.Len(t, f.Programs, 1)
	assert.Equal(t, "listening on 127.0.0.1:40000\nstopped", f.Programs[0].Log)

	// After the server's log, the timeline still does not join it.
	verdict, rest, _ := strings.Cut(wireFailure, "\nthe wire")
	timeline, server, _ := strings.Cut(rest, "\n[background]")
	f = parseFailure(verdict+"\n[background]"+server+"\nthe wire"+timeline, "")
	require.Len(t, f.Wire, 1)
	require.Len(t, f.Programs, 1)
	assert.Equal(t, "listening on 127.0.0.1:40000\nstopped", f.Programs[0].Log)
}

func TestWireMode(t *testing.T) {
	assert.Equal(t, "split", Scenario{Name: "hello.split", File: "/l/testdata/hello.txtar"}.WireMode())
	assert.Equal(t, "", Scenario{Name: "hello", File: "/l/testdata/hello.txtar"}.WireMode())
	// A script whose own name has a dot is not a variant of anything.
	assert.Equal(t, "", Scenario{Name: "two.dots", File: "/l/testdata/two.dots.txtar"}.WireMode())
}
