package docs

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/socketbook/socketbook/internal/grade"
	"github.com/socketbook/socketbook/internal/scenario"
)

// Updated starts each line the checker prints for something it rewrote.
const Updated = "updated "

// running is how many blocks run at once. A block mostly waits on its
// programs and sockets, not on the CPU.
const running = 8

// limit is how long one wait of a block may take (a command to end, a
// server to listen, a log line to come), before the machine's load
// stretches it. The slowest commands shown wait five seconds on purpose.
const limit = 20 * time.Second

// checker holds what every file's check shares.
type checker struct {
	root    string
	update  bool
	progs   map[string]*Program // by package, as go run names it
	prelude string              // the shell code each command runs after
	limit   time.Duration

	mu    sync.Mutex
	edits map[string][]edit // by file, in update mode
}

// An edit replaces lines from to to (counted from 1, both included; to
// is from-1 to insert) of a file, in update mode.
type edit struct {
	from, to int
	lines    []string // the new lines, without indent
	indent   string   // the block's indentation, put back on each line
	what     string   // what was rewritten, to say so
}

func (c *checker) edit(file string, e edit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.edits[file] = append(c.edits[file], e)
}

// Options say what Check checks, and how.
type Options struct {
	Root  string   // the workbook's root
	Files []string // the markdown files, from the root (or absolute)
	// Update rewrites what differs in the files (what programs printed,
	// the code they quote) instead of failing, and prints what it
	// rewrote. Never by default: the text is the contract.
	Update bool
	// Limit is how long one wait of a block may take before it counts as
	// a hang; zero means a default long enough for the slowest command
	// shown, stretched on a busy machine.
	Limit time.Duration
}

// Check checks the markdown files against the workbook, one subtest per
// file and one per block in it:
//
//   - every block of commands (console, sh) and every Go block has a
//     note that says how it is checked, or why it is not;
//   - a checked console block runs, with the programs built from source,
//     and each command must print what the block shows under it (and a
//     text block noted as a program's log, what that program logged);
//   - a Go block noted as code must be the source it names, byte for
//     byte, and a Go block noted as checked must compile;
//   - every link to a file of the workbook must lead to one, and a link
//     from a symbol's name to a Go file to the file that declares it.
//
// See doc.go for the notes.
func Check(t *testing.T, opts Options) {
	c := &checker{root: opts.Root, update: opts.Update, limit: opts.Limit, edits: map[string][]edit{}}
	if c.limit == 0 {
		c.limit = scenario.Stretched(limit)
	}
	docs := map[string][]*Block{}
	var all []*Block
	for _, name := range opts.Files {
		blocks, err := ReadFile(c.path(name), name)
		if err != nil {
			t.Error(err)
			continue
		}
		docs[name] = blocks
		all = append(all, blocks...)
	}
	canRun := runnable()
	if canRun == "" {
		progs, err := c.build(t, all)
		if err != nil {
			t.Fatal(err)
		}
		c.progs, c.prelude = progs, prelude(progs)
	}
	for _, name := range opts.Files {
		blocks, ok := docs[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) { c.file(t, name, blocks, canRun) })
	}
	if c.update {
		if err := c.apply(); err != nil {
			t.Error(err)
		}
	}
}

// path is where a file named to the checker is.
func (c *checker) path(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(c.root, name)
}

// runnable says why blocks cannot run here, or "" when they can: they
// are sessions of bash on Linux, where the READMEs' transcripts come
// from (ss, /proc, the kernel's own error messages).
func runnable() string {
	if runtime.GOOS != "linux" {
		return "the READMEs' terminal sessions are Linux's (bash, /dev/tcp, ss): they are checked on Linux"
	}
	if _, err := exec.LookPath("bash"); err != nil {
		return "the READMEs' terminal sessions need bash, which is not installed"
	}
	return ""
}

// build builds every program that a checked block runs with go run.
func (c *checker) build(t *testing.T, blocks []*Block) (map[string]*Program, error) {
	var texts []string
	for _, b := range blocks {
		if b.Note == nil || b.Note.Kind != Checked || !b.Runs() {
			continue
		}
		texts = append(texts, b.Body...)
		texts = append(texts, b.Note.Text)
	}
	bin := t.TempDir()
	return build(c.root, bin, packagesRun(texts))
}

