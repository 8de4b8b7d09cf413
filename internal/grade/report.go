package grade

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Result is the report an autograder reads, in the shape GitHub
// Classroom's reporter and Exercism's test runners share: an overall
// status, the points, and one entry per scenario, each worth one point, so
// a student gets partial credit scenario by scenario.
type Result struct {
	Version  int          `json:"version"`
	Status   string       `json:"status"` // pass, fail, or error when a lesson could not run
	MaxScore int          `json:"max_score"`
	Score    int          `json:"score"`
	Tests    []TestResult `json:"tests"`
}

// A TestResult is one scenario in a Result. GitHub Classroom's reporter
// also reads where the test is and how long it took.
type TestResult struct {
	Name     string  `json:"name"`   // lesson/scenario, such as "01-echo/hello"
	Status   string  `json:"status"` // pass, fail or error
	Message  string  `json:"message,omitempty"`
	TestCode string  `json:"test_code"` // the scenario's script
	Filename string  `json:"filename"`  // the script, from the workbook's root
	LineNo   int     `json:"line_no"`   // the line that failed; 0 for a pass
	Duration float64 `json:"duration"`  // seconds
	Score    int     `json:"score"`
	MaxScore int     `json:"max_score"`
}

// NewResult builds the autograder's report from lesson reports. A lesson
// that could not run counts each of its scenarios as an error worth no
// points (or, with no scenarios at all, one entry for the lesson), so the
// maximum stays the same whatever the student breaks. A skipped scenario
// (say, no IPv6 on the grading machine) earns its point: the student
// cannot fix the machine.
func NewResult(reports []Report) Result {
	res := Result{Version: 1, Status: "pass", Tests: []TestResult{}}
	for _, rep := range reports {
		if rep.Problem != "" {
			res.Status = "error"
			names, _ := Scenarios(rep.Lesson)
			if len(names) == 0 {
				res.add(TestResult{Name: rep.Lesson.Name, Status: "error", Message: rep.Problem})
			}
			for _, name := range names {
				file := scenarioFile(filepath.Join(rep.Lesson.Dir, "testdata"), name)
				res.add(TestResult{
					Name: rep.Lesson.Name + "/" + name, Status: "error",
					Message:  rep.Lesson.Name + " could not run its scenarios: " + rep.Problem,
					TestCode: script(file),
					Filename: fromRoot(rep.Lesson, file),
				})
			}
			continue
		}
		for _, s := range rep.Scenarios {
			t := TestResult{Name: s.Lesson + "/" + s.Name, Status: "pass", TestCode: script(s.File), Score: 1,
				Filename: fromRoot(rep.Lesson, s.File), Duration: s.Elapsed.Seconds()}
			if s.Failure != nil {
				t.LineNo = s.Failure.Line
			}
			switch s.Status {
			case Skip:
				t.Message = "skipped on this machine: " + strings.TrimPrefix(LastLines(strings.TrimSpace(s.Log), 1), "> ")
			case Fail:
				t.Status, t.Score, t.Message = "fail", 0, Message(s)
				if res.Status == "pass" {
					res.Status = "fail"
				}
			}
			res.add(t)
		}
	}
	return res
}

// An ExerciseReport is how one exercise's check went.
type ExerciseReport struct {
	Exercise Exercise
	Status   Status    // Pass or Fail
	Failed   *Scenario // the first scenario that failed, if one did
	Problem  string    // why the checks could not run, if they could not
}

// AddExercises adds one test per checked exercise, named "exercise 01/2:
// upper case" and worth one point, separate from the lesson scenarios so
// that a course can weight them. The workbook ships with its exercises
// not done, so they count towards the overall status only when count is
// set (the runner's -exercises); their points are there either way.
func (r *Result) AddExercises(reports []ExerciseReport, count bool) {
	for _, er := range reports {
		e := er.Exercise
		t := TestResult{Name: "exercise " + e.ID() + ": " + e.Title(), Status: "pass", Score: 1, TestCode: scripts(e.Dir),
			Filename: fromRoot(e.Lesson, e.Dir)}
		if er.Status != Pass {
			t.Status, t.Score = "fail", 0
			switch {
			case er.Problem != "":
				t.Message = "the checks could not run: " + er.Problem
			case er.Failed != nil:
				t.Message = Message(*er.Failed)
				t.Filename = fromRoot(e.Lesson, er.Failed.File)
				if er.Failed.Failure != nil {
					t.LineNo = er.Failed.Failure.Line
				}
			default:
				t.Message = "not done yet"
			}
			if count && r.Status == "pass" {
				r.Status = "fail"
			}
		}
		r.add(t)
	}
}

// fromRoot is a lesson's file as a path from the workbook's root, with
// forward slashes: lessons/01-echo/testdata/hello.txtar.
func fromRoot(l Lesson, file string) string {
	if l.Dir != "" {
		if rel, err := filepath.Rel(filepath.Dir(filepath.Dir(l.Dir)), file); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}

// scripts returns the text of every check script in dir, one after the
// other.
func scripts(dir string) string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
	var b strings.Builder
	for _, f := range files {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(script(f))
	}
	return b.String()
}

