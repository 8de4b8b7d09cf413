package docs

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/socketbook/socketbook/internal/grade"
	"github.com/socketbook/socketbook/internal/scenario"
)

// A run is one checked console block being run, as a reader would run
// it: each command typed in a terminal of its own, with the servers the
// block starts, or its note names, left running in other terminals.
type run struct {
	c     *checker
	t     *testing.T
	block *Block
	plan  plan
	cmds  []*command
	logs  []*logBlock // text blocks below it that show a program's log
	dir   string      // the block's working folder
	addrs *addresses
	left  []*proc // programs left running, as in other terminals
	sh    *shell  // the one shell of a block that keeps state in it
}

// A logBlock is a text block whose note says it shows a program's log.
type logBlock struct {
	block *Block
	of    string // the program's name: server, wiretap
}

// A proc is one command running in a terminal of its own.
type proc struct {
	shown  string // the command as the block shows it
	name   string // the program it runs, as "log of" names it
	cmd    *exec.Cmd
	out    *output
	status error  // how it ended, once out is done
	listen string // the shown port it listens on, if it is a server
	// logFrom is how many of its first lines the block compared: what
	// comes after them is its log.
	logFrom int
}

// A shell is the one bash that runs a block whose commands keep state
// (exec 3<>/dev/tcp/...), one command after another.
type shell struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *output
	used int // how much of out the commands before have printed
}

var (
	// listening finds the line every server prints once it accepts
	// connections, and its address.
	listening = regexp.MustCompile(`(?m)^listening on (\S+?)(?:,|\s)`)
	// keepsState finds a command that changes the shell itself.
	keepsState = regexp.MustCompile(`(?:^|[;&|]\s*)exec\s`)
	// addrFlag finds the -addr flag of a command, and its value.
	addrFlag = regexp.MustCompile(`(?:^|\s)--?addr(?:=|\s+)('[^']*'|"[^"]*"|[^\s'"]+)`)
	// mark ends each command's output in a shell: \x1e STATUS \x1e.
	mark = regexp.MustCompile("\x1e([0-9]+)\x1e")
)

// do runs the block's commands one after another, each compared with
// what the block shows under it, then the logs shown below it, and stops
// the programs left running as Ctrl-C would.
func (r *run) do() {
	defer r.stopAll()
	inShell := false
	for _, c := range r.cmds {
		inShell = inShell || keepsState.MatchString(c.text)
	}
	for _, c := range r.cmds {
		for _, w := range r.plan.with {
			if w.before == c.n && !r.startWith(c, w.command) {
				return
			}
		}
		ok := false
		if inShell {
			ok = r.inShell(c)
		} else {
			ok = r.inTerminal(c)
		}
		if !ok {
			return
		}
	}
	for _, l := range r.logs {
		if !r.checkLog(l) {
			return
		}
	}
}

// startWith starts a program the note says is running in another
// terminal, and waits until it listens.
func (r *run) startWith(c *command, text string) bool {
	p, err := r.start(text, nil)
	if err != nil {
		r.fail(c.line, text, err.Error(), "")
		return false
	}
	out, done, ok := p.out.waitUntil(r.deadline(), func(text string, done bool) bool {
		return done || listening.MatchString(text)
	})
	if done || !ok {
		kill(p.cmd)
		why := "it exited before it printed \"listening on ADDR\""
		if !done {
			why = fmt.Sprintf("it did not print \"listening on ADDR\" within %v", r.c.limit)
		}
		r.fail(r.block.Note.Line, text, "the program the note starts before command "+fmt.Sprint(c.n)+" did not start: "+why, "what it printed:\n"+scenario.Visible(r.addrs.toShown(out)))
		return false
	}
	r.ready(p, out, 0)
	return true
}

// ready records p as a program left running once it listens.
func (r *run) ready(p *proc, out string, shown int) {
	m := listening.FindStringSubmatchIndex(out)
	r.addrs.learn(p.listen, out[m[2]:m[3]])
	p.logFrom = max(shown, strings.Count(out[:m[0]], "\n")+1)
	r.left = append(r.left, p)
}

