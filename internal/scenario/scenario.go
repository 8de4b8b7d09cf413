// Package scenario runs a lesson's txtar scenarios against that lesson's own
// programs, built fresh from its source, over real loopback sockets.
//
// A lesson's test is one line:
//
//	func TestScenarios(t *testing.T) { scenario.Run(t, scenario.Config{Programs: []string{"server", "client"}}) }
//
// Each program is built with `go build` and put first on the scripts' PATH,
// so `exec server` in a script runs the student's own server/main.go,
// whatever it looks like inside. That is what lets the same scenarios grade
// a rewrite from scratch. The programs are built with the race detector
// when the test runs under it or SOCKETBOOK_RACE=1 asks for it, as the
// grader does; a data race then fails the scenario that provoked it.
//
// Besides testscript's own commands (exec, cmp, stdin, kill, wait, ...), the
// scripts can use the commands listed in commands.go: waitaddr, cmpnorm,
// cmpbin, randfile, proxy, and (conns.go) dial, send, recv, recveof,
// recvreset, recvuntil, closewrite, close and reset for a raw connection
// held open by the script itself, as `nc` would in a terminal. A lesson's
// own commands use Patience, Hang, Fail, Mismatch and Stretch to wait and
// fail the way these do.
//
// A script can also ask, with a "# wire: split merge" line in its opening
// comment, to run again with a proxy between client and server that breaks
// the stream into single bytes or merges writes (see wire.go).
//
// Every script runs under a time limit of its own (see timing.go), and a
// failed one is reported as data (see record.go): the step, what it
// expected and got, the programs' logs, the wire's timeline.
package scenario

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/grade"
)

// Config says what a lesson's scenarios need.
type Config struct {
	// Programs are the lesson's main packages, as folders beside the test
	// ("server", "client"). Scripts run them by their folder's name.
	Programs []string
	// Dir holds the scripts; "testdata" when empty.
	Dir string
	// Cmds adds commands of the lesson's own to the shared ones.
	Cmds map[string]func(ts *testscript.TestScript, neg bool, args []string)
}

// running is how many scripts run at once. Most of a script's time is
// spent waiting on sockets and processes, not on the CPU, so this is well
// above the number of cores, and above the number of scripts in most
// lessons: a lesson whose every script hangs is then reported in about
// one time limit, not one per script.
const running = 32

// Run builds the lesson's programs and runs every script in cfg.Dir, each as
// a subtest named after its file, several at a time.
func Run(t *testing.T, cfg Config) {
	t.Helper()
	dir := cfg.Dir
	if dir == "" {
		dir = "testdata"
	}
	prepare(t, cfg).all(t, dir)
}

// Exercises runs the checks of the lesson's exercises: each folder under
// exercises/ (2-upper-case) is a subtest, with its scripts inside it, run
// like the lesson's own. The workbook comes with its exercises not done,
// so their checks fail until a student does them: they run only when
// SOCKETBOOK_EXERCISES asks, never in a plain `go test ./...`.
//
//	SOCKETBOOK_EXERCISES=2-upper-case go test -run TestExercises .
func Exercises(t *testing.T, cfg Config) {
	t.Helper()
	want := os.Getenv(grade.ExercisesEnv)
	if want == "" {
		t.Skip("the exercises are checked one at a time: go run ./tools/runner -exercise NN/K (or " + grade.ExercisesEnv + "=all go test -run TestExercises .)")
	}
	dirs, err := filepath.Glob(filepath.Join("exercises", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var r *runner
	for _, dir := range dirs {
		scripts, _ := filepath.Glob(filepath.Join(dir, "*.txtar"))
		if len(scripts) == 0 || (want != "all" && want != filepath.Base(dir)) {
			continue
		}
		if r == nil {
			r = prepare(t, cfg)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) { r.all(t, dir) })
	}
	if r == nil && want != "all" {
		t.Fatalf("no exercise %q with check scenarios in exercises/", want)
	}
}

// prepare builds the lesson's programs and gathers the scripts' commands.
func prepare(t *testing.T, cfg Config) *runner {
	t.Helper()
	if runtime.GOOS == "windows" {
		// Go cannot send os.Interrupt to another process on Windows, and
		// the scripts stop their servers that way, as Ctrl-C would.
		t.Skip("the scenarios stop servers with kill -INT (Ctrl-C), which Windows cannot send to a program: run them on Linux or macOS, or in WSL")
	}
	if len(cfg.Programs) == 0 {
		t.Fatal("scenario: Config.Programs names no program to build")
	}
	// The programs are built in a child process, which go test's cache
	// does not watch: read their sources here so that it does.
	inputs, err := grade.Inputs(".", false, packages(cfg.Programs)...)
	if err == nil {
		err = grade.Touch(inputs)
	}
	if err != nil {
		t.Fatal(err)
	}
	race := raceWanted()
	bin := build(t, cfg.Programs, race)
	cmds := commands()
	for name, cmd := range cfg.Cmds {
		cmds[name] = cmd
	}
	for name, cmd := range cmds {
		cmds[name] = remember(cmd)
	}
	return &runner{bin: bin, cmds: cmds, race: race, scale: scale(race)}
}

// all runs every script in dir, and its wire variants, each as a subtest
// named after its file.
func (r *runner) all(t *testing.T, dir string) {
	files, err := withVariants(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	// t.Run may be called from several goroutines at once; this runs the
	// scripts side by side without counting them against -parallel,
	// which defaults to the number of cores.
	var wg sync.WaitGroup
	slots := make(chan struct{}, running)
	for _, file := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			t.Run(scriptName(file), func(t *testing.T) { r.script(t, file, original(dir, file)) })
		}()
	}
	wg.Wait()
}

