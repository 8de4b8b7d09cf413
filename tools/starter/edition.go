package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// An edition is the starter's files, all decided before one is written.
type edition struct {
	files map[string][]byte      // path from the root, with slashes → content
	modes map[string]fs.FileMode // the reference's modes, executables kept
	// secret holds every line of a stubbed solution that appears nowhere
	// else in the reference's Go code, and where it came from: none of
	// them may reach the starter.
	secret map[string]string
	pieces int
}

// left out of every starter: the reference's own CI and the tools that
// need the solutions. Exercises lose their solution.patch and answer.md.
var leftOut = []string{".ci/", "tools/prove/", "tools/starter/"}

// plan reads the reference at root and decides every file of the starter
// that stubs the chosen lessons.
func plan(root string, chosen []grade.Lesson) (*edition, error) {
	tracked, err := gitFiles(root)
	if err != nil {
		return nil, err
	}
	ed := &edition{files: map[string][]byte{}, modes: map[string]fs.FileMode{}, secret: map[string]string{}}
	stubbed := map[string]bool{} // lesson folders, such as lessons/01-echo
	for _, l := range chosen {
		stubbed["lessons/"+l.Name] = true
	}

	// First the Go files: which hold solutions, and which lines of them
	// are told nowhere else.
	public := map[string]bool{}
	found := map[string][]region{}
	for _, name := range tracked {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return nil, err
		}
		regions, err := findRegions(name, src)
		if err != nil {
			return nil, err
		}
		inside := map[int]bool{}
		if len(regions) > 0 && stubbed[lessonOf(name)] && !strings.HasSuffix(name, "_test.go") {
			found[name] = regions
			for _, r := range regions {
				for i := r.begin; i <= r.end; i++ {
					inside[i] = true
				}
			}
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !inside[i] {
				public[strings.TrimSpace(line)] = true
			}
		}
	}
	for name, regions := range found {
		sections, err := headings(filepath.Join(root, lessonOf(name), "README.md"))
		if err != nil {
			return nil, err
		}
		for _, r := range regions {
			if !sections[r.section] {
				return nil, fmt.Errorf("%s:%d: the solution %q sends students to the README section %q, which %s/README.md does not have", name, r.begin+1, r.what, r.section, lessonOf(name))
			}
			for _, line := range append(append([]string{}, r.todo...), r.code...) {
				line = strings.TrimSpace(line)
				if telling(line) && !public[line] {
					ed.secret[line] = r.what + " (" + name + ")"
				}
			}
		}
	}

	// Then every file, as it goes into the starter.
	todo := map[string][]string{}   // lesson → its TODO.md items
	needs := map[string]stubs{}     // package folder → the stand-ins it calls
	packages := map[string]string{} // package folder → its package name
	for _, name := range tracked {
		info, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			return nil, err
		}
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return nil, err
		}
		switch {
		case isLeftOut(name):
			continue
		case path.Base(name) == "answer.md" && strings.Contains(name, "/exercises/"):
			ed.add(path.Join(path.Dir(name), "my-answer.md"), myAnswer(name), 0o644)
			continue
		case found[name] != nil:
			stubbedSrc, need, err := stubRegions(name, src, found[name])
			if err != nil {
				return nil, err
			}
			src = stubbedSrc
			dir := path.Dir(name)
			needs[dir] = stubs{needs[dir].notWritten || need.notWritten, needs[dir].sayNotWritten || need.sayNotWritten}
			packages[dir] = packageOf(src)
			for _, r := range found[name] {
				item := fmt.Sprintf("- [ ] %s: `%s`, %s (README: %q)", r.what,
					strings.TrimPrefix(name, lessonOf(name)+"/"), funcAt(name, src, r.what), r.section)
				todo[lessonOf(name)] = append(todo[lessonOf(name)], item)
				ed.pieces++
			}
		case strings.HasSuffix(name, ".md"):
			src = ed.scrub(src)
		}
		ed.add(name, src, info.Mode().Perm())
	}
	for dir, need := range needs {
		ed.add(dir+"/notwritten.go", standIns(packages[dir], need), 0o644)
	}
	for lesson, items := range todo {
		sort.Strings(items)
		ed.add(lesson+"/TODO.md", todoList(lesson, items), 0o644)
	}
	ed.add(grade.StarterFile, []byte(starterText), 0o644)
	workflow, err := os.ReadFile(filepath.Join(root, "docs", "grade-workflow.yml"))
	if err != nil {
		return nil, fmt.Errorf("the grading workflow: %w", err)
	}
	ed.add(".github/workflows/classroom.yml", workflow, 0o644)
	return ed, nil
}