// inTerminal runs one command in a terminal of its own and compares what
// it printed: all of it once it exits; for a server, which keeps running,
// the lines shown under it; for a command the reader stops with Ctrl-C,
// all it printed once the lines shown have come, and it is stopped.
func (r *run) inTerminal(c *command) bool {
	p, err := r.start(c.text, c.typed)
	if err != nil {
		r.fail(c.line, c.text, err.Error(), "")
		return false
	}
	want := trimBlank(c.want)
	ctrlC := r.plan.ctrlC == c.n || (r.plan.ctrlC == -1 && c.n == len(r.cmds))
	text, done, ok := p.out.waitUntil(r.deadline(), func(text string, done bool) bool {
		enough := complete(text) >= len(want)
		return done || (enough && (ctrlC || listening.MatchString(text)))
	})
	switch {
	case !ok:
		kill(p.cmd)
		r.fail(c.line, c.text, fmt.Sprintf("still running after %v: a command the reader runs here ends by itself", r.c.limit),
			"what it printed:\n"+scenario.Visible(r.addrs.toShown(text))+
				"\n(A server must print \"listening on ADDR\" once it is ready; a command the reader stops with Ctrl-C says so in the note: ctrl-c.)")
		return false
	case done:
		return r.compare(c, lines(text))
	case listening.MatchString(text) && !ctrlC:
		r.ready(p, text, len(want))
		got := lines(text)
		return r.compare(c, got[:min(len(got), len(want))])
	}
	interrupt(p.cmd)
	text, done, _ = p.out.waitUntil(r.deadline(), func(_ string, done bool) bool { return done })
	if !done {
		kill(p.cmd)
		r.fail(c.line, c.text, fmt.Sprintf("did not stop within %v of Ctrl-C", r.c.limit), "")
		return false
	}
	return r.compare(c, lines(text))
}

// start runs a command, as shown, in a terminal of its own, with the
// lines typed into it (none: its input is empty).
func (r *run) start(shown string, typed []string) (*proc, error) {
	real, listen, err := r.mapCommand(shown)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(strings.TrimSpace(real), "&") {
		return nil, fmt.Errorf("a command left running with & cannot be waited for: show it as a server in a terminal of its own")
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", r.c.prelude+real)
	cmd.Dir = r.dir
	if len(typed) > 0 {
		cmd.Stdin = strings.NewReader(strings.Join(typed, "\n") + "\n")
	}
	p := &proc{shown: shown, name: programName(shown), cmd: cmd, out: newOutput(), listen: listen}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	ownGroup(cmd)
	// A program a command left behind may keep the output open; its
	// end is then not worth waiting for.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.status = cmd.Wait()
		p.out.finish()
	}()
	return p, nil
}

// inShell runs one command in the block's shell, after the commands
// before it, and compares what it printed.
func (r *run) inShell(c *command) bool {
	if r.sh == nil {
		if err := r.startShell(); err != nil {
			r.fail(c.line, c.text, err.Error(), "")
			return false
		}
	}
	real, _, err := r.mapCommand(c.text)
	if err != nil {
		r.fail(c.line, c.text, err.Error(), "")
		return false
	}
	stdin := os.DevNull
	if len(c.typed) > 0 {
		stdin = filepath.Join(r.dir, fmt.Sprintf("typed-%d", c.n))
		if err := os.WriteFile(stdin, []byte(strings.Join(c.typed, "\n")+"\n"), 0o644); err != nil {
			r.fail(c.line, c.text, err.Error(), "")
			return false
		}
	}
	// The command's own redirections win over the group's.
	fmt.Fprintf(r.sh.in, "{ %s\n} < %s\nprintf '\\036%%d\\036' \"$?\"\n", real, quote(stdin))
	text, _, ok := r.sh.out.waitUntil(r.deadline(), func(text string, done bool) bool {
		return done || mark.MatchString(text[r.sh.used:])
	})
	m := mark.FindStringIndex(text[r.sh.used:])
	if !ok || m == nil {
		kill(r.sh.cmd)
		r.fail(c.line, c.text, fmt.Sprintf("did not end within %v", r.c.limit), "what it printed:\n"+scenario.Visible(r.addrs.toShown(text[r.sh.used:])))
		return false
	}
	got := text[r.sh.used : r.sh.used+m[0]]
	r.sh.used += m[1]
	return r.compare(c, lines(got))
}

