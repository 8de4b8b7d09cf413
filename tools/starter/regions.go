package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// A solution region is marked in the reference by a pair of comments, and
// it is always the end of a function's body, so that a stub can take its
// place with a return:
//
//	func echo(conn net.Conn) error {
//		// Solution: the echo loop (README: "The server, line by line").
//		// Send back every byte until the client closes its side.
//		_, err := io.Copy(conn, conn)
//		return err
//		// End of solution: the echo loop.
//	}
//
// The comment lines right after the first marker say what the code must do;
// the starter keeps them in its TODO. A blank line ends them: comments
// after it explain the solution, and go with it.
var (
	beginMarker = regexp.MustCompile(`^\s*// Solution: (.+) \(README: "([^"]+)"\)\.$`)
	endMarker   = regexp.MustCompile(`^\s*// End of solution: (.+)\.$`)
)

// A region is one marked solution in a file.
type region struct {
	what    string   // "the echo loop"
	section string   // the README section that teaches it
	todo    []string // what the code must do, from the comments after the marker
	begin   int      // line index of the first marker
	end     int      // line index of the second
	code    []string // the lines between the markers, comments after the marker left out
}

// findRegions finds the marked regions of a Go file; name is for errors.
func findRegions(name string, src []byte) ([]region, error) {
	lines := strings.Split(string(src), "\n")
	var regions []region
	var open *region
	for i, line := range lines {
		if m := beginMarker.FindStringSubmatch(line); m != nil {
			if open != nil {
				return nil, fmt.Errorf("%s:%d: a solution starts inside %q, which started at line %d and has not ended", name, i+1, open.what, open.begin+1)
			}
			open = &region{what: m[1], section: m[2], begin: i}
			continue
		}
		if m := endMarker.FindStringSubmatch(line); m != nil {
			switch {
			case open == nil:
				return nil, fmt.Errorf("%s:%d: the end of %q, but no solution started", name, i+1, m[1])
			case m[1] != open.what:
				return nil, fmt.Errorf("%s:%d: the end of %q, but %q started at line %d", name, i+1, m[1], open.what, open.begin+1)
			}
			open.end = i
			regions = append(regions, *open)
			open = nil
			continue
		}
		if open != nil {
			// The comment lines right after the marker say what to do; a
			// blank line or code ends them, and what follows is the answer.
			trimmed := strings.TrimSpace(line)
			if len(open.code) == 0 && strings.HasPrefix(trimmed, "//") {
				open.todo = append(open.todo, strings.TrimSpace(strings.TrimPrefix(trimmed, "//")))
			} else {
				open.code = append(open.code, line)
			}
		} else if t := strings.TrimSpace(line); strings.HasPrefix(t, "// Solution:") || strings.HasPrefix(t, "// End of solution") {
			return nil, fmt.Errorf("%s:%d: this looks like a solution marker but is not spelled as one: %s", name, i+1, strings.TrimSpace(line))
		}
	}
	if open != nil {
		return nil, fmt.Errorf("%s:%d: the solution %q never ends: end it with %q", name, open.begin+1, open.what, "// End of solution: "+open.what+".")
	}
	return regions, nil
}

// stubs says which stand-ins a stubbed package needs.
type stubs struct{ notWritten, sayNotWritten bool }

// stubRegions replaces each region of the file with a TODO and a stub
// that returns, and drops the imports only the removed code used.
func stubRegions(name string, src []byte, regions []region) ([]byte, stubs, error) {
	var need stubs
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, need, err
	}
	lines := strings.Split(string(src), "\n")
	var out []string
	next := 0
	for _, r := range regions {
		fn, closing := enclosingFunc(fset, file, r.begin+1)
		if fn == nil {
			return nil, need, fmt.Errorf("%s:%d: the solution %q is not inside a function", name, r.begin+1, r.what)
		}
		// Only blank lines may come between the end marker and the brace.
		for i := r.end + 1; i < closing-1; i++ {
			if strings.TrimSpace(lines[i]) != "" {
				return nil, need, fmt.Errorf("%s:%d: the solution %q must end its function, so a stub can return in its place; move the end marker after line %d", name, r.end+1, r.what, i+1)
			}
		}
		indent := lines[r.begin][:len(lines[r.begin])-len(strings.TrimLeft(lines[r.begin], " \t"))]
		out = append(out, lines[next:r.begin]...)
		out = append(out, indent+fmt.Sprintf("// TODO: write %s; the README's section %q shows how.", r.what, r.section))
		for _, t := range r.todo {
			out = append(out, indent+"// "+t)
		}
		stub, say := stubReturn(fn, r)
		if say {
			need.sayNotWritten = true
		} else {
			need.notWritten = true
		}
		out = append(out, indent+stub)
		next = r.end + 1
	}
	out = append(out, lines[next:]...)
	stubbed, err := dropUnusedImports(name, []byte(strings.Join(out, "\n")))
	if err != nil {
		return nil, need, err
	}
	formatted, err := format.Source(stubbed)
	if err != nil {
		return nil, need, fmt.Errorf("%s: the stubbed file does not parse: %w", name, err)
	}
	return formatted, need, nil
}

