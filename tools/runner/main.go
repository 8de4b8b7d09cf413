// Runner checks the workbook: it runs each lesson's scenarios in lesson
// order, prints a line per scenario as it finishes, and stops at the first
// lesson that fails, showing what that scenario expected, what came, what
// the server did, and where in the lesson's README to read.
//
//	go run ./tools/runner              every lesson, from the repository's root
//	go run ./tools/runner 02           one lesson, by number or name
//	go run ./tools/runner -watch 02    run it again each time a file changes
//	go run ./tools/runner -list        every lesson and scenario, with its state
//	go run ./tools/runner -json report.json   points for an autograder
//	go run github.com/socketbook/socketbook/tools/runner   from any folder
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/socketbook/socketbook/internal/grade"
)

const usage = `usage: go run ./tools/runner [flags] [LESSON ...]

Runs the lessons' scenarios in order and stops at the first lesson that
fails. A LESSON is a number (02, 2) or a name (concurrent, 02-concurrent).

  go run ./tools/runner                  every lesson
  go run ./tools/runner -watch 02        lesson 02, again on every save
  go run ./tools/runner -k -json out.json   every lesson, points in out.json
  go run ./tools/runner -exercise 01/2   check exercise 2 of lesson 01
  go run ./tools/runner -list            every scenario and exercise, done or not
  go run ./tools/runner -answer 01/5     the model answer of an exploratory exercise

Exit status: 0 only when every selected scenario passes.
Colour: on a terminal only; set NO_COLOR=1 to turn it off.

`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wd, err := os.Getwd()
	if err == nil {
		err = run(ctx, os.Args[1:], env{
			out:   os.Stdout,
			dir:   wd,
			color: colorWanted(os.Stdout),
			state: defaultStateFile,
		})
	}
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "runner: interrupted; every program the run had started has been stopped")
		os.Exit(1)
	case errors.Is(err, errFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "runner:", err)
		os.Exit(1)
	}
}

// errFailed means a scenario failed; the report has said so already.
var errFailed = errors.New("a scenario failed")

// env is what the runner takes from its surroundings; the tests give
// their own.
type env struct {
	out   io.Writer
	dir   string                   // where the runner was started
	color bool                     // use ANSI colours
	state func(root string) string // the file that keeps the last results
	poll  time.Duration            // how often -watch looks at the files; a default when zero
	limit time.Duration            // bounds each lesson's go test; grade's default when zero
	ready func()                   // called when -watch starts waiting for a change (tests)
}

// flags are the runner's options.
type flags struct {
	race, keepGoing, list, watch, verbose bool
	jsonFile                              string
	exercise, answer                      string // an exercise's ID, such as 01/2
	countExercises                        bool   // exercises count towards the verdict
	update                                bool   // rewrite the expected sections that differ
	format                                string // of the -json report: classroom or exercism
}