// startShell starts the bash that runs a block's commands in turn.
func (r *run) startShell() error {
	cmd := exec.Command("bash", "--noprofile", "--norc")
	cmd.Dir = r.dir
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	r.sh = &shell{cmd: cmd, in: in, out: newOutput()}
	cmd.Stdout, cmd.Stderr = r.sh.out, r.sh.out
	ownGroup(cmd)
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		_ = cmd.Wait() // the shell's end shows in its output, which finish closes
		r.sh.out.finish()
	}()
	_, err = io.WriteString(in, r.c.prelude)
	return err
}

// mapCommand turns a command as shown into the one to run: each go run
// of a program that talks to a default address gets it as -addr, and the
// shown ports and paths become the real ones. listen is the shown port of
// the server the command starts, if it starts one.
func (r *run) mapCommand(shown string) (real, listen string, err error) {
	text := shown
	runs := goRun.FindAllStringSubmatchIndex(text, -1)
	for i := len(runs) - 1; i >= 0; i-- {
		m := runs[i]
		p := r.c.progs[strings.TrimSuffix(text[m[2]:m[3]], "/")]
		if p == nil {
			continue // the shell's go says what is wrong
		}
		value := p.Addr
		if a := addrFlag.FindStringSubmatch(text[m[1]:argsEnd(text, m[1])]); a != nil {
			value = strings.Trim(a[1], `'"`)
		} else if p.Addr != "" {
			text = text[:m[1]] + " -addr " + p.Addr + text[m[1]:]
		}
		if _, port, err := net.SplitHostPort(value); err == nil && p.Listens && len(runs) == 1 && port != "0" {
			listen = port
		}
	}
	real, err = r.addrs.toReal(text, listen)
	return real, listen, err
}

// argsEnd is where the arguments that start at from end: at a shell
// operator or a comment.
func argsEnd(text string, from int) int {
	if i := strings.IndexAny(text[from:], "|;&<>#"); i >= 0 {
		return from + i
	}
	return len(text)
}

// programName is the name "log of" knows a command's program by: the
// folder of the package it runs, or the command's first word.
func programName(text string) string {
	if m := goRun.FindStringSubmatch(text); m != nil {
		return filepath.Base(m[1])
	}
	word, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	return word
}

// checkLog compares a program's log, what it printed after its first
// lines while the block ran, with the text block that shows it.
func (r *run) checkLog(l *logBlock) bool {
	var p *proc
	for _, q := range r.left {
		if q.name == l.of && p == nil {
			p = q
		}
	}
	if p == nil {
		r.fail(l.block.Line, "", fmt.Sprintf("log of %s: the block above leaves no program called %s running", l.of, l.of), "")
		return false
	}
	want := trimBlank(l.block.Body)
	text, _, _ := p.out.waitUntil(r.deadline(), func(text string, done bool) bool {
		return done || complete(text)-p.logFrom >= len(want)
	})
	got := lines(text)
	got = got[min(p.logFrom, len(got)):]
	return r.same(l.block.Line, "log of "+p.shown, l.block.Line+1, l.block.Line+len(l.block.Body), want, got, trimBlank(l.block.Body), false)
}

// compare checks what a command printed against what the block shows.
func (r *run) compare(c *command, got []string) bool {
	return r.same(c.line, c.text, c.line+1, c.line+len(c.shown), trimBlank(c.want), got, c.shown, len(c.typed) > 0)
}

