package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// check runs one exercise's checks, the way run runs a lesson: a line per
// scenario in the order of their names, then what failed, and why.
func (r *runner) check(ctx context.Context, e grade.Exercise) ([]grade.Report, error) {
	names, _ := grade.ScenariosIn(e.Dir)
	fmt.Fprintf(r.p.out, "%s  (%s, %s)\n", r.p.paint(bold, "exercise "+e.ID()), e.Title(), r.p.rel(e.Dir))
	order := inOrder{names: names, print: func(s grade.Scenario, n int) { r.p.scenario(s, n, len(names)) }}
	rep, err := grade.RunExercises(ctx, e.Lesson, e.Slug, r.opts, order.add)
	if err != nil {
		return nil, err
	}
	order.flush()
	status, _ := grade.ExerciseStatus(rep, e)
	r.state.recordExercise(e, status)
	r.state.save()
	var t tally
	t.addReport(rep)
	if rep.Stubbed {
		r.p.notWritten(rep) // an exercise builds on the lesson's own pieces
	} else {
		r.p.lessonEnd(rep, t)
	}
	if status != grade.Pass {
		if rep.Problem == "" {
			r.p.explain(rep, func(string, grade.Scenario) string {
				return "go run ./tools/runner -exercise " + e.ID()
			})
		}
		fmt.Fprintf(r.p.out, "exercise %s: %s (the lesson's README, under Exercises, says what to build)\n", e.ID(), r.p.paint(red, "not done yet"))
		return []grade.Report{rep}, nil
	}
	fmt.Fprintf(r.p.out, "exercise %s: %s\n", e.ID(), r.p.paint(green, "done"))
	r.p.next(r.state.next(r.all))
	return []grade.Report{rep}, nil
}

// exercises checks every exercise of the lessons, for the report.
func (r *runner) exercises(ctx context.Context, lessons []grade.Lesson) ([]grade.ExerciseReport, error) {
	var out []grade.ExerciseReport
	for _, l := range lessons {
		list, err := grade.Exercises(l)
		if err != nil {
			return nil, err
		}
		var checked []grade.Exercise
		for _, e := range list {
			if e.Checked() {
				checked = append(checked, e)
			}
		}
		if len(checked) == 0 {
			continue
		}
		fmt.Fprintf(r.p.out, "%s  (%d exercises)\n", r.p.paint(bold, l.Name+" exercises"), len(checked))
		rep, err := grade.RunExercises(ctx, l, "", r.opts, nil)
		if err != nil {
			return nil, err
		}
		for _, e := range checked {
			status, failed := grade.ExerciseStatus(rep, e)
			r.state.recordExercise(e, status)
			fmt.Fprintf(r.p.out, "  %s  %s %s\n", r.p.mark(status), e.ID(), e.Title())
			out = append(out, grade.ExerciseReport{Exercise: e, Status: status, Failed: failed, Problem: rep.Problem})
		}
	}
	r.state.save()
	return out, nil
}

// showAnswer prints an exploratory exercise's model answer.
func showAnswer(p *printer, e grade.Exercise) error {
	if e.Checked() {
		return fmt.Errorf("exercise %s (%s) builds something, and its checks say when it is done: go run ./tools/runner -exercise %s", e.ID(), e.Title(), e.ID())
	}
	file := e.Answer()
	if file == "" && grade.IsStarter(filepath.Dir(filepath.Dir(e.Lesson.Dir))) {
		return fmt.Errorf("exercise %s (%s): in this starter edition your instructor keeps the model answers; write yours in %s", e.ID(), e.Title(), p.rel(filepath.Join(e.Dir, "my-answer.md")))
	}
	if file == "" {
		return fmt.Errorf("exercise %s (%s) has no model answer yet", e.ID(), e.Title())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(p.out, "%s  (%s): a model answer. Yours may say it differently; what matters is that you saw it for yourself.\n\n%s\n",
		p.paint(bold, "exercise "+e.ID()), e.Title(), strings.TrimSpace(string(data)))
	return nil
}

// next says which exercise to do next, if one is left.
func (p *printer) next(e *grade.Exercise) {
	if e == nil {
		return
	}
	fmt.Fprintf(p.out, "Next: exercise %s, %s (%s/README.md, Exercises): go run ./tools/runner -exercise %s\n",
		e.ID(), e.Title(), p.rel(e.Lesson.Dir), e.ID())
}
