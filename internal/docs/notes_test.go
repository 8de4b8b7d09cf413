package docs

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/socketbook/socketbook/internal/grade"
)

func TestNotesAreReadFromTheCommentAboveTheFence(t *testing.T) {
	text := "# T\n\n<!-- check: with go run ./x/server; typed hi -->\n```console\n$ nc -N 127.0.0.1 1234\nhi\nhi\n```\n\n" +
		"1. A list item:\n\n   <!-- not checked: needs a browser -->\n   ```console\n   $ firefox\n   ```\n\n" +
		"<!--\ncheck\nneeds nc\n-->\n```sh\nnc -h\n```\n\n" +
		"```text\nno note\n```\n"
	blocks, err := Parse("T.md", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line       int
		lang, kind string
		note       string
		body       []string
	}{
		{4, "console", Checked, "with go run ./x/server; typed hi", []string{"$ nc -N 127.0.0.1 1234", "hi", "hi"}},
		{13, "console", NotChecked, "needs a browser", []string{"$ firefox"}},
		{21, "sh", Checked, "needs nc", []string{"nc -h"}},
		{25, "text", "", "", []string{"no note"}},
	}
	if len(blocks) != len(want) {
		t.Fatalf("%d blocks, want %d", len(blocks), len(want))
	}
	for i, w := range want {
		b := blocks[i]
		kind, note := "", ""
		if b.Note != nil {
			kind, note = b.Note.Kind, b.Note.Text
		}
		if b.Line != w.line || b.Lang != w.lang || kind != w.kind || note != w.note || !slices.Equal(b.Body, w.body) {
			t.Errorf("block %d: line %d, %s, note %q %q, body %q; want line %d, %s, note %q %q, body %q",
				i, b.Line, b.Lang, kind, note, b.Body, w.line, w.lang, w.kind, w.note, w.body)
		}
	}
}

func TestACommentThatIsNoNoteIsAnError(t *testing.T) {
	_, err := Parse("T.md", "<!-- chek -->\n```console\n$ true\n```\n")
	if err == nil || !strings.Contains(err.Error(), "T.md:2:") {
		t.Errorf("a misspelt note gave %v, want an error at T.md:2", err)
	}
}

func TestTypedLinesGoToTheCommandTheyAreShownUnder(t *testing.T) {
	b := &Block{Lang: "console", Line: 10, Body: []string{"$ server", "$ nc 127.0.0.1 1234", "hi", "hi", "$ client", "done"}}
	p, err := readPlan("typed hi; ctrl-c 2")
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := commands(b, p)
	if err != nil {
		t.Fatal(err)
	}
	nc := cmds[1]
	if nc.line != 12 || !slices.Equal(nc.typed, []string{"hi"}) || !slices.Equal(nc.want, []string{"hi"}) || p.ctrlC != 2 {
		t.Errorf("nc: line %d, typed %q, wants %q, ctrl-c %d; want line 12, typed [hi], wants [hi], ctrl-c 2", nc.line, nc.typed, nc.want, p.ctrlC)
	}
	if _, err := commands(b, plan{typed: []string{"bye"}}); err == nil {
		t.Error("a typed line that is not shown was accepted")
	}
	if _, err := readPlan("wiht go run ./x"); err == nil {
		t.Error("an unknown clause was accepted")
	}
}

func TestWhatVariesIsNormalisedAndNothingElse(t *testing.T) {
	a := newAddresses("/tmp/sbdoc1")
	a.ports["1234"] = "41234"
	for _, c := range []struct{ in, want string }{
		{"listening on 127.0.0.1:41234", "listening on 127.0.0.1:1234"},
		{"127.0.0.1:58490 connected", "127.0.0.1:PORT connected"},
		{"Date: Sun, 22 Nov 2026 08:14:29 GMT", "Date: DATE"},
		{"#1   +0.306s  open: client 127.0.0.1:60484", "#1   +TIME  open: client 127.0.0.1:PORT"},
		{"/tmp/sbdoc1/echo.sock", "/tmp/sbdoc1/echo.sock"},
		{"sent 20 bytes in 1234ms", "sent 20 bytes in 1234ms"},
	} {
		if got := a.normalise(a.toShown(c.in)); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
	real, err := a.toReal("nc 127.0.0.1 1234; exec 3<>/dev/tcp/127.0.0.1/1234; client -addr 127.0.0.1:1234 -unix /tmp/echo.sock", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "nc 127.0.0.1 41234; exec 3<>/dev/tcp/127.0.0.1/41234; client -addr 127.0.0.1:41234 -unix /tmp/sbdoc1/echo.sock"; real != want {
		t.Errorf("toReal gave %q, want %q", real, want)
	}
}

func TestThreeDotsStandForAnyLines(t *testing.T) {
	a := newAddresses("")
	got := []string{"SO_REUSEADDR   off", "SO_KEEPALIVE   on", "TCP_KEEPIDLE   1m0s", "hello"}
	for _, c := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"SO_REUSEADDR   off", "...", "hello"}, true},
		{[]string{"SO_REUSEADDR   off", "..."}, true},
		{[]string{"...", "TCP_KEEPIDLE   1m0s", "hello"}, true},
		{[]string{"SO_REUSEADDR   off", "...", "bye"}, false},
		{[]string{"SO_REUSEADDR   off", "hello"}, false},
	} {
		if a.matches(c.want, got) != c.ok {
			t.Errorf("%q against %q: want %v", c.want, got, c.ok)
		}
	}
}

