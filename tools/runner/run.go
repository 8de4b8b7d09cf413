package main

import (
	"context"

	"github.com/socketbook/socketbook/internal/grade"
)

// runner runs lessons in order and prints as it goes.
type runner struct {
	p         *printer
	opts      grade.Options
	keepGoing bool // go on after a failing lesson (-k)
	state     *state
}

// run runs the lessons, stopping after the first that fails unless
// keepGoing, and returns the reports of those it ran.
func (r *runner) run(ctx context.Context, lessons []grade.Lesson) ([]grade.Report, error) {
	var reports []grade.Report
	var total tally
	stopped := ""
	for i, l := range lessons {
		names, _ := grade.Scenarios(l)
		r.p.lessonStart(l, i+1, len(lessons), len(names))
		done := 0
		rep, err := grade.Run(ctx, l, r.opts, func(s grade.Scenario) {
			done++
			r.p.scenario(s, done, len(names))
		})
		if err != nil {
			return reports, err
		}
		reports = append(reports, rep)
		r.state.record(rep)
		var t tally
		t.addReport(rep)
		total.merge(t)
		r.p.lessonEnd(rep, t)
		if !rep.Passed() {
			r.p.explain(rep)
			if rest := lessons[i+1:]; len(rest) > 0 && !r.keepGoing {
				stopped = grade.Names(rest)
				r.p.stopped(l, rest)
				break
			}
		}
	}
	r.state.save()
	r.p.summary(total, len(reports), len(lessons), stopped)
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
