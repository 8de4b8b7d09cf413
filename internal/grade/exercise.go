package grade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Each lesson ends with exercises. Those that build something are checked
// by scenarios of their own; those that explore (measure, watch) come with
// a model answer instead. Each has a folder:
//
//	lessons/01-echo/exercises/2-upper-case/
//	    upper.txtar        the check's scenarios, run like the lesson's
//	    solution.patch     the reference solution, a git diff from the root
//	lessons/01-echo/exercises/5-watch-time-wait/
//	    answer.md          the model answer of an exploratory exercise
//
// The exercise's text is in the lesson's README, under the same number.

// ExercisesEnv asks a lesson's TestExercises to check exercises: "all",
// or one exercise's folder name (see internal/scenario).
const ExercisesEnv = "SOCKETBOOK_EXERCISES"

// An Exercise is one folder under a lesson's exercises/.
type Exercise struct {
	Lesson Lesson
	Number int    // its number in the README
	Slug   string // the folder's name, such as "2-upper-case"
	Dir    string
}

// ID names the exercise as the runner takes it: lesson number, slash,
// exercise number ("01/2").
func (e Exercise) ID() string {
	number, _, _ := strings.Cut(e.Lesson.Name, "-")
	return number + "/" + strconv.Itoa(e.Number)
}

// Title is the slug in words: "upper case".
func (e Exercise) Title() string {
	_, title, _ := strings.Cut(e.Slug, "-")
	return strings.ReplaceAll(title, "-", " ")
}

// Checked reports whether the exercise has check scenarios: one that
// builds something, rather than one that explores.
func (e Exercise) Checked() bool {
	scripts, _ := filepath.Glob(filepath.Join(e.Dir, "*.txtar"))
	return len(scripts) > 0
}

// Answer is the path of the exercise's model answer, or "" if it has none.
func (e Exercise) Answer() string {
	file := filepath.Join(e.Dir, "answer.md")
	if _, err := os.Stat(file); err != nil {
		return ""
	}
	return file
}

// Solution is the path of the exercise's reference solution, or "".
func (e Exercise) Solution() string {
	file := filepath.Join(e.Dir, "solution.patch")
	if _, err := os.Stat(file); err != nil {
		return ""
	}
	return file
}

// Exercises lists the lesson's exercises in their order.
func Exercises(l Lesson) ([]Exercise, error) {
	entries, err := os.ReadDir(filepath.Join(l.Dir, "exercises"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []Exercise
	for _, e := range entries {
		number, _, ok := strings.Cut(e.Name(), "-")
		n, err := strconv.Atoi(number)
		if !e.IsDir() || !ok || err != nil {
			continue
		}
		list = append(list, Exercise{Lesson: l, Number: n, Slug: e.Name(), Dir: filepath.Join(l.Dir, "exercises", e.Name())})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Number < list[j].Number })
	return list, nil
}

// FindExercise finds an exercise by its ID ("01/2"), the lesson given as
// for Select (01, 1, echo, 01-echo).
func FindExercise(lessons []Lesson, id string) (Exercise, error) {
	lesson, number, ok := strings.Cut(id, "/")
	n, err := strconv.Atoi(number)
	if !ok || err != nil {
		return Exercise{}, fmt.Errorf("%q is not an exercise: name one as LESSON/NUMBER, such as 01/2", id)
	}
	picked, err := Select(lessons, []string{lesson})
	if err != nil {
		return Exercise{}, err
	}
	list, err := Exercises(picked[0])
	if err != nil {
		return Exercise{}, err
	}
	var have []string
	for _, e := range list {
		if e.Number == n {
			return e, nil
		}
		have = append(have, e.ID())
	}
	if len(have) == 0 {
		return Exercise{}, fmt.Errorf("%s has no exercises", picked[0].Name)
	}
	return Exercise{}, fmt.Errorf("%s has no exercise %d: its exercises are %s", picked[0].Name, n, strings.Join(have, ", "))
}

// RunExercises runs the checks of the lesson's exercises, or of the one
// exercise named by slug: one go test for all, each scenario named
// "2-upper-case/hello".
func RunExercises(ctx context.Context, l Lesson, slug string, opts Options, each func(Scenario)) (Report, error) {
	left, err := stillStubs(l)
	if err != nil {
		return Report{}, err
	}
	if len(left) > 0 && len(left) >= StarterPieces(l) {
		// An exercise changes the lesson's programs: they must exist first.
		return Report{Lesson: l, NotWritten: left, Stubbed: true, Problem: NotWrittenMessage(left)}, nil
	}
	which := slug
	if which == "" {
		which = "all"
	}
	su := suite{test: "TestExercises", dir: filepath.Join(l.Dir, "exercises"), env: []string{ExercisesEnv + "=" + which}}
	if slug != "" {
		su.test, su.dir = "TestExercises/"+slug, filepath.Join(l.Dir, "exercises", slug)
	}
	rep, err := run(ctx, l, opts, su, each)
	// With every exercise at once, the subtests are the exercises
	// themselves, and their scenarios are one level down.
	if slug == "" {
		var kept []Scenario
		for _, s := range rep.Scenarios {
			if strings.Contains(s.Name, "/") {
				kept = append(kept, s)
			}
		}
		rep.Scenarios = kept
	}
	return rep, err
}

// ExerciseStatus sums up an exercise's scenarios in a report of
// RunExercises: pass when every one passed (or was skipped), fail when one
// failed or none ran; with the first failure, if any.
func ExerciseStatus(rep Report, e Exercise) (Status, *Scenario) {
	ran := false
	for i, s := range rep.Scenarios {
		if filepath.Dir(s.File) != e.Dir {
			continue
		}
		ran = true
		if s.Status == Fail {
			return Fail, &rep.Scenarios[i]
		}
	}
	if !ran || rep.Problem != "" {
		return Fail, nil
	}
	return Pass, nil
}
