package grade

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// A Failure is a failed scenario's transcript taken apart, so the runner
// can show each piece under its own heading and an autograder can quote
// the short reason.
type Failure struct {
	Line    int    // the script's line that failed, 0 if unknown
	Command string // the command on that line, as written in the script
	Reason  string // testscript's verdict, such as "stdout and want.txt differ"
	// Detail is what the failing command printed before the verdict: for
	// cmpnorm, the expected and the actual text with CR, tabs and NUL made
	// visible, and a diff; for exec, the program's output.
	Detail string
	// Programs are the background programs the scenario started, with how
	// each ended and its log, as testscript reported them.
	Programs []Program
	// Diagnosis says in plain words what went wrong with the processes,
	// if something did: a server that exited early, one that never became
	// ready, a scenario past its time limit. Empty when nothing did.
	Diagnosis string
	// Wire holds the timeline of each wire proxy the scenario ran through
	// (a variant such as hello.split, or a script's own proxy command):
	// every chunk that crossed it, each FIN and RST, how each connection
	// ended.
	Wire []Timeline
}

// A Timeline is one wire proxy's record of the conversation.
type Timeline struct {
	Title string // such as "the wire (split), between the clients at ... and the server at ..."
	Lines string
}

// A Program is one background program of a scenario.
type Program struct {
	Command string // how it was started, such as "server -addr 127.0.0.1:0"
	Ended   string // how it ended, such as "exit status 1" or "signal: killed"
	Log     string // what it wrote to stderr (and stdout, if anything)
}

// verdict matches testscript's last line: FAIL: testdata/x.txtar:12: reason
var verdict = regexp.MustCompile(`^FAIL: (.+?):(\d+): (.*)$`)

// background matches testscript's report of a background program:
// [background] server -addr 127.0.0.1:0: exit status 1
var background = regexp.MustCompile(`^\[background\] (.*?): (exit status -?\d+|signal: [\w ]+|<nil>)$`)

// parseFailure takes apart the transcript of a failed scenario read from
// file.
func parseFailure(log, file string) *Failure {
	f := &Failure{}
	lines := strings.Split(log, "\n")
	failAt := -1
	for i, line := range lines {
		if m := verdict.FindStringSubmatch(line); m != nil {
			failAt = i
			f.Line, _ = strconv.Atoi(m[2])
			f.Reason = m[3]
		}
	}
	if failAt < 0 {
		f.Reason = "the scenario failed (see its transcript)"
		return f
	}
	// The failing command is the last "> " line before the verdict; what
	// it printed lies between the two.
	cmdAt := -1
	for i := failAt - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "> ") {
			cmdAt = i
			break
		}
	}
	if cmdAt >= 0 {
		f.Command = strings.TrimPrefix(lines[cmdAt], "> ")
		f.Detail = strings.TrimRight(strings.Join(lines[cmdAt+1:failAt], "\n"), "\n ")
	}
	if text := scriptLine(file, f.Line); text != "" {
		f.Command = text // as written, before $VARS were expanded
	}
	f.Programs = programs(lines, failAt)
	f.Wire = timelines(lines, failAt)
	f.Diagnosis = diagnose(f)
	return f
}

// timelines collects the wire proxies' timelines, which the scenario's
// harness logs after the verdict, each under a line "the wire (MODE), ...:"
// and indented below it.
func timelines(lines []string, failAt int) []Timeline {
	var out []Timeline
	for i := failAt + 1; i < len(lines); i++ {
		title, ok := strings.CutSuffix(lines[i], ":")
		if !ok || !strings.HasPrefix(title, wireTitle) {
			continue
		}
		var body []string
		for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    ") {
			i++
			body = append(body, strings.TrimPrefix(lines[i], "    "))
		}
		out = append(out, Timeline{Title: title, Lines: strings.Join(body, "\n")})
	}
	return out
}

