package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// proofEnv turns on TestStarterProof, which builds and grades whole copies
// of the workbook (about two minutes); CI runs it.
const proofEnv = "SOCKETBOOK_STARTER_PROOF"

// TestStarterProof proves the starter edition end to end, as CI runs it:
//
//	SOCKETBOOK_STARTER_PROOF=1 go test -run TestStarterProof -v ./tools/starter
//
// A starter of every lesson builds and vets for Linux, macOS and Windows,
// and the runner gives each of its scenarios 0 points, for the reason "not
// written yet" alone (its writing already proved no solution line is in
// it). Copying the reference's marked files back over it makes every
// scenario pass. A starter of lesson 01 alone gives full points to the
// others.
func TestStarterProof(t *testing.T) {
	if os.Getenv(proofEnv) == "" {
		t.Skip("builds and grades whole copies of the workbook; CI runs it with " + proofEnv + "=1")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	all := filepath.Join(t.TempDir(), "all")
	require.NoError(t, run([]string{"-o", all}))

	t.Run("builds and vets everywhere", func(t *testing.T) {
		// The root module is the reference's own, unchanged; CI vets it.
		for _, module := range modules(t, all)[1:] {
			for _, goos := range []string{"linux", "darwin", "windows"} {
				goCmd(t, module, []string{"GOOS=" + goos, "GOARCH=amd64"}, "vet", "./...")
			}
		}
	})

	t.Run("nothing written scores nothing", func(t *testing.T) {
		report := gradeReport(t, all)
		require.NotEmpty(t, report.Tests)
		for _, test := range report.Tests {
			assert.Equal(t, 0, test.Score, test.Name)
			if strings.HasPrefix(test.Name, "exercise ") {
				assert.Contains(t, test.Message, "the checks could not run: not written yet: ", test.Name)
				continue
			}
			// "lessons/01-echo/testdata/x.txtar: not written yet: ...", then
			// the README section to read, and nothing else.
			why, _, _ := strings.Cut(test.Message, "\n")
			_, reason, _ := strings.Cut(why, ": ")
			assert.True(t, strings.HasPrefix(reason, "not written yet: "), "%s: %s", test.Name, test.Message)
			assert.NotContains(t, test.Message, "expected", test.Name)
		}
	})

	t.Run("the reference's pieces put back pass", func(t *testing.T) {
		copied := 0
		for _, file := range markedFiles(t, root) {
			data, err := os.ReadFile(filepath.Join(root, file))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(all, file), data, 0o644))
			copied++
		}
		require.NotZero(t, copied, "the reference marks no solution")
		report := gradeReport(t, all)
		for _, test := range report.Tests {
			if !strings.HasPrefix(test.Name, "exercise ") {
				assert.Equal(t, "pass", test.Status, "%s: %s", test.Name, test.Message)
			}
		}
	})

	t.Run("a starter of lesson 01 leaves the others whole", func(t *testing.T) {
		one := filepath.Join(t.TempDir(), "one")
		require.NoError(t, run([]string{"-o", one, "-lessons", "01"}))
		report := gradeReport(t, one)
		for _, test := range report.Tests {
			if strings.HasPrefix(test.Name, "exercise ") {
				continue
			}
			if strings.HasPrefix(test.Name, "01-") {
				assert.Equal(t, 0, test.Score, test.Name)
			} else {
				assert.Equal(t, "pass", test.Status, "%s: %s", test.Name, test.Message)
			}
		}
	})
}

// report is the part of the runner's -json report the proof reads.
type report struct {
	Tests []struct {
		Name, Status, Message string
		Score                 int
	}
}

// gradeReport runs the runner of the workbook at dir, every lesson, and reads its
// report. The race detector is left out: it only slows the proof down.
func gradeReport(t *testing.T, dir string) report {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command("go", "run", "./tools/runner", "-race=false", "-json", file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("the runner did not run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err, "the runner wrote no report:\n%s", out)
	var r report
	require.NoError(t, json.Unmarshal(data, &r))
	return r
}

// modules lists the Go modules of the workbook at dir: its root and each lesson.
func modules(t *testing.T, dir string) []string {
	lessons, err := filepath.Glob(filepath.Join(dir, "lessons", "*", "go.mod"))
	require.NoError(t, err)
	mods := []string{dir}
	for _, m := range lessons {
		mods = append(mods, filepath.Dir(m))
	}
	return mods
}

func goCmd(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("go %s in %s (%s): %v\n%s", strings.Join(args, " "), dir, strings.Join(env, " "), err, out)
	}
}

// markedFiles lists the reference's Go files that hold a solution region.
func markedFiles(t *testing.T, root string) []string {
	files, err := gitFiles(root)
	require.NoError(t, err)
	var marked []string
	for _, name := range files {
		if !strings.HasSuffix(name, ".go") || !strings.HasPrefix(name, "lessons/") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		regions, err := findRegions(name, src)
		require.NoError(t, err)
		if len(regions) > 0 {
			marked = append(marked, name)
		}
	}
	return marked
}