// same compares want, the lines the block shows, with got, what came,
// once both are normalised. In update mode a difference rewrites lines
// from to to of the file (the shown lines, typed ones and blank ones at
// the end included) rather than failing, unless typed lines are mixed in.
func (r *run) same(line int, what string, from, to int, want, got, shown []string, typed bool) bool {
	got = trimBlank(lines(r.addrs.toShown(strings.Join(got, "\n"))))
	for i, l := range got {
		got[i] = strings.TrimSuffix(l, "\r") // a terminal shows no CR before a newline
	}
	if r.addrs.matches(want, got) {
		return true
	}
	if r.c.update && !typed {
		// A line that differs only in what is normalised stays as the
		// block shows it, so a rewrite changes only what changed.
		for i := range min(len(want), len(got)) {
			if r.addrs.normalise(want[i]) == r.addrs.normalise(got[i]) {
				got[i] = want[i]
			}
		}
		blank := len(shown) - len(trimBlank(shown))
		r.c.edit(r.block.File, edit{from: from, to: to, lines: append(got, make([]string, blank)...), indent: r.block.Indent,
			what: fmt.Sprintf("%s:%d: what `%s` printed", r.block.File, line, what)})
		return true
	}
	w, g := joinLines(want), joinLines(got)
	detail := fmt.Sprintf("shown (%s:%d):\n%sprinted:\n%sdiff (- shown, + printed, both normalised):\n%s",
		r.block.File, from, scenario.Visible(w), scenario.Visible(g),
		diff.Diff("shown", []byte(r.addrs.normalise(w)), "printed", []byte(r.addrs.normalise(g))))
	if typed {
		detail += "\n(The block has typed lines, so go test -update cannot rewrite it: edit it by hand.)"
	}
	r.fail(line, what, "what it printed differs from what the block shows", detail)
	return false
}

// joinLines puts lines back together, each ending in a newline.
func joinLines(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return strings.Join(list, "\n") + "\n"
}

// fail reports the block's failure at the given line of the file, with
// the programs left running and their logs.
func (r *run) fail(line int, command, reason, detail string) {
	f := &grade.Failure{File: r.block.File, Line: line, Command: command, Reason: reason, Detail: detail}
	for _, p := range r.left {
		text, _ := p.out.text()
		f.Programs = append(f.Programs, grade.Program{Command: p.shown, Ended: "left running", Log: r.addrs.toShown(text)})
	}
	if ports := r.addrs.shownPorts(); ports != "" {
		f.Diagnosis = "Ports shown → used: " + ports + "."
	}
	r.t.Error("\n" + f.Text())
}

// stopAll stops every program left running with Ctrl-C, the last started
// first, and checks that each stops cleanly, as the workbook's servers
// promise; then it ends the block's shell, and anything it left.
func (r *run) stopAll() {
	for i := len(r.left) - 1; i >= 0; i-- {
		p := r.left[i]
		interrupt(p.cmd)
		text, done, _ := p.out.waitUntil(r.deadline(), func(_ string, done bool) bool { return done })
		if !done {
			kill(p.cmd)
			r.fail(r.block.Line, p.shown, fmt.Sprintf("did not stop within %v of Ctrl-C", r.c.limit), "")
			continue
		}
		if p.status != nil && !r.t.Failed() {
			r.fail(r.block.Line, p.shown, fmt.Sprintf("stopped with Ctrl-C, it ended with %v, not exit status 0", p.status),
				"what it printed:\n"+scenario.Visible(r.addrs.toShown(text)))
		}
	}
	if r.sh != nil {
		r.sh.in.Close()
		r.sh.out.waitUntil(r.deadline(), func(_ string, done bool) bool { return done })
		kill(r.sh.cmd)
	}
}

func (r *run) deadline() time.Time {
	return time.Now().Add(r.c.limit)
}