// packages turns program folders into package patterns.
func packages(programs []string) []string {
	var pkgs []string
	for _, p := range programs {
		pkgs = append(pkgs, "./"+p)
	}
	return pkgs
}

// scriptName is the subtest's name: the file's name without .txtar.
func scriptName(file string) string {
	return strings.TrimSuffix(filepath.Base(file), ".txtar")
}

// runner holds what every script of one Run shares.
type runner struct {
	bin   string // the built programs
	cmds  map[string]func(ts *testscript.TestScript, neg bool, args []string)
	race  bool    // programs built with the race detector
	scale float64 // stretches every time limit
}

// original is the script in dir that file runs: itself, or for a wire
// variant (hello.split.txtar, in a temporary folder) the script it is a
// variant of (hello.txtar).
func original(dir, file string) string {
	if filepath.Dir(file) == filepath.Clean(dir) {
		return file
	}
	name := scriptName(file)
	if i := strings.LastIndex(name, "."); i > 0 {
		name = name[:i]
	}
	return filepath.Join(dir, name+".txtar")
}

// script runs one script, under its own time limit, and reports it.
func (r *runner) script(t *testing.T, file, orig string) {
	head, err := grade.ReadHeader(file)
	if err != nil {
		t.Fatal(err)
	}
	when := newTiming(head.Limit, r.scale, t)
	rec := &record{file: file, orig: orig, name: scriptName(file), when: when}
	raceDir := t.TempDir()
	out := &transcript{}
	defer func() {
		// Runs when the script has ended, however it ended: testscript
		// stops a failed script with t.FailNow.
		rec.finish(t, out.String(), raceDir)
	}()
	testscript.RunT(scriptT{T: t, out: out}, testscript.Params{
		Files:     []string{file},
		Deadline:  when.deadline,
		Cmds:      r.cmds,
		Condition: condition,
		Setup: func(env *testscript.Env) error {
			// The lesson's programs come first, so `exec server` can never
			// pick up some other program called server.
			env.Setenv("PATH", r.bin+string(os.PathListSeparator)+env.Getenv("PATH"))
			if r.race {
				// Race reports go to files of their own, so a scenario
				// that compares a log is not confused by one, and
				// rec.finish can say which program raced, and where.
				// The detector's default pause of a second at exit
				// would cost every scenario a second per program.
				env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0 log_path="+filepath.Join(raceDir, "race")))
			}
			env.Values[recordKey{}] = rec
			c := &conns{}
			env.Values[connsKey{}] = c
			if err := setupWire(env); err != nil {
				return err
			}
			env.Defer(func() {
				c.closeAll()
				// Before testscript stops the programs still running,
				// note them: their logs belong in the report.
				rec.noteBackground()
			})
			return nil
		},
	})
}

// scriptT is the testing.T that testscript sees for one script. It runs
// the script in the subtest that Run made for it, rather than in one more
// nested subtest, and keeps testscript's transcript: rec.finish decides
// what of it to show.
type scriptT struct {
	*testing.T
	out *transcript
}

func (s scriptT) Run(name string, f func(testscript.T)) { f(s) }
func (s scriptT) Parallel()                             {}
func (s scriptT) Verbose() bool                         { return testing.Verbose() }
func (s scriptT) Log(args ...any)                       { s.out.add(fmt.Sprint(args...)) }

// transcript is testscript's log of one script.
type transcript struct {
	mu sync.Mutex
	b  strings.Builder
}

func (tr *transcript) add(s string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.b.WriteString(s)
}

func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.b.String()
}

// build compiles the programs into a fresh folder and returns its path.
func build(t *testing.T, programs []string, race bool) string {
	t.Helper()
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	if race {
		args = append(args, "-race")
	}
	args = append(args, packages(programs)...)
	// `go test` puts its own go command first on PATH, so this is the same
	// Go that runs the test.
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("the lesson's programs do not build (go %s):\n%s", strings.Join(args, " "), out)
	}
	return bin
}

// condition answers the scripts' own conditions, such as [ipv6].
func condition(cond string) (bool, error) {
	switch cond {
	case "ipv6":
		// Some machines and containers have no IPv6 loopback at all.
		ln, err := net.Listen("tcp6", "[::1]:0")
		if err != nil {
			return false, nil
		}
		ln.Close()
		return true, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}
