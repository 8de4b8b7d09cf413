package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// Some commands cannot run in a check: they run the tests themselves, or
// measure for a minute. What they name can still be checked, and should
// be: `go test -run TestScenarios/sequential` after the scenario was
// renamed runs nothing, and passes. names checks the folders a command
// goes to, the packages it runs or builds, the tests, benchmarks and fuzz
// targets it picks, and the lessons and exercises it asks the runner for.
type names struct {
	root    string
	lessons []grade.Lesson
	// here is the folder of the file, from the root: a lesson's text
	// also gives commands to type in the lesson's folder.
	here string
}

// inlineCommand finds a command in a paragraph's code span:
// `go run ./tools/runner -exercise 01/1`.
var inlineCommand = regexp.MustCompile("`((?:go (?:run|test|build) |cd lessons/|SOCKETBOOK_EXERCISES=)[^`]*)`")

// inline checks the commands in the code spans of a file's paragraphs
// (its fenced blocks left out), and returns one problem per name that is
// wrong.
func (n *names) inline(name, text string, blocks []*Block) []string {
	lines := strings.Split(text, "\n")
	for _, b := range blocks {
		for l := b.Line - 1; l <= b.Line+len(b.Body) && l < len(lines); l++ {
			lines[l] = ""
		}
	}
	var problems []string
	for i := 0; i < len(lines); {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		// A span may go on to the next line: read a paragraph at once.
		start := i
		var para []string
		for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
			para = append(para, strings.TrimSpace(lines[i]))
		}
		joined := strings.Join(para, " ")
		for _, m := range inlineCommand.FindAllStringSubmatchIndex(joined, -1) {
			line, end := start+1, len(para[0])
			for k := 1; k < len(para) && end < m[0]; k++ {
				line, end = line+1, end+1+len(para[k])
			}
			cmd := joined[m[2]:m[3]]
			for _, p := range n.command(cmd) {
				problems = append(problems, fmt.Sprintf("%s:%d: `%s`: %s", name, line, cmd, p))
			}
		}
	}
	return problems
}

// command checks what one command line names, typed from the root or,
// if that finds something wrong, from the file's own folder.
func (n *names) command(line string) []string {
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	problems := n.from(".", line)
	if len(problems) > 0 && n.here != "." {
		if len(n.from(n.here, line)) == 0 {
			return nil
		}
	}
	return problems
}

// from checks what a command line names, typed in dir.
func (n *names) from(dir, line string) []string {
	var problems []string
	for _, part := range regexp.MustCompile(`&&|;|\|\|?`).Split(line, -1) {
		words := strings.Fields(strings.NewReplacer("'", "", `"`, "", "(", "", ")", "").Replace(part))
		for len(words) > 0 && strings.Contains(words[0], "=") {
			if v, ok := strings.CutPrefix(words[0], grade.ExercisesEnv+"="); ok && v != "all" {
				problems = append(problems, n.exists(filepath.Join(dir, "exercises", v), "exercise folder")...)
			}
			words = words[1:]
		}
		switch {
		case len(words) >= 2 && words[0] == "cd" && !strings.Contains(words[1], "$"):
			dir = filepath.Join(dir, words[1])
			problems = append(problems, n.exists(dir, "folder")...)
		case len(words) >= 3 && words[0] == "go" && words[1] == "run":
			problems = append(problems, n.goRun(dir, words[2:])...)
		case len(words) >= 2 && words[0] == "go" && (words[1] == "test" || words[1] == "build"):
			problems = append(problems, n.goTest(dir, words[2:])...)
		}
	}
	return problems
}

// goRun checks a go run: the package, and what the runner is asked for.
func (n *names) goRun(dir string, args []string) []string {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		args = args[1:] // go run's own flags, such as -race
	}
	if len(args) == 0 {
		return nil
	}
	pkg, args := args[0], args[1:]
	problems := n.exists(filepath.Join(dir, pkg), "package")
	if filepath.Clean(pkg) != filepath.Join("tools", "runner") {
		return problems
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-exercise" || a == "-answer") && i+1 < len(args):
			i++
			e, err := grade.FindExercise(n.lessons, args[i])
			switch {
			case err != nil:
				problems = append(problems, err.Error())
			case a == "-exercise" && !e.Checked():
				problems = append(problems, fmt.Sprintf("exercise %s has no checks (is it one to try and watch? its model answer: -answer)", args[i]))
			case a == "-answer" && e.Answer() == "":
				problems = append(problems, fmt.Sprintf("exercise %s has no model answer", args[i]))
			}
		case a == "-json" || a == "-format":
			i++ // a file or a format, not a lesson
		case !strings.HasPrefix(a, "-"):
			if _, err := grade.Select(n.lessons, []string{a}); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	return problems
}