func parse(args []string, out io.Writer) (flags, []string, error) {
	var f flags
	fs := flag.NewFlagSet("runner", flag.ContinueOnError)
	fs.BoolVar(&f.race, "race", grade.RaceSupported(), "build the lessons' programs with the race detector, so a data race fails a scenario (on wherever it works; -race=false to skip)")
	fs.BoolVar(&f.keepGoing, "k", false, "keep going after a lesson fails")
	fs.BoolVar(&f.list, "list", false, "list every lesson and scenario with its last result, run nothing")
	fs.BoolVar(&f.watch, "watch", false, "run again each time a file of a lesson changes (Ctrl-C to stop)")
	fs.BoolVar(&f.verbose, "v", false, "also show each failed scenario's whole transcript")
	fs.StringVar(&f.jsonFile, "json", "", "write a report for an autograder to `FILE` (implies -k); it has one test per exercise too")
	fs.StringVar(&f.exercise, "exercise", "", "check one exercise, such as 01/2 (exit status 0 when it is done)")
	fs.StringVar(&f.answer, "answer", "", "show the model answer of an exploratory exercise, such as 01/5, once you have tried it")
	fs.BoolVar(&f.update, "update", false, "for scenario authors: rewrite the expected sections of the scenarios that differ with what came, and say which")
	fs.StringVar(&f.format, "format", "classroom", "the shape of the -json report: classroom, or exercism (Exercism's results.json, version 3; exit status 0 once it is written)")
	fs.BoolVar(&f.countExercises, "exercises", false, "with -json: an exercise not done fails the report and the exit status, as a scenario would")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(out)
		fs.Usage()
		return f, nil, flag.ErrHelp
	} else if err != nil {
		return f, nil, fmt.Errorf("%v (see -h)", err)
	}
	if f.jsonFile != "" {
		f.keepGoing = true // an autograder needs every lesson's points
	}
	if f.watch && (f.list || f.jsonFile != "") {
		return f, nil, errors.New("-watch cannot be used with -list or -json (see -h)")
	}
	if f.exercise != "" && (f.list || f.jsonFile != "" || f.answer != "") {
		return f, nil, errors.New("-exercise checks one exercise: it cannot be used with -list, -json or -answer (see -h)")
	}
	if f.format != "classroom" && f.format != "exercism" {
		return f, nil, fmt.Errorf("-format %q: the report's shapes are classroom and exercism (see -h)", f.format)
	}
	if f.update && (f.jsonFile != "" || f.list || f.watch) {
		return f, nil, errors.New("-update rewrites scenarios for their authors: it cannot be used with -json, -list or -watch (see -h)")
	}
	if f.format != "classroom" && f.jsonFile == "" {
		return f, nil, errors.New("-format goes with -json: it is the shape of the report (see -h)")
	}
	if f.countExercises && f.jsonFile == "" {
		return f, nil, errors.New("-exercises goes with -json: it makes the report count the exercises (see -h)")
	}
	return f, fs.Args(), nil
}

func run(ctx context.Context, args []string, e env) error {
	f, names, err := parse(args, e.out)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	root, err := grade.Root(e.dir)
	if err != nil {
		return err
	}
	all, err := grade.Lessons(root)
	if err != nil {
		return err
	}
	lessons, err := grade.Select(all, names)
	if err != nil {
		return err
	}
	p := &printer{out: e.out, color: e.color, root: root, verbose: f.verbose}
	st := loadState(e.state(root))

	if f.list {
		list(p, lessons, st)
		return nil
	}
	if f.answer != "" {
		ex, err := grade.FindExercise(all, f.answer)
		if err != nil {
			return err
		}
		return showAnswer(p, ex)
	}
	r := &runner{p: p, opts: grade.Options{Race: f.race, Limit: e.limit, Update: f.update}, keepGoing: f.keepGoing, state: st, all: all}
	if f.exercise != "" {
		ex, err := grade.FindExercise(all, f.exercise)
		if err != nil {
			return err
		}
		if !ex.Checked() {
			return fmt.Errorf("exercise %s (%s) explores rather than builds, so there is nothing to check: once you have tried it, go run ./tools/runner -answer %s shows a model answer", ex.ID(), ex.Title(), ex.ID())
		}
		r.exercise = &ex
		lessons = []grade.Lesson{ex.Lesson}
	}
	if f.watch {
		return watch(ctx, r, lessons, e)
	}
	reports, err := r.run(ctx, lessons)
	if err != nil {
		return err
	}
	if f.jsonFile != "" {
		exercises, err := r.exercises(ctx, lessons)
		if err != nil {
			return err
		}
		if f.format == "exercism" {
			// Exercism reads the verdict from the report: a runner that
			// wrote one has done its job, whatever the tests said.
			return writeJSON(f.jsonFile, grade.NewExercismResult(reports, exercises))
		}
		res := grade.NewResult(reports)
		res.AddExercises(exercises, f.countExercises)
		if err := writeJSON(f.jsonFile, res); err != nil {
			return err
		}
		if f.countExercises && res.Status != "pass" {
			return errFailed
		}
	}
	if !allPassed(reports) || len(reports) < len(lessons) {
		return errFailed
	}
	return nil
}

func allPassed(reports []grade.Report) bool {
	for _, rep := range reports {
		if !rep.Passed() {
			return false
		}
	}
	return true
}

// writeJSON writes the autograder's report, indented for people too.
func writeJSON(file string, res any) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if dir := filepath.Dir(file); dir != "." {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return err
		}
	}
	return os.WriteFile(file, append(data, '\n'), 0o666)
}

// colorWanted reports whether to colour the output: only on a terminal,
// and never when NO_COLOR is set to anything (https://no-color.org).
func colorWanted(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
