// Runner checks the workbook: it runs each lesson's scenarios in lesson
// order, prints a line per scenario, and stops at the first lesson that
// fails, showing what that scenario expected, what came, and where in the
// lesson's README to read.
//
//	go run ./tools/runner          every lesson, from the repository's root
//	go run ./tools/runner 01       one lesson, by number or name
//	go run github.com/socketbook/socketbook/tools/runner   from any folder
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

const usage = `usage: go run ./tools/runner [-race] [LESSON ...]

Runs the lessons' scenarios in order and stops at the first lesson that
fails. A LESSON is a number (01, 1) or a name (echo, 01-echo).

`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "runner:", err)
		}
		os.Exit(1)
	}
}

// errFailed means a scenario failed; the report has said so already.
var errFailed = errors.New("a scenario failed")

func run(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("runner", flag.ContinueOnError)
	race := flags.Bool("race", false, "run the lessons under the race detector (slower)")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	flags.SetOutput(io.Discard)
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		flags.SetOutput(out)
		flags.Usage()
		return nil
	} else if err != nil {
		return fmt.Errorf("%v (see -h)", err)
	}

	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := grade.Root(wd)
	if err != nil {
		return err
	}
	all, err := grade.Lessons(root)
	if err != nil {
		return err
	}
	lessons, err := grade.Select(all, flags.Args())
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var total tally
	for i, l := range lessons {
		fmt.Fprintf(out, "%s\n", l.Name)
		rep, err := grade.Run(ctx, l, grade.Options{Race: *race}, func(s grade.Scenario) {
			fmt.Fprintf(out, "  %s %s\n", mark[s.Status], s.Name)
		})
		if err != nil {
			return err
		}
		var t tally
		for _, s := range rep.Scenarios {
			t.add(s.Status)
		}
		total.passed, total.failed, total.skipped = total.passed+t.passed, total.failed+t.failed, total.skipped+t.skipped
		fmt.Fprintf(out, "  %s\n\n", t)
		if !rep.Passed() {
			explain(out, rep)
			if rest := lessons[i+1:]; len(rest) > 0 {
				fmt.Fprintf(out, "Stopped at %s; not run: %s.\n", l.Name, grade.Names(rest))
			}
			fmt.Fprintf(out, "workbook: %s\n", total)
			return errFailed
		}
	}
	fmt.Fprintf(out, "workbook: %s\n", total)
	return nil
}

var mark = map[grade.Status]string{grade.Pass: "PASS", grade.Fail: "FAIL", grade.Skip: "SKIP"}

// tally counts scenarios by how they ended.
type tally struct{ passed, failed, skipped int }

func (t *tally) add(s grade.Status) {
	switch s {
	case grade.Pass:
		t.passed++
	case grade.Fail:
		t.failed++
	case grade.Skip:
		t.skipped++
	}
}

func (t tally) String() string {
	s := fmt.Sprintf("%d passed, %d failed", t.passed, t.failed)
	if t.skipped > 0 {
		s += fmt.Sprintf(", %d skipped", t.skipped)
	}
	return s
}

// explain shows, for each failed scenario, what it is about, its
// transcript (which ends with the expected and actual output and a diff),
// and where to read.
func explain(out io.Writer, rep grade.Report) {
	if rep.Problem != "" {
		fmt.Fprintf(out, "%s could not run its scenarios:\n\n%s\n\n", rep.Lesson.Name, indent(rep.Problem))
		return
	}
	for _, s := range rep.Scenarios {
		if s.Status != grade.Fail {
			continue
		}
		fmt.Fprintf(out, "FAIL %s/%s\n\n", s.Lesson, s.Name)
		if s.Comment != "" {
			fmt.Fprintf(out, "What it checks:\n%s\n\n", indent(s.Comment))
		}
		fmt.Fprintf(out, "What happened:\n%s\n\n", indent(s.Log))
		fmt.Fprintf(out, "Scenario: lessons/%s/testdata/%s.txtar\n", s.Lesson, s.Name)
		if section := readmeSection(s.Comment); section != "" {
			fmt.Fprintf(out, "Read: lessons/%s/README.md, section %q\n", s.Lesson, section)
		}
		fmt.Fprintf(out, "Rerun it: cd lessons/%s && go test -run 'TestScenarios/^%s$'\n\n", s.Lesson, s.Name)
	}
}

// readmeRef finds `README: "Section"` in a scenario's comment.
var readmeRef = regexp.MustCompile(`README: "([^"]+)"`)

func readmeSection(comment string) string {
	if m := readmeRef.FindStringSubmatch(comment); m != nil {
		return m[1]
	}
	return ""
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
