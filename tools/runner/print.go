package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// printer writes what the student sees.
type printer struct {
	out     io.Writer
	color   bool
	root    string // the workbook's root, to print paths from it
	verbose bool   // show whole transcripts too
}

// ANSI colours, used only when the printer's color is on.
const (
	red    = "\033[31m"
	green  = "\033[32m"
	yellow = "\033[33m"
	bold   = "\033[1m"
	reset  = "\033[0m"
)

func (p *printer) paint(color, s string) string {
	if !p.color {
		return s
	}
	return color + s + reset
}

var marks = map[grade.Status]struct{ text, color string }{
	grade.Pass: {"PASS", green},
	grade.Fail: {"FAIL", red},
	grade.Skip: {"SKIP", yellow},
}

func (p *printer) mark(s grade.Status) string {
	m := marks[s]
	return p.paint(m.color, m.text)
}

// rel returns path relative to the workbook's root, with forward slashes.
func (p *printer) rel(path string) string {
	if r, err := filepath.Rel(p.root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

func (p *printer) lessonStart(l grade.Lesson, n, of, scenarios int) {
	what := fmt.Sprintf("lesson %d of %d", n, of)
	if scenarios > 0 {
		what += fmt.Sprintf(", %d scenarios", scenarios)
	}
	fmt.Fprintf(p.out, "%s  (%s)\n", p.paint(bold, l.Name), what)
}

func (p *printer) scenario(s grade.Scenario, done, total int) {
	count := strconv.Itoa(done)
	if total >= done {
		count += "/" + strconv.Itoa(total)
	}
	fmt.Fprintf(p.out, "  %5s  %s  %s\n", count, p.mark(s.Status), s.Name)
}

func (p *printer) lessonEnd(rep grade.Report, t tally) {
	if rep.Problem != "" {
		if !strings.Contains(rep.Problem, "\n") {
			fmt.Fprintf(p.out, "  %s %s\n\n", p.paint(red, "cannot run:"), rep.Problem)
			return
		}
		fmt.Fprintf(p.out, "  %s\n%s\n\n", p.paint(red, "cannot run:"), indent(rep.Problem, "    "))
		return
	}
	fmt.Fprintf(p.out, "  %s\n\n", t)
}

func (t tally) String() string {
	s := fmt.Sprintf("%d passed, %d failed", t.passed, t.failed)
	if t.skipped > 0 {
		s += fmt.Sprintf(", %d skipped", t.skipped)
	}
	return s
}

// explain shows, for each failed scenario, what it checks, the command
// that failed and why (expected and actual text, and the diff), what the
// processes did, the server's log, and where to read.
// notWritten greets a lesson of a starter edition with what is left to
// write, one line a piece, and what the written pieces scored.
func (p *printer) notWritten(rep grade.Report) {
	dir := p.rel(rep.Lesson.Dir)
	for _, piece := range rep.NotWritten {
		fmt.Fprintf(p.out, "  %s is not written yet: see %q in %s/README.md (%s/%s:%d)\n",
			capitalise(piece.What), piece.Section, dir, dir, piece.File, piece.Line)
	}
	if rep.Stubbed {
		fmt.Fprintf(p.out, "  Write them, then run this again; %s/TODO.md lists them all.\n\n", dir)
		return
	}
	var t tally
	t.addReport(rep)
	fmt.Fprintf(p.out, "  with what you have written so far: %s\n\n", t)
}

func (p *printer) explain(rep grade.Report, rerun func(dir string, s grade.Scenario) string) {
	dir := p.rel(rep.Lesson.Dir)
	shown := 0
	var more []grade.Scenario
	for _, s := range rep.Scenarios {
		if s.Status != grade.Fail {
			continue
		}
		// A broken program often fails most scenarios for one reason:
		// the first few in full, then one line each, keep it to a screen.
		if shown == explained && !p.verbose {
			more = append(more, s)
			continue
		}
		shown++
		f := s.Failure
		if f == nil {
			f = &grade.Failure{}
		}
		fmt.Fprintf(p.out, "%s %s/%s\n\n", p.paint(red+bold, "FAIL"), s.Lesson, s.Name)
		if story := (grade.Header{Comment: s.Comment}).Story(); story != "" {
			p.section("What it checks", story)
		}
		where := p.rel(f.File)
		if f.Line > 0 {
			where += ":" + strconv.Itoa(f.Line)
		}
		if mode := s.WireMode(); mode != "" {
			where += ", run through the wire proxy: " + mode
		}
		if f.Command != "" {
			p.section("The step that failed ("+where+")", f.Command+"\n"+f.Reason)
		} else {
			p.section("What failed ("+where+")", f.Reason)
		}
		if f.Hang != "" {
			p.section("A hang", "The scenario was waiting for "+f.Hang+" when its time ran out.")
		}
		if f.Race != "" {
			p.section("A data race", f.Race)
		}
		if f.Detail != "" {
			p.section("What it saw", f.Detail)
		}
		if f.Diagnosis != "" {
			p.section("What happened to the programs", f.Diagnosis)
		}
		for _, prog := range f.Programs {
			if prog.LastDid != "" {
				p.section("Where "+prog.Command+" was when it was stopped", prog.LastDid)
			}
			if prog.Log != "" {
				p.section("Log of "+prog.Command+" ("+prog.Ended+")", visible(grade.LastLines(prog.Log, 15)))
			}
		}
		for _, w := range f.Wire {
			p.section(capitalise(w.Title), visible(grade.LastLines(w.Lines, 20)))
		}
		if len(f.Saved) > 0 {
			p.section("Kept for you to look at", strings.Join(f.Saved, "\n"))
		}
		if p.verbose {
			p.section("The whole transcript", s.Log)
		}
		if s.Readme != "" {
			fmt.Fprintf(p.out, "%s %s/README.md, section %q\n", p.paint(bold, "Read:"), dir, s.Readme)
		}
		fmt.Fprintf(p.out, "Rerun it: %s\n\n", rerun(dir, s))
	}
	if len(more) > 0 {
		fmt.Fprintf(p.out, "%s (-v shows each in full):\n", p.paint(bold, fmt.Sprintf("%d more failed", len(more))))
		for _, s := range more {
			fmt.Fprintf(p.out, "  %s  %s\n", s.Name, oneLine(s.Failure))
		}
		fmt.Fprintln(p.out)
	}
}

// lessonRerun is the command that runs one of a lesson's scenarios alone.
func lessonRerun(dir string, s grade.Scenario) string {
	return fmt.Sprintf("cd %s && go test -run 'TestScenarios/^%s$' -v", dir, s.Name)
}

// explained is how many failed scenarios of a lesson are shown in full.
const explained = 3

// oneLine sums up a failure: where, and why.
func oneLine(f *grade.Failure) string {
	if f == nil {
		return "failed"
	}
	why := f.Reason
	if f.Hang != "" {
		why = "hang: waiting for " + f.Hang
	}
	if f.Race != "" {
		why = "data race"
	}
	return fmt.Sprintf("%s:%d: %s", f.File, f.Line, why)
}

func (p *printer) section(head, body string) {
	fmt.Fprintf(p.out, "%s:\n%s\n\n", p.paint(bold, head), indent(body, "    "))
}

func (p *printer) stopped(l grade.Lesson, rest []grade.Lesson) {
	fmt.Fprintf(p.out, "Stopped at %s (-k keeps going); not run: %s.\n", l.Name, grade.Names(rest))
}

func (p *printer) summary(t tally, ran, selected int, stopped string) {
	verdict := p.paint(green, "all passed")
	if t.failed > 0 || t.broken > 0 || ran < selected {
		verdict = p.paint(red, "not yet")
	}
	line := fmt.Sprintf("workbook: %s: %s; %d of %d lessons run", verdict, t, ran, selected)
	if t.broken > 0 {
		line += fmt.Sprintf(", %d could not run", t.broken)
	}
	fmt.Fprintln(p.out, line)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func indent(s, by string) string { return grade.Indent(s, by) }

// visible spells out CR, tabs, NUL and other control bytes in a log, so
// "stopped\r" does not look like "stopped".
func visible(s string) string { return grade.Controls(s) }
