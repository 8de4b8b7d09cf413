package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Go's test cache replays a passing result while the test binary and the
// files and environment variables the test itself read stay the same. A
// lesson's programs are built by `go build` in a child process, so their
// sources are not among them: edit a server, and `go test` would answer
// "ok (cached)" for the program you had before. A test that builds
// programs must therefore read their inputs itself. Inputs names them, and
// Touch reads them, which is all the cache needs to see them.
//
// go test checks a recorded file again only when it lies inside the
// test's own module, by its size and modification time (a file changed in
// the last two seconds is never cached at all).

// Inputs lists every file that the packages matched by patterns, in the
// module at dir, are built from: their Go files (and, with test, their
// test files), embedded files, the go.mod and go.sum of each module of
// ours they come from, and the workspace's go.work and go.work.sum. The
// standard library and downloaded modules are left out: they do not
// change under a version.
func Inputs(dir string, test bool, patterns ...string) ([]string, error) {
	args := []string{"list", "-e", "-deps", "-json=Dir,Standard,Module,GoFiles,CgoFiles,EmbedFiles,TestGoFiles,XTestGoFiles"}
	if test {
		args = append(args, "-test")
	}
	cmd := exec.Command("go", append(args, patterns...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	seen := map[string]bool{}
	add := func(file string) {
		if file != "" {
			seen[file] = true
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list's output: %w", err)
		}
		if p.Standard || p.Module == nil || p.Module.Version != "" {
			continue
		}
		for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.EmbedFiles, p.TestGoFiles, p.XTestGoFiles} {
			for _, f := range list {
				add(filepath.Join(p.Dir, f))
			}
		}
		// The folder itself, so that a file added to it counts too.
		add(p.Dir)
		if p.Module.GoMod != "" {
			add(p.Module.GoMod)
			add(strings.TrimSuffix(p.Module.GoMod, ".mod") + ".sum")
		}
	}
	if work, err := goEnv(dir, "GOWORK"); err == nil && work != "" && work != "off" {
		add(work)
		add(work + ".sum")
	}
	files := make([]string, 0, len(seen))
	for f := range seen {
		files = append(files, f)
	}
	sort.Strings(files)
	return files, nil
}

// listed is the part of `go list -json` that Inputs reads.
type listed struct {
	Dir                                                      string
	Standard                                                 bool
	Module                                                   *struct{ Version, GoMod string }
	GoFiles, CgoFiles, EmbedFiles, TestGoFiles, XTestGoFiles []string
}

// Touch reads the files' metadata so that the test cache records them:
// it opens each file (go test then compares its size and time) and stats
// each folder (its time changes when a file is added or removed). A file
// that does not exist is skipped: a go.sum that is not there yet.
func Touch(files []string) error {
	for _, file := range files {
		info, err := os.Stat(file)
		if errors.Is(err, os.ErrNotExist) || (err == nil && info.IsDir()) {
			continue
		}
		if err != nil {
			return err
		}
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		f.Close()
	}
	return nil
}

// goEnv returns one of go env's values, as seen from dir.
func goEnv(dir, name string) (string, error) {
	cmd := exec.Command("go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