// file checks one markdown file.
func (c *checker) file(t *testing.T, name string, blocks []*Block, canRun string) {
	text, err := os.ReadFile(c.path(name))
	if err != nil {
		t.Fatal(err)
	}
	problems, fixable, fixed := checkLinks(c.path(name), name, string(text))
	if c.update {
		for n, line := range fixed {
			c.edit(name, edit{from: n, to: n, lines: []string{line}, what: fmt.Sprintf("%s:%d: a link to a symbol that moved", name, n)})
		}
	} else {
		problems = append(problems, fixable...)
	}
	for _, problem := range problems {
		t.Error(problem)
	}
	lessons, err := grade.Lessons(c.root)
	if err != nil {
		t.Fatal(err)
	}
	here, err := filepath.Rel(c.root, filepath.Dir(c.path(name)))
	if err != nil || strings.HasPrefix(here, "..") {
		here = "."
	}
	n := &names{root: c.root, lessons: lessons, here: here}
	for _, problem := range n.inline(name, string(text), blocks) {
		t.Error(problem)
	}
	var runs []*run
	var notChecked []string
	checked, named, commands := 0, 0, 0
	for i, b := range blocks {
		if b.Runs() {
			commands++
		}
		switch {
		case b.Note == nil && (b.Runs() || b.Lang == "go"):
			t.Errorf("%s: a %s block with no note: say how it is checked (<!-- check -->, <!-- code: PATH SYMBOL -->) or why it is not (<!-- not checked: REASON -->); see internal/docs/doc.go", b.Where(), b.Lang)
		case b.Note == nil:
		case b.Note.Kind == NotChecked:
			if b.Note.Text == "" {
				t.Errorf("%s: \"not checked\" needs a reason a reader would accept: <!-- not checked: needs a browser -->", b.Where())
			}
			if b.Runs() {
				notChecked = append(notChecked, fmt.Sprintf("%d (%s)", b.Line, b.Note.Text))
			}
		case b.Note.Kind == CheckNames:
			named++
			if b.Note.Text == "" {
				t.Errorf("%s: \"check names\" needs the reason the block does not run: <!-- check names: runs the lesson's tests -->", b.Where())
			}
			c.names(t, n, b)
		case b.Note.Kind == Code:
			t.Run(fmt.Sprint(b.Line), func(t *testing.T) { c.quote(t, b) })
		case b.Lang == "go":
			t.Run(fmt.Sprint(b.Line), func(t *testing.T) {
				if err := compiles(strings.Join(b.Body, "\n") + "\n"); err != nil {
					t.Errorf("%s: this program does not compile: %v", b.Where(), err)
				}
			})
		case b.Runs():
			checked++
			r, err := c.plan(b, blocks[i+1:])
			if err != nil {
				t.Errorf("%s: %v", b.Where(), err)
				continue
			}
			runs = append(runs, r)
		default:
			if p, err := readPlan(b.Note.Text); err != nil || p.logOf == "" {
				t.Errorf("%s: a %s block is checked only as a program's log: <!-- check: log of server --> under a checked console block", b.Where(), b.Lang)
			}
		}
	}
	c.runAll(t, runs, canRun)
	t.Logf("%s: %d blocks of commands: %d run and compared, %d not run but the names they give checked, %d not checked; by line: %s",
		name, commands, checked, named, len(notChecked), strings.Join(notChecked, "; "))
}

// plan reads how a checked block runs, and picks up the text blocks
// after it that show a program's log.
func (c *checker) plan(b *Block, after []*Block) (*run, error) {
	p, err := readPlan(b.Note.Text)
	if err != nil {
		return nil, err
	}
	if p.logOf != "" {
		return nil, fmt.Errorf("log of: only a text block can be a program's log")
	}
	cmds, err := commands(b, p)
	if err != nil {
		return nil, err
	}
	r := &run{c: c, block: b, plan: p, cmds: cmds}
	for _, next := range after {
		if next.Runs() || next.Lang == "go" {
			break
		}
		if next.Note == nil || next.Note.Kind != Checked {
			continue
		}
		lp, err := readPlan(next.Note.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", next.Where(), err)
		}
		r.logs = append(r.logs, &logBlock{block: next, of: lp.logOf})
	}
	return r, nil
}

