package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/socketbook/socketbook/internal/grade"
)

// state keeps each scenario's last result, so -list can show where the
// student is. It lives in the user's cache folder, not in the repository,
// so it never shows up in git status.
type state struct {
	file      string
	Scenarios map[string]grade.Status // "01-echo/hello" -> pass
	Problems  map[string]string       // lesson -> why it could not run
	Exercises map[string]grade.Status // "01/2" -> pass
}

// defaultStateFile is the state file for the workbook at root.
func defaultStateFile(root string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(dir, "socketbook-runner", fmt.Sprintf("%x.json", sum[:8]))
}

// loadState reads the state, starting afresh if there is none.
func loadState(file string) *state {
	st := &state{file: file}
	if data, err := os.ReadFile(file); err == nil {
		if json.Unmarshal(data, st) != nil {
			st = &state{file: file} // a damaged file: start afresh
		}
	}
	if st.Scenarios == nil {
		st.Scenarios = map[string]grade.Status{}
	}
	if st.Problems == nil {
		st.Problems = map[string]string{}
	}
	if st.Exercises == nil {
		st.Exercises = map[string]grade.Status{}
	}
	return st
}

// record replaces what the state knows of a lesson with its report.
func (st *state) record(rep grade.Report) {
	prefix := rep.Lesson.Name + "/"
	for key := range st.Scenarios {
		if len(key) > len(prefix) && key[:len(prefix)] == prefix {
			delete(st.Scenarios, key)
		}
	}
	delete(st.Problems, rep.Lesson.Name)
	if rep.Problem != "" {
		st.Problems[rep.Lesson.Name] = rep.Problem
	}
	for _, s := range rep.Scenarios {
		st.Scenarios[prefix+s.Name] = s.Status
	}
}

// recordExercise keeps how an exercise's check went.
func (st *state) recordExercise(e grade.Exercise, status grade.Status) {
	st.Exercises[e.ID()] = status
}

// next is the first exercise with checks, in lesson order, that has not
// passed its check yet; nil when none is left.
func (st *state) next(lessons []grade.Lesson) *grade.Exercise {
	for _, l := range lessons {
		list, _ := grade.Exercises(l)
		for _, e := range list {
			if e.Checked() && st.Exercises[e.ID()] != grade.Pass {
				return &e
			}
		}
	}
	return nil
}

// save writes the state; the runner works on without it if it cannot.
func (st *state) save() {
	if st.file == "" {
		return
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(st.file), 0o777) == nil {
		// Unsaved, -list shows less next time; the verdict is not touched.
		_ = os.WriteFile(st.file, data, 0o666)
	}
}
