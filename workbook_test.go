// The workbook's own test: `go test ./...` at the root grades every lesson.
//
// In a Go workspace, `go test ./...` does not go down into the lessons'
// own modules, so this test runs each lesson's scenarios itself, through
// the same code as `go run ./tools/runner`, and reports them as subtests:
//
//	go test -run 'TestLessons/01-echo/hello' -v
//	SOCKETBOOK_EXERCISES=all go test ./...    the exercises' checks too
package workbook_test

import (
	"context"
	"os"
	"testing"

	"github.com/socketbook/socketbook/internal/grade"
)

func TestLessons(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	lessons, err := grade.Lessons(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(lessons) == 0 {
		t.Fatal("no lessons found under lessons/")
	}
	// The lessons' programs are built with the race detector wherever it
	// works, so a data race fails a scenario; SOCKETBOOK_RACE=0 turns it off.
	race := grade.RaceSupported() && os.Getenv("SOCKETBOOK_RACE") != "0"
	for _, l := range lessons {
		// The lessons run in child processes that go test's cache does not
		// watch: read their inputs here, so that an edited server, scenario
		// or harness is graded again and nothing else is.
		inputs, err := grade.Inputs(l.Dir, true, "./...")
		if err == nil {
			err = grade.Touch(inputs)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Run(l.Name, func(t *testing.T) {
			rep, err := grade.Run(context.Background(), l, grade.Options{Race: race}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Problem != "" {
				t.Fatalf("the lesson could not run its scenarios:\n%s", rep.Problem)
			}
			report(t, rep.Scenarios)
			// The exercises ship not done: they are graded only when an
			// instructor asks, with SOCKETBOOK_EXERCISES=all.
			if os.Getenv(grade.ExercisesEnv) != "all" {
				return
			}
			if list, _ := grade.Exercises(l); len(list) == 0 {
				return
			}
			t.Run("exercises", func(t *testing.T) {
				rep, err := grade.RunExercises(context.Background(), l, "", grade.Options{Race: race}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Problem != "" {
					t.Fatalf("the exercises' checks could not run:\n%s", rep.Problem)
				}
				report(t, rep.Scenarios)
			})
		})
	}
}

// report makes each scenario a subtest that passes, fails or skips as it did.
func report(t *testing.T, scenarios []grade.Scenario) {
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			switch s.Status {
			case grade.Fail:
				t.Error("\n" + grade.Message(s))
			case grade.Skip:
				t.Skip(s.Log)
			}
		})
	}
}