// wireTitle starts the line above a wire proxy's timeline in a transcript
// (internal/scenario/wire.go writes it).
const wireTitle = "the wire ("

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

// programs collects the background programs' logs: those a `wait` showed
// before the failure, and those testscript stopped after it.
func programs(lines []string, failAt int) []Program {
	var progs []Program
	for i := 0; i < len(lines); i++ {
		var p Program
		switch {
		case i < failAt && strings.HasPrefix(lines[i], "> wait "):
			p = Program{Command: strings.TrimPrefix(lines[i], "> wait "), Ended: "waited for"}
		case i > failAt && background.MatchString(lines[i]):
			m := background.FindStringSubmatch(lines[i])
			p = Program{Command: m[1], Ended: m[2]}
		default:
			continue
		}
		var log []string
		for i+1 < len(lines) && (lines[i+1] == "[stdout]" || lines[i+1] == "[stderr]") {
			i++
			for i+1 < len(lines) && !startsEntry(lines[i+1]) {
				i++
				log = append(log, lines[i])
			}
		}
		p.Log = strings.TrimRight(strings.Join(log, "\n"), "\n")
		if p.Ended == "waited for" && p.Log == "" {
			continue
		}
		progs = append(progs, p)
	}
	return progs
}

// startsEntry reports whether a transcript line is one testscript wrote,
// or the title of a wire proxy's timeline.
func startsEntry(line string) bool {
	for _, p := range []string{"> ", "[stdout]", "[stderr]", "[background]", "[exit status", "[signal", "FAIL:", wireTitle} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// diagnose puts what happened to the processes into plain words.
func diagnose(f *Failure) string {
	first := func() Program {
		for _, p := range f.Programs {
			if p.Ended != "waited for" {
				return p
			}
		}
		return Program{}
	}
	switch {
	case strings.Contains(f.Reason, "exited before it wrote its address"):
		p := first()
		return withLog(fmt.Sprintf("The server exited (%s) before it was ready, so no client could connect. It was started as: %s.", orUnknown(p.Ended), p.Command), p.Log)
	case strings.Contains(f.Reason, "time limit"), strings.Contains(f.Reason, "timed out"), strings.Contains(f.Detail, "context deadline exceeded"):
		var stopped []string
		for _, p := range f.Programs {
			if p.Ended != "waited for" {
				stopped = append(stopped, fmt.Sprintf("%s (%s)", p.Command, p.Ended))
			}
		}
		msg := "The scenario ran past its time limit, so it was stopped."
		if len(stopped) > 0 {
			msg += " These programs were still running and were stopped, killed if they would not stop: " + strings.Join(stopped, ", ") + "."
		}
		return msg + " Nothing it started is left running."
	case strings.Contains(f.Reason, "never became ready"):
		return withLog("The server never became ready: it did not write its address file in time. Does it write the -addrfile once it listens?", first().Log)
	}
	// A program that ended badly while the scenario still needed it: not
	// "signal: interrupt", which is testscript stopping it after a failure.
	for _, p := range f.Programs {
		if p.Ended != "waited for" && p.Ended != "exit status 0" && p.Ended != "signal: interrupt" && p.Ended != "<nil>" {
			return withLog(fmt.Sprintf("%s ended with %s while the scenario still needed it.", p.Command, p.Ended), p.Log)
		}
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "status unknown"
	}
	return s
}

// withLog adds to msg what the program logged, if it logged nothing: the
// log itself is in the Failure's Programs.
func withLog(msg, log string) string {
	if log == "" {
		return msg + " It logged nothing."
	}
	return msg
}

// readmeRef finds `README: "Section"` in a scenario's comment.
var readmeRef = regexp.MustCompile(`README: "([^"]+)"`)

// ReadmeSection returns the README section a scenario's comment points
// to, or "".
func ReadmeSection(comment string) string {
	if m := readmeRef.FindStringSubmatch(comment); m != nil {
		return m[1]
	}
	return ""
}