// runAll runs the blocks, several at a time, each as a subtest named
// after its line.
func (c *checker) runAll(t *testing.T, runs []*run, canRun string) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, running)
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			t.Run(fmt.Sprint(r.block.Line), func(t *testing.T) {
				if canRun != "" {
					t.Skip(canRun)
				}
				if why := missing(r.plan.needs); why != "" {
					t.Skip(why)
				}
				r.t = t
				r.dir = workDir(t, c.root)
				r.addrs = newAddresses(r.dir)
				r.do()
			})
		}()
	}
	wg.Wait()
}

// missing says what the block needs that this machine lacks, or "".
func missing(needs []string) string {
	for _, n := range needs {
		switch {
		case n == "linux":
			if runtime.GOOS != "linux" {
				return "needs Linux"
			}
		case n == "ipv6":
			if !ipv6() {
				return "needs an IPv6 loopback address, which this machine lacks"
			}
		case strings.HasPrefix(n, "/"):
			if _, err := os.Stat(n); err != nil {
				return "needs " + n + ", which this machine lacks"
			}
		default:
			if _, err := exec.LookPath(n); err != nil {
				return "needs " + n + ", which is not installed"
			}
		}
	}
	return ""
}

// workDir makes the folder a block runs in: a stand-in for the root of
// the repository, where the READMEs' commands are typed. The workbook's
// own files and folders are links to the real ones; what a block writes
// (copy.txt, page.html) stays in the folder. Its path is short, for unix
// sockets, whose paths are limited to about a hundred bytes.
func workDir(t *testing.T, root string) string {
	dir, err := os.MkdirTemp("", "sbdoc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// names checks the names a block of commands gives, as it is not run.
// A line that go test printed for a t.Log, under its command, names a
// line of the test, which must still be the call.
func (c *checker) names(t *testing.T, n *names, b *Block) {
	command := ""
	for i, line := range b.Body {
		text, ok := strings.CutPrefix(line, "$ ")
		if !ok && b.Lang != "console" {
			text, ok = line, true
		}
		if !ok {
			for _, p := range n.logLine(command, line) {
				t.Errorf("%s:%d: %s", b.File, b.Line+1+i, p)
			}
			continue
		}
		command = text
		for _, p := range n.command(text) {
			t.Errorf("%s:%d: `%s`: %s", b.File, b.Line+1+i, text, p)
		}
	}
}

// quote checks a Go block against the source its note names.
func (c *checker) quote(t *testing.T, b *Block) {
	src, file, err := quoteOf(c.root, b.Note.Text)
	if err != nil {
		t.Fatalf("%s: %v", b.Where(), err)
	}
	want := strings.Split(src, "\n")
	got := b.Body
	if strings.Join(got, "\n") == src {
		return
	}
	rel, _ := filepath.Rel(c.root, file)
	if c.update {
		c.edit(b.File, edit{from: b.Line + 1, to: b.Line + len(b.Body), lines: want, indent: b.Indent,
			what: fmt.Sprintf("%s: the code quoted from %s", b.Where(), rel)})
		return
	}
	t.Errorf("%s: the code differs from %s (%s); go test -update rewrites it:\n%s", b.Where(), rel, b.Note.Text,
		diff.Diff("README", []byte(strings.Join(got, "\n")+"\n"), rel, []byte(src+"\n")))
}

// apply writes the edits into their files, and says what it rewrote.
func (c *checker) apply() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.edits))
	for name := range c.edits {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		edits := c.edits[name]
		path := c.path(name)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		// From the bottom up, so that the line numbers above stay true.
		sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
		for _, e := range edits {
			var repl []string
			for _, l := range e.lines {
				if l != "" {
					l = e.indent + l
				}
				repl = append(repl, l)
			}
			lines = append(lines[:e.from-1], append(repl, lines[e.to:]...)...)
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			return err
		}
		sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
		for _, e := range edits {
			fmt.Println(Updated + e.what)
		}
	}
	return nil
}

// ipv6 reports whether this machine has an IPv6 loopback address.
func ipv6() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
