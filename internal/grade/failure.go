package grade

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A Failure is what the scenario harness (internal/scenario) recorded about
// a failed scenario, as data: the step that failed, what it expected and
// what came, what the programs did, what crossed the wire. The harness
// writes it next to the test's output; the runner, the reports and the
// workbook's test only format it.
type Failure struct {
	File    string // the script, such as lessons/01-echo/testdata/hello.txtar
	Line    int    // the script's line that failed, 0 if unknown
	Command string // that line, as written in the script
	Reason  string // in one line, such as "stdout and hello.txt differ"
	// Hang is set when the scenario ran out of time: what it was waiting
	// for, such as "client to exit".
	Hang string `json:",omitempty"`
	// Detail is what the step saw: for a comparison, the expected and the
	// actual text with CR, tabs and NUL made visible, and a diff; for
	// binary data, the sizes and a hex window where they first differ.
	Detail string `json:",omitempty"`
	// Diagnosis says in plain words what went wrong with the programs, if
	// something did: a server that exited early, one that never became
	// ready. Empty when nothing did.
	Diagnosis string `json:",omitempty"`
	// Race is the race detector's report, when a program raced: the two
	// accesses first, then the report itself.
	Race string `json:",omitempty"`
	// Programs are the programs the scenario ran, with how each ended and
	// the end of its log.
	Programs []Program `json:",omitempty"`
	// Wire holds the timeline of each wire proxy the scenario ran through
	// (a variant such as hello.split, or a script's own proxy command).
	Wire []Timeline `json:",omitempty"`
	// Saved lists files that hold what was too big to show: the whole
	// transcript, a program's output.
	Saved []string `json:",omitempty"`
}

// A Timeline is one wire proxy's record of the conversation.
type Timeline struct {
	Title string // such as "the wire (split), between the clients at ... and the server at ..."
	Lines string
}

// A Program is one program of a scenario.
type Program struct {
	Command string // how it was started, such as "server -addr 127.0.0.1:0"
	Ended   string // how it ended, such as "exit status 1" or "signal: killed"
	Log     string // the end of what it wrote to stderr and stdout
	// LastDid says where its goroutines were when it was stopped for
	// hanging, from the stack dump a Go program prints on SIGQUIT.
	LastDid string `json:",omitempty"`
}

// Where is the failure's location as editors and terminals link it:
// path/to/file.txtar:12.
func (f *Failure) Where() string {
	if f.Line > 0 {
		return f.File + ":" + strconv.Itoa(f.Line)
	}
	return f.File
}

// Limits on a failure's text: a screen or two, whatever went wrong.
const (
	maxLines     = 200
	maxBytes     = 20 << 10
	maxLogLines  = 15
	maxWireLines = 20
)

// Text is the failure as people read it: the step and why it failed
// first, then what the programs did, then where the rest is kept. It is
// never longer than maxLines lines or maxBytes bytes.
func (f *Failure) Text() string {
	var b strings.Builder
	head := f.Reason
	if f.Command != "" {
		head = fmt.Sprintf("%s: `%s`: %s", f.Where(), f.Command, f.Reason)
	} else if f.File != "" {
		head = f.Where() + ": " + f.Reason
	}
	b.WriteString(head + "\n")
	if f.Hang != "" {
		fmt.Fprintf(&b, "\nHang: the scenario was waiting for %s when its time ran out.\n", f.Hang)
	}
	if f.Race != "" {
		b.WriteString("\n" + f.Race + "\n")
	}
	if f.Detail != "" {
		b.WriteString("\n" + strings.TrimRight(f.Detail, "\n") + "\n")
	}
	if f.Diagnosis != "" {
		b.WriteString("\n" + f.Diagnosis + "\n")
	}
	for _, p := range f.Programs {
		if p.Log == "" && p.LastDid == "" {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%s)", p.Command, p.Ended)
		if p.LastDid != "" {
			b.WriteString(", last seen:\n" + Indent(p.LastDid, "    ") + "\n")
			if p.Log == "" {
				continue
			}
			b.WriteString("its log")
		}
		b.WriteString(":\n" + Indent(LastLines(p.Log, maxLogLines), "    ") + "\n")
	}
	for _, w := range f.Wire {
		fmt.Fprintf(&b, "\n%s:\n%s\n", w.Title, Indent(LastLines(w.Lines, maxWireLines), "    "))
	}
	if len(f.Saved) > 0 {
		b.WriteString("\nKept for you to look at: " + strings.Join(f.Saved, ", ") + "\n")
	}
	return Bound(b.String(), maxLines, maxBytes)
}

// Bound cuts s to at most lines lines and size bytes, saying what it cut.
func Bound(s string, lines, size int) string {
	all := strings.SplitAfter(s, "\n")
	kept, n := 0, 0
	for kept < len(all) && kept < lines && n+len(all[kept]) <= size {
		n += len(all[kept])
		kept++
	}
	if kept == len(all) {
		return s
	}
	rest := len(s) - n
	return strings.Join(all[:kept], "") + fmt.Sprintf("… %d more bytes not shown\n", rest)
}

// LastLines returns the last n lines of s, saying how many it left out.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return fmt.Sprintf("… %d earlier lines\n", len(lines)-n) + strings.Join(lines[len(lines)-n:], "\n")
}

// Indent puts by before every line of s that is not empty.
func Indent(s, by string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if line != "" {
			lines[i] = by + line
		}
	}
	return strings.Join(lines, "\n")
}

// The harness writes each failure to the folder that ResultsEnv names,
// one file per scenario, for grade.Run to read.
const ResultsEnv = "SOCKETBOOK_RESULTS"

// WriteFailure writes a scenario's failure to dir, under the name of its
// test (such as TestScenarios/hello).
func WriteFailure(dir, test string, f *Failure) error {
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return os.WriteFile(failureFile(dir, test), data, 0o666)
}

func failureFile(dir, test string) string {
	return filepath.Join(dir, strings.ReplaceAll(test, "/", "%")+".json")
}

// readFailure reads what the harness wrote about a test, or nil.
func readFailure(dir, test string) *Failure {
	data, err := os.ReadFile(failureFile(dir, test))
	if err != nil {
		return nil
	}
	var f Failure
	if json.Unmarshal(data, &f) != nil {
		return nil
	}
	return &f
}

// Controls spells out CR, tab, NUL and the other control bytes, and the
// replacement character of bytes that are not UTF-8, keeping newlines: in
// a log or on the wire "stopped\r" and "stopped" differ, so the reader
// must see it.
func Controls(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0xfffd:
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
