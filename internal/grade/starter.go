package grade

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A starter edition of the workbook (tools/starter) leaves the pieces a
// lesson is about for the student to write: each is a stub that calls
// notWritten("the echo loop", "The server, line by line"), and the
// lesson's TODO.md lists them all. The runner reads both to greet a
// student with what is left instead of a wall of failing transcripts.

// StarterFile marks the root of a starter edition; its text tells the
// student how to begin.
const StarterFile = "STARTER.md"

// IsStarter reports whether root is a starter edition rather than the
// reference with every solution in it.
func IsStarter(root string) bool {
	_, err := os.Stat(filepath.Join(root, StarterFile))
	return err == nil
}

// A Piece is one part of a lesson that a starter left to write.
type Piece struct {
	What    string // "the echo loop"
	Section string // the README section that teaches it
	File    string // the stub's file, from the lesson's folder
	Line    int
}

// stubFuncs are the functions a stub calls; the starter writes them.
var stubFuncs = map[string]bool{"notWritten": true, "sayNotWritten": true}

// NotWritten lists the pieces of the lesson that are still stubs: the calls
// of notWritten or sayNotWritten with two quoted strings in its programs'
// Go files (tests, testdata and exercises aside). Each file is parsed, not
// searched, so a comment that mentions notWritten does not count.
func NotWritten(l Lesson) ([]Piece, error) {
	var pieces []Piece
	fset := token.NewFileSet()
	err := filepath.WalkDir(l.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != l.Dir && (d.Name() == "testdata" || d.Name() == "exercises" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil // a file that does not parse is go build's to report
		}
		rel, _ := filepath.Rel(l.Dir, path)
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); !ok || !stubFuncs[fn.Name] {
				return true
			}
			what, ok1 := quoted(call.Args[0])
			section, ok2 := quoted(call.Args[1])
			if ok1 && ok2 {
				line := fset.Position(call.Pos()).Line
				pieces = append(pieces, Piece{What: what, Section: section, File: filepath.ToSlash(rel), Line: line})
			}
			return true
		})
		return nil
	})
	return pieces, err
}

// quoted returns the value of a string literal.
func quoted(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// todoItem matches a piece in a lesson's TODO.md: "- [ ] the echo loop: ...".
var todoItem = regexp.MustCompile(`(?m)^- \[[ xX]\] `)

// StarterPieces counts the pieces the starter left in the lesson, from its
// TODO.md; 0 when the lesson has none (it is the reference, or it was
// left whole).
func StarterPieces(l Lesson) int {
	text, err := os.ReadFile(filepath.Join(l.Dir, "TODO.md"))
	if err != nil {
		return 0
	}
	return len(todoItem.FindAll(text, -1))
}

// NotWrittenMessage says in one line which pieces are still stubs.
func NotWrittenMessage(pieces []Piece) string {
	var parts []string
	for _, p := range pieces {
		parts = append(parts, p.What+` (README: "`+p.Section+`", `+p.File+":"+strconv.Itoa(p.Line)+")")
	}
	return notWrittenYet + strings.Join(parts, "; ")
}

// notWrittenYet starts the reason of a scenario that did not run because
// the lesson's pieces are stubs: it ran through no proxy, nor anything else.
const notWrittenYet = "not written yet: "
