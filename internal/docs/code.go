package docs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// quoteOf returns the source that a code note names, as it is in the
// file, and the file it is in. The note is "PATH SYMBOL" or "PATH region
// NAME". PATH, from the workbook's root, is a Go file or a package's
// folder (then the symbol may be in any of its files, so the quote
// survives the code moving between them). SYMBOL is a func, type, var
// or const, or a method as Type.Method, quoted with its doc comment. A
// region is the lines between "// region NAME" and "// endregion NAME"
// in a file, without them.
func quoteOf(root, note string) (src, file string, err error) {
	fields := strings.Fields(note)
	switch {
	case len(fields) == 3 && fields[1] == "region":
		return region(root, fields[0], fields[2])
	case len(fields) != 2:
		return "", "", fmt.Errorf("code: %q: want PATH SYMBOL, or PATH region NAME", note)
	}
	return symbol(root, fields[0], fields[1])
}

// symbol finds the declaration of name in the Go file or package folder
// at path (from root), and returns its source with its doc comment.
func symbol(root, path, name string) (src, file string, err error) {
	files, err := goFiles(filepath.Join(root, path))
	if err != nil {
		return "", "", err
	}
	var found []string
	for _, f := range files {
		s, ok, err := declIn(f, name)
		if err != nil {
			return "", "", err
		}
		if ok {
			src, file = s, f
			found = append(found, f)
		}
	}
	switch len(found) {
	case 0:
		return "", "", fmt.Errorf("%s declares no %s", path, name)
	case 1:
		return src, file, nil
	}
	return "", "", fmt.Errorf("%s declares %s in %d files (%s): name the file", path, name, len(found), strings.Join(found, ", "))
}

// goFiles lists the Go files a path names: the file itself, or the
// package's files in the folder, tests left out.
func goFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	all, err := filepath.Glob(filepath.Join(path, "*.go"))
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	return files, err
}

// declIn returns the source of the declaration of name in one file. A
// bare name finds a func, type, var or const, or a method of any type;
// Type.Method finds that method.
func declIn(file, name string) (string, bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", false, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, data, parser.ParseComments)
	if err != nil {
		return "", false, err
	}
	text := func(doc *ast.CommentGroup, node ast.Node) string {
		start := node.Pos()
		if doc != nil {
			start = doc.Pos()
		}
		return string(data[fset.Position(start).Offset:fset.Position(node.End()).Offset])
	}
	var found []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if full := funcName(d); full == name || d.Name.Name == name {
				found = append(found, text(d.Doc, d))
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch {
				case !declares(spec, name):
				case len(d.Specs) == 1 && !d.Lparen.IsValid():
					found = append(found, text(d.Doc, d))
				default:
					found = append(found, text(specDoc(spec), spec))
				}
			}
		}
	}
	if len(found) > 1 {
		return "", false, fmt.Errorf("%s declares %d things called %s: name a method as Type.Method", file, len(found), name)
	}
	if len(found) == 0 {
		return "", false, nil
	}
	return found[0], true, nil
}

// funcName is a func's name, or a method's as Type.Method.
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if index, ok := t.(*ast.IndexExpr); ok {
		t = index.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

func declares(spec ast.Spec, name string) bool {
	switch s := spec.(type) {
	case *ast.TypeSpec:
		return s.Name.Name == name
	case *ast.ValueSpec:
		for _, n := range s.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

func specDoc(spec ast.Spec) *ast.CommentGroup {
	switch s := spec.(type) {
	case *ast.TypeSpec:
		return s.Doc
	case *ast.ValueSpec:
		return s.Doc
	}
	return nil
}

// region returns the lines between "// region NAME" and "// endregion
// NAME" in the file at path.
func region(root, path, name string) (string, string, error) {
	file := filepath.Join(root, path)
	data, err := os.ReadFile(file)
	if err != nil {
		return "", "", err
	}
	var inside []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(line) {
		case "// region " + name:
			in = true
			continue
		case "// endregion " + name:
			if in {
				return strings.Join(inside, "\n"), file, nil
			}
		}
		if in {
			inside = append(inside, line)
		}
	}
	return "", "", fmt.Errorf("%s has no lines between // region %s and // endregion %s", path, name, name)
}

// symbolLink finds a link from a symbol's name to the file that holds it:
// [`serve`](server/main.go).
var symbolLink = regexp.MustCompile("\\[`([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)?)`\\]\\(([^)#\\s]+\\.go)\\)")

// link finds any link and its target.
var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// checkLinks checks the file's links to files of the workbook: each must
// lead to a file or folder that exists, and a link from a symbol's name
// to a Go file must lead to the file that declares it, so that moving a
// func to another file cannot leave the text pointing at the old one.
// path is where the file is, name how to call it. It returns the
// problems, each as "NAME:LINE: what is wrong", and, by line number, the
// lines with their links to moved symbols led to the file of the same
// folder that now declares each, for -update; those problems are also
// in fixable.
func checkLinks(path, name, text string) (problems, fixable []string, fixed map[int]string) {
	dir := filepath.Dir(path)
	fixed = map[int]string{}
	for i, line := range strings.Split(text, "\n") {
		where := fmt.Sprintf("%s:%d", name, i+1)
		for _, m := range link.FindAllStringSubmatch(line, -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, target)); err != nil {
				problems = append(problems, fmt.Sprintf("%s: the link to %s leads nowhere: %v", where, m[1], err))
			}
		}
		for _, m := range symbolLink.FindAllStringSubmatch(line, -1) {
			file := filepath.Join(dir, m[2])
			if _, err := os.Stat(file); err != nil || strings.HasSuffix(m[1], ".go") {
				continue // a file's name, or a link said above to lead nowhere
			}
			if _, ok, err := declIn(file, m[1]); err == nil && ok {
				continue
			}
			problem := fmt.Sprintf("%s: [`%s`](%s): %s declares no %s", where, m[1], m[2], m[2], m[1])
			if moved := declaredBeside(file, m[1]); moved != "" {
				to := filepath.ToSlash(filepath.Join(filepath.Dir(m[2]), moved))
				problem += fmt.Sprintf("; %s does (go test -update leads the link there)", to)
				fixed[i+1] = strings.ReplaceAll(cut(fixed, i+1, line), m[0], "[`"+m[1]+"`]("+to+")")
				fixable = append(fixable, problem)
				continue
			}
			problems = append(problems, problem+" (link the file that does)")
		}
	}
	return problems, fixable, fixed
}

// cut returns the line as fixed so far, or as it is.
func cut(fixed map[int]string, n int, line string) string {
	if f, ok := fixed[n]; ok {
		return f
	}
	return line
}

// declaredBeside returns the name of the one other Go file in file's
// folder that declares name, or "".
func declaredBeside(file, name string) string {
	others, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "*.go"))
	found := ""
	for _, o := range others {
		if o == file {
			continue
		}
		if _, ok, err := declIn(o, name); err == nil && ok {
			if found != "" {
				return ""
			}
			found = filepath.Base(o)
		}
	}
	return found
}

// compiles checks that a block holding a whole program compiles, and
// passes go vet: it is written to a module of its own and vetted with
// the Go that runs the test.
func compiles(src string) error {
	dir, err := os.MkdirTemp("", "snippet")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module snippet\n\ngo 1.23\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}
