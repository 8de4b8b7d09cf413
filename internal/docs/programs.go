package docs

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/socketbook/socketbook/internal/grade"
)

// A Program is one of the workbook's programs that a block runs with
// `go run`, built once from its source.
type Program struct {
	Pkg  string // as the blocks name it: ./lessons/01-echo/server
	Name string // its folder's name: server
	Path string // the built binary
	// Addr is the default of its -addr flag (127.0.0.1:1234), empty if it
	// has none: a command that leaves -addr out talks to this address.
	Addr string
	// Listens is set for a program with an -addrfile flag: a server, which
	// prints "listening on ADDR" once it accepts connections.
	Listens bool
}

// goRun finds `go run ./PKG` in a command.
var goRun = regexp.MustCompile(`\bgo run (\./[\w./-]+)`)

// packagesRun lists the packages that the commands run with go run.
func packagesRun(commands []string) []string {
	seen := map[string]bool{}
	for _, c := range commands {
		for _, m := range goRun.FindAllStringSubmatch(c, -1) {
			seen[strings.TrimSuffix(m[1], "/")] = true
		}
	}
	pkgs := make([]string, 0, len(seen))
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs
}

// build compiles the packages (paths from root, such as
// ./lessons/01-echo/server) into bin, one `go build` per module, and
// makes the test cache watch their sources: go build runs in a child
// process, which the cache cannot see.
func build(root, bin string, pkgs []string) (map[string]*Program, error) {
	byModule := map[string][]string{}
	for _, pkg := range pkgs {
		mod, err := moduleOf(root, pkg)
		if err != nil {
			return nil, err
		}
		byModule[mod] = append(byModule[mod], pkg)
	}
	progs := map[string]*Program{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, len(byModule))
	for mod, list := range byModule {
		wg.Add(1)
		go func() {
			defer wg.Done()
			built, err := buildModule(root, bin, mod, list)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, p := range built {
				progs[p.Pkg] = p
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return progs, nil
}

// moduleOf returns the folder, relative to root, of the module that holds
// pkg: the nearest folder above it with a go.mod.
func moduleOf(root, pkg string) (string, error) {
	dir := filepath.Clean(pkg)
	for {
		if _, err := os.Stat(filepath.Join(root, dir, "go.mod")); err == nil {
			return dir, nil
		}
		if dir == "." {
			return "", fmt.Errorf("go run %s: no such package in the workbook", pkg)
		}
		dir = filepath.Dir(dir)
	}
}

// buildModule builds the packages of one module into a folder of their
// own (the lessons' programs share names), and reads each one's flags.
func buildModule(root, bin, mod string, pkgs []string) ([]*Program, error) {
	dir := filepath.Join(root, mod)
	out := filepath.Join(bin, strings.ReplaceAll(mod, string(filepath.Separator), "_"))
	var rel []string
	for _, pkg := range pkgs {
		r, err := filepath.Rel(mod, filepath.Clean(pkg))
		if err != nil {
			return nil, err
		}
		rel = append(rel, "./"+filepath.ToSlash(r))
	}
	inputs, err := grade.Inputs(dir, false, rel...)
	if err == nil {
		err = grade.Touch(inputs)
	}
	if err != nil {
		return nil, err
	}
	args := append([]string{"build", "-o", out + string(filepath.Separator)}, rel...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("the programs the READMEs run do not build (in %s: go %s):\n%s", mod, strings.Join(args, " "), msg)
	}
	var progs []*Program
	for i, pkg := range pkgs {
		name := filepath.Base(rel[i])
		p := &Program{Pkg: pkg, Name: name, Path: filepath.Join(out, name)}
		p.readFlags()
		progs = append(progs, p)
	}
	return progs, nil
}

// flagLine and defaultValue read the flags' list that Go's flag package
// prints for -h: "  -addr string" and, under it, `(default "...")`.
var (
	flagLine     = regexp.MustCompile(`^\s+-([\w-]+)`)
	defaultValue = regexp.MustCompile(`\(default "([^"]*)"\)`)
)

// readFlags learns the program's -addr default and whether it listens,
// from what it prints for -h. A program without those flags has neither.
func (p *Program) readFlags() {
	out, _ := exec.Command(p.Path, "-h").CombinedOutput()
	current := ""
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
		if m := flagLine.FindStringSubmatch(line); m != nil && strings.HasPrefix(strings.TrimSpace(line), "-") {
			current = m[1]
			if current == "addrfile" {
				p.Listens = true
			}
		}
		if m := defaultValue.FindStringSubmatch(line); m != nil && current == "addr" {
			p.Addr = m[1]
		}
	}
}

// prelude is the shell code every block runs after: a function go that
// runs the built programs for `go run ./PKG`, and says "exit status N"
// after one that fails, as go run does. Ctrl-C is for the programs: the
// shell itself only notes it (a shell that took it might end before the
// program it runs has cleanly stopped), as go run does too.
func prelude(progs map[string]*Program) string {
	var b strings.Builder
	b.WriteString("trap : INT\n")
	b.WriteString("go() {\n")
	b.WriteString("\tif [ \"$1\" != run ]; then echo \"go $1: the docs check runs only go run of the workbook's programs\" >&2; return 127; fi\n")
	b.WriteString("\tlocal pkg=${2%/}\n\tshift 2\n\tcase $pkg in\n")
	pkgs := make([]string, 0, len(progs))
	for pkg := range progs {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		fmt.Fprintf(&b, "\t%s) sb_run %s \"$@\" ;;\n", pkg, quote(progs[pkg].Path))
	}
	b.WriteString("\t*) echo \"go run $pkg: not a program the docs check built\" >&2; return 127 ;;\n\tesac\n}\n")
	b.WriteString(`sb_run() {
	"$@"
	local status=$?
	case $status in
	0) ;;
	130) echo "signal: interrupt" >&2 ;;
	*) echo "exit status $status" >&2 ;;
	esac
	return $status
}
`)
	return b.String()
}

// quote quotes s for the shell.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
