// Prove checks that every exercise of the workbook can be done, the way
// Exercism proves each of its exercises with a reference solution. For each
// exercise with checks it proves three things:
//
//  1. its solution.patch applies cleanly to the workbook as it is;
//  2. its check fails on the workbook as it is, and for the exercise's own
//     reason: the lesson builds and its test runs, and a scenario fails;
//  3. on a copy of the workbook with the patch applied, its check passes
//     and so does every scenario of the lesson.
//
// A solution that stops applying, or a check that stops telling a solution
// from the original, makes it fail. CI runs it:
//
//	go run ./tools/prove            every exercise
//	go run ./tools/prove 01/2 03    one exercise, or every one of a lesson
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/socketbook/socketbook/internal/grade"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "prove:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	root, err := grade.Root(".")
	if err != nil {
		return err
	}
	lessons, err := grade.Lessons(root)
	if err != nil {
		return err
	}
	exercises, err := chosen(lessons, args)
	if err != nil {
		return err
	}
	passed, failed := 0, 0
	for _, e := range exercises {
		start := time.Now()
		err := prove(ctx, root, e)
		took := time.Since(start).Round(100 * time.Millisecond)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			failed++
			fmt.Printf("FAIL  exercise %s, %s (%v)\n%s\n", e.ID(), e.Title(), took, grade.Indent(err.Error(), "      "))
			continue
		}
		passed++
		fmt.Printf("ok    exercise %s, %s (%v)\n", e.ID(), e.Title(), took)
	}
	fmt.Printf("exercises: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return errors.New("some exercises are not proven")
	}
	return nil
}

// chosen picks the exercises with checks named by args (01/2, or a whole
// lesson: 03), or all of them.
func chosen(lessons []grade.Lesson, args []string) ([]grade.Exercise, error) {
	var out []grade.Exercise
	add := func(l grade.Lesson) error {
		list, err := grade.Exercises(l)
		for _, e := range list {
			if e.Checked() {
				out = append(out, e)
			}
		}
		return err
	}
	if len(args) == 0 {
		for _, l := range lessons {
			if err := add(l); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for _, a := range args {
		if strings.Contains(a, "/") {
			e, err := grade.FindExercise(lessons, a)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
			continue
		}
		picked, err := grade.Select(lessons, []string{a})
		if err != nil {
			return nil, err
		}
		if err := add(picked[0]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prove proves one exercise, or says which of the three things failed.
func prove(ctx context.Context, root string, e grade.Exercise) error {
	patch := e.Solution()
	if patch == "" {
		return errors.New("no solution.patch: every exercise with checks needs its reference solution")
	}
	if out, err := git(root, "apply", "--check", patch); err != nil {
		return fmt.Errorf("its solution does not apply to the workbook: %v\n%s", err, out)
	}
	// The programs are built plainly: the race detector's checks are the
	// lesson's business, and it would make this twice as slow.
	opts := grade.Options{}

	before, err := grade.RunExercises(ctx, e.Lesson, e.Slug, opts, nil)
	if err != nil {
		return err
	}
	if before.Problem != "" {
		return fmt.Errorf("its check cannot even run on the workbook as it is, so it fails for the wrong reason:\n%s", before.Problem)
	}
	if status, _ := grade.ExerciseStatus(before, e); status == grade.Pass {
		return errors.New("its check passes on the workbook as it is: it does not tell a solution from the original")
	}

	copyRoot, err := copyWorkbook(root)
	if err != nil {
		return err
	}
	defer os.RemoveAll(copyRoot)
	if out, err := git(copyRoot, "apply", patch); err != nil {
		return fmt.Errorf("its solution does not apply to a copy of the workbook: %v\n%s", err, out)
	}
	lesson := grade.Lesson{Name: e.Lesson.Name, Dir: filepath.Join(copyRoot, "lessons", e.Lesson.Name)}
	solved := e
	solved.Lesson, solved.Dir = lesson, filepath.Join(lesson.Dir, "exercises", e.Slug)
	after, err := grade.RunExercises(ctx, lesson, e.Slug, opts, nil)
	if err != nil {
		return err
	}
	if status, failed := grade.ExerciseStatus(after, solved); status != grade.Pass {
		return fmt.Errorf("with its solution applied, its check fails:\n%s", why(after, failed))
	}
	scenarios, err := grade.Run(ctx, lesson, opts, nil)
	if err != nil {
		return err
	}
	if !scenarios.Passed() {
		var failed *grade.Scenario
		for i, s := range scenarios.Scenarios {
			if s.Status == grade.Fail {
				failed = &scenarios.Scenarios[i]
				break
			}
		}
		return fmt.Errorf("with its solution applied, the lesson's own scenarios fail:\n%s", why(scenarios, failed))
	}
	return nil
}

// why says in a few lines why a report failed.
func why(rep grade.Report, failed *grade.Scenario) string {
	switch {
	case rep.Problem != "":
		return rep.Problem
	case failed != nil:
		return failed.Name + ": " + grade.LastLines(grade.Message(*failed), 30)
	}
	return "no scenario ran"
}

// copyWorkbook copies the workbook's files, as git sees them (committed or
// not, but not ignored), into a new folder.
func copyWorkbook(root string) (string, error) {
	out, err := git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return "", fmt.Errorf("listing the workbook's files: %v", err)
	}
	dst, err := os.MkdirTemp("", "socketbook-prove-")
	if err != nil {
		return "", err
	}
	for _, name := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted, not yet committed
		}
		if err != nil {
			return dst, err
		}
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o777); err != nil {
			return dst, err
		}
		if err := os.WriteFile(target, data, 0o666); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// git runs git in dir and returns what it printed.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}
