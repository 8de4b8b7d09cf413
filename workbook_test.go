// The workbook's own test: `go test ./...` at the root grades every lesson.
//
// In a Go workspace, `go test ./...` does not go down into the lessons'
// own modules, so this test runs each lesson's scenarios itself, through
// the same code as `go run ./tools/runner`, and reports them as subtests:
//
//	go test -run 'TestLessons/01-echo/hello' -v
package workbook_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
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
	for _, l := range lessons {
		readAll(t, l.Dir)
		t.Run(l.Name, func(t *testing.T) {
			rep, err := grade.Run(context.Background(), l, grade.Options{Race: raceEnabled}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Problem != "" {
				t.Fatalf("the lesson could not run its scenarios:\n%s", rep.Problem)
			}
			for _, s := range rep.Scenarios {
				t.Run(s.Name, func(t *testing.T) {
					switch s.Status {
					case grade.Fail:
						t.Errorf("%s\n\n%s", s.Comment, s.Log)
					case grade.Skip:
						t.Skip(s.Log)
					}
				})
			}
		})
	}
}

// readAll reads every file of a lesson. `go test` caches a passing result
// and replays it while the files the test opened stay the same; the lessons
// run in child processes it does not watch, so we open their files here,
// and an edited server is graded again rather than replayed from the cache.
func readAll(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
