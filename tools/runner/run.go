package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// runner runs lessons in order and prints as it goes.
type runner struct {
	p         *printer
	opts      grade.Options
	keepGoing bool // go on after a failing lesson (-k)
	state     *state
	all       []grade.Lesson  // every lesson, to find the next exercise
	exercise  *grade.Exercise // -exercise: check this one instead of the lessons
}

// run runs the lessons, stopping after the first that fails unless
// keepGoing, and returns the reports of those it ran.
func (r *runner) run(ctx context.Context, lessons []grade.Lesson) ([]grade.Report, error) {
	if r.exercise != nil {
		return r.check(ctx, *r.exercise)
	}
	var reports []grade.Report
	var total tally
	stopped := ""
	for i, l := range lessons {
		names, _ := grade.Scenarios(l)
		r.p.lessonStart(l, i+1, len(lessons), len(names))
		order := inOrder{names: names, print: func(s grade.Scenario, n int) { r.p.scenario(s, n, len(names)) }}
		rep, err := grade.Run(ctx, l, r.opts, order.add)
		if err != nil {
			return reports, err
		}
		order.flush()
		reports = append(reports, rep)
		for _, line := range rep.Updated {
			// "updated testdata/x.txtar: want.txt", from the lesson's folder.
			fmt.Fprintf(r.p.out, "  updated %s/%s\n", r.p.rel(l.Dir), strings.TrimPrefix(line, "updated "))
		}
		if len(rep.Updated) > 0 {
			fmt.Fprintln(r.p.out, "  (the wire variants ran with the old text: run again without -update to check them all)")
		}
		r.state.record(rep)
		var t tally
		t.addReport(rep)
		total.merge(t)
		if len(rep.NotWritten) > 0 {
			r.p.notWritten(rep)
		} else {
			r.p.lessonEnd(rep, t)
		}
		if !rep.Passed() && !rep.Stubbed {
			r.p.explain(rep, lessonRerun)
		}
		if !rep.Passed() {
			if rest := lessons[i+1:]; len(rest) > 0 && !r.keepGoing {
				stopped = grade.Names(rest)
				r.p.stopped(l, rest)
				break
			}
		}
	}
	r.state.save()
	r.p.summary(total, len(reports), len(lessons), stopped)
	if total.failed == 0 && total.broken == 0 && stopped == "" {
		r.p.next(r.state.next(r.all))
	}
	return reports, nil
}

// tally counts scenarios by how they ended, and lessons that could not run.
type tally struct{ passed, failed, skipped, broken int }

func (t *tally) addReport(rep grade.Report) {
	if rep.Problem != "" {
		t.broken++
	}
	for _, s := range rep.Scenarios {
		switch s.Status {
		case grade.Pass:
			t.passed++
		case grade.Fail:
			t.failed++
		case grade.Skip:
			t.skipped++
		}
	}
}

func (t *tally) merge(o tally) {
	t.passed += o.passed
	t.failed += o.failed
	t.skipped += o.skipped
	t.broken += o.broken
}

// inOrder prints scenarios in the order of their names, whatever order
// they finish in, each as soon as those before it have been printed: the
// same lines in the same order on every run.
type inOrder struct {
	names   []string // in the order to print
	print   func(s grade.Scenario, n int)
	done    map[string]grade.Scenario
	printed int
}

func (o *inOrder) add(s grade.Scenario) {
	if o.done == nil {
		o.done = map[string]grade.Scenario{}
	}
	o.done[s.Name] = s
	for o.printed < len(o.names) {
		next, ok := o.done[o.names[o.printed]]
		if !ok {
			return
		}
		delete(o.done, next.Name)
		o.printed++
		o.print(next, o.printed)
	}
}

// flush prints, in name order, what is left: scenarios that ran but were
// not expected, when a lesson's list changed during the run.
func (o *inOrder) flush() {
	var rest []string
	for name := range o.done {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	for _, name := range rest {
		o.printed++
		o.print(o.done[name], o.printed)
	}
	o.done = nil
}