// goTest checks a go test (or go build): its packages, and the tests,
// benchmarks and fuzz targets it picks.
func (n *names) goTest(dir string, args []string) []string {
	var problems, pkgs []string
	picks := map[string]string{} // flag → its value
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-run" || a == "-bench" || a == "-fuzz") && i+1 < len(args):
			picks[a] = args[i+1]
			i++
		case a == "-o" || a == "-benchtime" || a == "-count" || a == "-fuzztime":
			i++
		case a == "." || strings.HasPrefix(a, "./"):
			pkgs = append(pkgs, a)
		}
	}
	if len(pkgs) == 0 {
		pkgs = []string{"."}
	}
	for _, pkg := range pkgs {
		problems = append(problems, n.exists(filepath.Join(dir, strings.TrimSuffix(pkg, "...")), "package")...)
	}
	for flag, value := range picks {
		first, rest, _ := strings.Cut(value, "/")
		switch {
		case first == "XXX":
			continue // matches nothing on purpose: benchmarks only
		case flag == "-bench":
			first = "Benchmark" + first
		}
		if !n.declared(dir, pkgs, first) {
			problems = append(problems, fmt.Sprintf("%s %s: no func %s in the tests of %s", flag, value, first, strings.Join(pkgs, " ")))
			continue
		}
		if first == "TestScenarios" && rest != "" {
			problems = append(problems, n.exists(filepath.Join(dir, "testdata", strings.SplitN(rest, ".", 2)[0]+".txtar"), "scenario")...)
		}
		if first == "TestLessons" && rest != "" {
			if _, err := grade.Select(n.lessons, []string{strings.SplitN(rest, "/", 2)[0]}); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	return problems
}

// declared reports whether one of the packages' test files declares the
// func called name.
func (n *names) declared(dir string, pkgs []string, name string) bool {
	decl := regexp.MustCompile(`(?m)^func ` + regexp.QuoteMeta(name) + `\(`)
	for _, pkg := range pkgs {
		files, _ := filepath.Glob(filepath.Join(n.root, dir, strings.TrimSuffix(pkg, "..."), "*_test.go"))
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil && decl.Match(data) {
				return true
			}
		}
	}
	return false
}

// exists says, as a problem, that the path (from the root) is missing.
func (n *names) exists(path, what string) []string {
	if _, err := os.Stat(filepath.Join(n.root, path)); err != nil {
		return []string{fmt.Sprintf("no %s %s", what, path)}
	}
	return nil
}

// testLog finds a line that go test -v prints for a t.Log, which starts
// with the file and line of the call: "    memory_test.go:77: ...".
var testLog = regexp.MustCompile(`^\s+(\w+_test\.go):([0-9]+): `)

// logLine checks a line a block shows under a go test command: if it is
// one that t.Log printed, the line it names must still be a call that
// logs, or the number has moved.
func (n *names) logLine(command, shown string) []string {
	m := testLog.FindStringSubmatch(shown)
	if m == nil {
		return nil
	}
	dir, pkgs := ".", []string{"."}
	for _, part := range strings.Split(command, "&&") {
		words := strings.Fields(part)
		switch {
		case len(words) >= 2 && words[0] == "cd":
			dir = filepath.Join(dir, words[1])
		case len(words) >= 2 && words[0] == "go" && words[1] == "test":
			var given []string
			for _, w := range words[2:] {
				if w == "." || strings.HasPrefix(w, "./") {
					given = append(given, strings.TrimSuffix(w, "..."))
				}
			}
			if len(given) > 0 {
				pkgs = given
			}
		}
	}
	for _, pkg := range pkgs {
		data, err := os.ReadFile(filepath.Join(n.root, dir, pkg, m[1]))
		if err != nil {
			continue
		}
		at, _ := strconv.Atoi(m[2])
		lines := strings.Split(string(data), "\n")
		if at < 1 || at > len(lines) || !logs.MatchString(lines[at-1]) || !strings.Contains(lines[at-1], fixedPart(shown[len(m[0]):])) {
			return []string{fmt.Sprintf("%s:%s is not the call that printed this (the line moved? find it, and its number)", m[1], m[2])}
		}
		return nil
	}
	return []string{fmt.Sprintf("no %s in %s", m[1], filepath.Join(dir, pkgs[0]))}
}

// fixedPart is the start of a logged message that its format string
// holds as it is: up to the first digit, where a verb may have printed.
func fixedPart(message string) string {
	if i := strings.IndexAny(message, "0123456789"); i >= 0 {
		message = message[:i]
	}
	return message
}

// logs finds a call that go test shows with its file and line.
var logs = regexp.MustCompile(`\b[tb]\.(Log|Logf|Error|Errorf|Fatal|Fatalf|Skip|Skipf)\(`)