func (ed *edition) add(name string, content []byte, mode fs.FileMode) {
	ed.files[name] = content
	ed.modes[name] = mode
}

// write writes every file of the edition under dir.
func (ed *edition) write(dir string) error {
	for name, content := range ed.files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, content, ed.modes[name]); err != nil {
			return err
		}
	}
	return nil
}

// scrub replaces each fenced block of a markdown file that quotes a
// solution with a note saying what belongs there. The same block always
// becomes the same note, so the English and Chinese editions stay alike.
func (ed *edition) scrub(md []byte) []byte {
	var out []string
	var block []string
	fence := ""
	for _, line := range strings.Split(string(md), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case fence == "" && strings.HasPrefix(trimmed, "```"):
			fence = line[:len(line)-len(strings.TrimLeft(line, " "))] + "```"
			out = append(out, line)
			block = block[:0]
		case fence != "" && trimmed == "```":
			out = append(out, ed.quoted(block, fence[:len(fence)-3])...)
			out = append(out, line)
			fence = ""
		case fence != "":
			block = append(block, line)
		default:
			out = append(out, line)
		}
	}
	if fence != "" {
		out = append(out, block...) // an unclosed fence: leave it be
	}
	return []byte(strings.Join(out, "\n"))
}

// quoted returns the block as it is, or a note for each solution it quotes.
func (ed *edition) quoted(block []string, indent string) []string {
	var whats []string
	seen := map[string]bool{}
	for _, line := range block {
		if what, ok := ed.secret[strings.TrimSpace(line)]; ok && !seen[what] {
			seen[what] = true
			whats = append(whats, what)
		}
	}
	if len(whats) == 0 {
		return append([]string{}, block...)
	}
	var note []string
	for _, what := range whats {
		note = append(note, indent+"// Yours to write: "+what+".")
	}
	return note
}

// telling reports whether a line of a solution says anything: not blank,
// not a lone brace or a bare return.
func telling(line string) bool {
	switch line {
	case "", "}", "{", ")", "(", "})", "return", "return nil", "return err", "default:", "continue", "break", "for {", "} else {":
		return false
	}
	return true
}

// findLeaks lists the lines under dir that are solution lines: each with
// its file:line and the solution it came from, at most twenty.
func findLeaks(dir string, secret map[string]string) []string {
	var leaks []string
	_ = filepath.WalkDir(dir, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(leaks) >= 20 {
			return err
		}
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for n := 1; sc.Scan(); n++ {
			if from, ok := secret[strings.TrimSpace(sc.Text())]; ok {
				rel, _ := filepath.Rel(dir, file)
				leaks = append(leaks, fmt.Sprintf("  %s:%d: %s (from %s)", filepath.ToSlash(rel), n, strings.TrimSpace(sc.Text()), from))
			}
		}
		return nil
	})
	return leaks
}

// gitFiles lists the files git tracks under root: the workbook as
// published, without build output or anyone's local files.
func gitFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the workbook's files with git ls-files: %w (run the starter in a clone of the workbook)", err)
	}
	var files []string
	for _, name := range bytes.Split(out, []byte{0}) {
		if len(name) > 0 {
			files = append(files, string(name))
		}
	}
	return files, nil
}

func isLeftOut(name string) bool {
	for _, prefix := range leftOut {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return path.Base(name) == "solution.patch"
}

// lessonOf names the lesson folder a path is in ("lessons/01-echo"), or "".
func lessonOf(name string) string {
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 3 || parts[0] != "lessons" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// packageOf reads the package clause of a Go file.
func packageOf(src []byte) string {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil {
		return "main"
	}
	return file.Name.Name
}

// funcAt names the function that holds the stub of what, for TODO.md.
func funcAt(name string, src []byte, what string) string {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return "in the file"
	}
	found := "in the file"
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Value == fmt.Sprintf("%q", what) {
				found = "func " + fn.Name.Name
				if fn.Recv != nil && len(fn.Recv.List) > 0 {
					found = "method " + fn.Name.Name
				}
			}
			return true
		})
	}
	return found
}

// headings lists the section titles of a markdown file.
func headings(file string) (map[string]bool, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	titles := map[string]bool{}
	inBlock := false // a "# comment" in a console block is no heading
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
		}
		if !inBlock && strings.HasPrefix(line, "#") {
			titles[strings.TrimSpace(strings.TrimLeft(line, "#"))] = true
		}
	}
	return titles, nil
}