func TestLinksToASymbolLeadToTheFileThatDeclaresIt(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	// A text beside this package's files.
	readme := filepath.Join(root, "internal", "docs", "README.md")
	text := "[`quoteOf`](code.go) and [`checker.edit`](check.go) are right.\n" +
		"[`Parse`](code.go) is in markdown.go.\n" +
		"[`gone`](gone.go) leads nowhere.\n" +
		"[`code.go`](code.go) names the file.\n" +
		"[`Stretched`](../scenario/outside.go) leads nowhere either.\n"
	problems, fixable, fixed := checkLinks(readme, "README.md", text)
	want := []string{
		"README.md:3: the link to gone.go leads nowhere",
		"README.md:5: the link to ../scenario/outside.go leads nowhere",
	}
	if len(problems) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d", strings.Join(problems, "\n"), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i], w) {
			t.Errorf("problem %d: %s\nwant: %s", i, problems[i], w)
		}
	}
	if len(fixable) != 1 || !strings.HasPrefix(fixable[0], "README.md:2: [`Parse`](code.go): code.go declares no Parse; markdown.go does (go test -update leads the link there)") {
		t.Errorf("fixable: %q", fixable)
	}
	if want := "[`Parse`](markdown.go) is in markdown.go."; fixed[2] != want || len(fixed) != 1 {
		t.Errorf("fixed: %q\nwant line 2: %q", fixed, want)
	}
}

func TestCodeIsQuotedWithItsDocComment(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	src, file, err := quoteOf(root, "internal/docs Updated")
	if err != nil {
		t.Fatal(err)
	}
	if want := "// Updated starts each line the checker prints for something it rewrote.\nconst Updated = \"updated \""; filepath.Base(file) != "check.go" || src != want {
		t.Errorf("the quote of Updated, from %s:\n%s\nwant:\n%s", file, src, want)
	}
	if _, _, err := quoteOf(root, "internal/docs nosuch"); err == nil {
		t.Error("a symbol that does not exist was quoted")
	}
}

func TestNamesInCommandsMustExist(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	lessons, err := grade.Lessons(root)
	if err != nil {
		t.Fatal(err)
	}
	n := &names{root: root, lessons: lessons, here: filepath.Join("lessons", "01-echo")}
	for _, c := range []struct {
		command string
		wrong   string // what the problem names; "" for none
	}{
		{"cd lessons/01-echo && go test -v -run TestScenarios/sequential", ""},
		{"cd lessons/01-echo && go test -v -run TestScenarios/sequentail", "no scenario lessons/01-echo/testdata/sequentail.txtar"},
		{"cd lessons/01-echo && go test -run XXX -bench Echo -benchtime 2s -count 3 ./server", ""},
		{"cd lessons/01-echo && go test -run XXX -bench Ecko ./server", "no func BenchmarkEcko"},
		{"go run ./tools/runner -exercise 01/1", ""},
		{"go run ./tools/runner -exercise 01/3", "exercise 01/3 has no checks"},
		{"go run ./tools/runner -answer 01/1", "exercise 01/1 has no model answer"},
		{"go run ./tools/runner -exercise 01/99", "has no exercise 99"},
		{"go run ./tools/runner -k 02 07", "07"},
		{"go run ./lessons/01-echo/sever", "no package lessons/01-echo/sever"},
		{"SOCKETBOOK_EXERCISES=1-upper-case go test -run TestExercises -v .", ""}, // from the lesson's folder
		{"SOCKETBOOK_EXERCISES=1-lower-case go test -run TestExercises -v .", "no exercise folder"},
		{"go run ./lessons/01-echo/client hello # go run ./nowhere", ""},
	} {
		problems := strings.Join(n.command(c.command), "\n")
		switch {
		case c.wrong == "" && problems != "":
			t.Errorf("%s: %s", c.command, problems)
		case c.wrong != "" && !strings.Contains(problems, c.wrong):
			t.Errorf("%s: got %q, want a problem that says %q", c.command, problems, c.wrong)
		}
	}
	n.here = "."
	for _, c := range []struct {
		line  string
		wrong bool
	}{
		{"    memory_test.go:77: server's peak resident memory after streaming 1 GiB: 4.9 MiB (VmHWM)", false},
		{"    memory_test.go:79: server's peak resident memory after streaming 1 GiB: 4.9 MiB (VmHWM)", true},
		{"--- PASS: TestBigFileMemory (5.03s)", false},
	} {
		if got := n.logLine("cd lessons/04-http && go test -run TestBigFileMemory -v .", c.line); (len(got) > 0) != c.wrong {
			t.Errorf("%q: %q", c.line, got)
		}
	}
	text := "Check: `go run ./tools/runner\n-exercise 01/9`. And ```text\n```\n"
	if got := n.inline("R.md", text, nil); len(got) != 1 || !strings.HasPrefix(got[0], "R.md:1: `go run ./tools/runner -exercise 01/9`") {
		t.Errorf("a span across two lines: %q", got)
	}
}