func (r *Result) add(t TestResult) {
	t.MaxScore = 1
	r.Tests = append(r.Tests, t)
	r.MaxScore++
	r.Score += t.Score
}

// Message says why a scenario failed: the failure as the harness
// recorded it, the wire proxy's mode if it ran through one, and where to
// read. Bounded like the failure itself.
func Message(s Scenario) string {
	f := s.Failure
	if f == nil {
		return "failed"
	}
	msg := f.Text()
	if mode := s.WireMode(); mode != "" && !strings.HasPrefix(f.Reason, notWrittenYet) {
		msg = "Through the wire proxy (" + mode + "): " + msg
	}
	if s.Readme != "" {
		msg += "\nRead: lessons/" + s.Lesson + "/README.md, section \"" + s.Readme + "\"\n"
	}
	return msg
}

// script returns a scenario file's text, or "" if it cannot be read.
func script(file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	return string(data)
}

// Exercism's test runners write results.json in the shape its website
// reads (the test-runner interface, version 3): an overall status, a
// message only when nothing could run, and one entry per test with its
// status, why it failed, what it printed, its code, and the task it
// belongs to (here a lesson, by number).
type ExercismResult struct {
	Version int            `json:"version"`
	Status  string         `json:"status"` // pass, fail, or error when no test could run
	Message string         `json:"message,omitempty"`
	Tests   []ExercismTest `json:"tests"`
}

// An ExercismTest is one scenario, or one exercise, of an ExercismResult.
type ExercismTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // pass, fail, or error when it could not run
	Message  string `json:"message,omitempty"`
	Output   string `json:"output,omitempty"`
	TestCode string `json:"test_code"`
	TaskID   int    `json:"task_id"`
}

// exercismOutput is the most of a test's output Exercism shows.
const exercismOutput = 500

// NewExercismResult builds Exercism's report from lesson and exercise
// reports. Its status is error only when no lesson could run at all (the
// code does not build), fail when some test failed or could not run.
func NewExercismResult(reports []Report, exercises []ExerciseReport) ExercismResult {
	res := ExercismResult{Version: 3, Status: "pass", Tests: []ExercismTest{}}
	var problems []string
	ran := false
	for _, rep := range reports {
		task := taskID(rep.Lesson)
		if rep.Problem != "" {
			problems = append(problems, rep.Lesson.Name+": "+rep.Problem)
			names, _ := Scenarios(rep.Lesson)
			if len(names) == 0 {
				names = []string{""}
			}
			for _, name := range names {
				t := ExercismTest{Name: rep.Lesson.Name, Status: "error", Message: rep.Lesson.Name + " could not run its scenarios: " + rep.Problem, TaskID: task}
				if name != "" {
					t.Name += "/" + name
					t.TestCode = script(scenarioFile(filepath.Join(rep.Lesson.Dir, "testdata"), name))
				}
				res.add(t)
			}
			continue
		}
		ran = true
		for _, s := range rep.Scenarios {
			t := ExercismTest{Name: s.Lesson + "/" + s.Name, Status: "pass", TestCode: script(s.File), TaskID: task}
			if s.Status == Fail {
				t.Status, t.Message, t.Output = "fail", Message(s), programOutput(s.Failure)
			}
			res.add(t)
		}
	}
	for _, er := range exercises {
		e := er.Exercise
		t := ExercismTest{Name: "exercise " + e.ID() + ": " + e.Title(), Status: "pass", TestCode: scripts(e.Dir), TaskID: taskID(e.Lesson)}
		if er.Status != Pass {
			t.Status, t.Message = "fail", "not done yet"
			if er.Failed != nil {
				t.Message, t.Output = Message(*er.Failed), programOutput(er.Failed.Failure)
			}
		}
		res.add(t)
	}
	if !ran && len(problems) > 0 {
		res.Status, res.Message = "error", strings.Join(problems, "\n\n")
	}
	return res
}

func (r *ExercismResult) add(t ExercismTest) {
	if t.Status != "pass" && r.Status == "pass" {
		r.Status = "fail"
	}
	r.Tests = append(r.Tests, t)
}

// taskID is a lesson's number: its exercises and scenarios are one task.
func taskID(l Lesson) int {
	number, _, _ := strings.Cut(l.Name, "-")
	n, _ := strconv.Atoi(number)
	return n
}

// programOutput is what the failed scenario's programs printed, cut to
// what Exercism shows.
func programOutput(f *Failure) string {
	if f == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range f.Programs {
		if p.Log != "" {
			fmt.Fprintf(&b, "%s:\n%s\n", p.Command, p.Log)
		}
	}
	out := b.String()
	if len(out) > exercismOutput {
		cut := exercismOutput - len("\n… (cut)")
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "\n… (cut)"
	}
	return out
}