// enclosingFunc finds the innermost function (declared or literal) whose
// body holds the line, and the line of its closing brace.
func enclosingFunc(fset *token.FileSet, file *ast.File, line int) (*ast.FuncType, int) {
	var typ *ast.FuncType
	closing := 0
	ast.Inspect(file, func(n ast.Node) bool {
		var t *ast.FuncType
		var body *ast.BlockStmt
		switch f := n.(type) {
		case *ast.FuncDecl:
			t, body = f.Type, f.Body
		case *ast.FuncLit:
			t, body = f.Type, f.Body
		default:
			return true
		}
		if body == nil {
			return true
		}
		from, to := fset.Position(body.Lbrace).Line, fset.Position(body.Rbrace).Line
		if from < line && line < to {
			typ, closing = t, to // inner functions come later and win
		}
		return true
	})
	return typ, closing
}

// stubReturn writes the statement that stands in for the region: it
// returns the "not written yet" error where the function returns an error,
// and otherwise prints it. say reports whether it prints.
func stubReturn(fn *ast.FuncType, r region) (stmt string, say bool) {
	call := fmt.Sprintf("notWritten(%s, %s)", strconv.Quote(r.what), strconv.Quote(r.section))
	var results []ast.Expr
	if fn.Results != nil {
		for _, field := range fn.Results.List {
			for range max(1, len(field.Names)) {
				results = append(results, field.Type)
			}
		}
	}
	if len(results) == 0 {
		return "say" + strings.ToUpper(call[:1]) + call[1:], true
	}
	var values []string
	for _, t := range results[:len(results)-1] {
		values = append(values, zero(t))
	}
	last := results[len(results)-1]
	if id, ok := last.(*ast.Ident); ok && id.Name == "error" {
		return "return " + strings.Join(append(values, call), ", "), false
	}
	values = append(values, zero(last))
	return "say" + strings.ToUpper(call[:1]) + call[1:] + "\n" + "return " + strings.Join(values, ", "), true
}

// zero spells the zero value of a type as a reader would.
func zero(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		switch t.Name {
		case "string":
			return `""`
		case "bool":
			return "false"
		case "error", "any":
			return "nil"
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
			"uintptr", "byte", "rune", "float32", "float64":
			return "0"
		}
	case *ast.StarExpr, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		if a, ok := t.(*ast.ArrayType); !ok || a.Len == nil {
			return "nil"
		}
	}
	var b bytes.Buffer
	_ = format.Node(&b, token.NewFileSet(), t) // a type parsed from source always prints
	return "*new(" + b.String() + ")"
}

// dropUnusedImports deletes the import lines whose package the file no
// longer uses, as goimports would, so the stubbed file still compiles.
func dropUnusedImports(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: the stubbed file does not parse: %w", name, err)
	}
	used := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	drop := map[int]bool{}
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		local := packageName(path)
		if spec.Name != nil {
			local = spec.Name.Name
		}
		if local == "_" || local == "." || used[local] {
			continue
		}
		drop[fset.Position(spec.Pos()).Line-1] = true
	}
	lines := strings.Split(string(src), "\n")
	var kept []string
	for i, line := range lines {
		if !drop[i] {
			kept = append(kept, line)
		}
	}
	return []byte(strings.Join(kept, "\n")), nil
}

// packageName guesses an import's name from its path, as the go tool's
// convention has it: the last element, a major version suffix (v2) aside.
func packageName(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && majorVersion.MatchString(last) {
		last = elems[len(elems)-2]
	}
	if i := strings.Index(last, "."); i > 0 {
		last = last[:i] // gopkg.in/yaml.v3 is package yaml
	}
	return last
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)
