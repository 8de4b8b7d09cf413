// Package scenario runs a lesson's txtar scenarios against that lesson's own
// programs, built fresh from its source, over real loopback sockets.
//
// A lesson's test is one line:
//
//	func TestScenarios(t *testing.T) { scenario.Run(t, scenario.Config{Programs: []string{"server", "client"}}) }
//
// Each program is built with `go build` (with -race when the test runs under
// the race detector) and put first on the scripts' PATH, so `exec server` in
// a script runs the student's own server/main.go, whatever it looks like
// inside. That is what lets the same scenarios grade a rewrite from scratch.
//
// Besides testscript's own commands (exec, cmp, stdin, kill, wait, ...), the
// scripts can use the commands listed in commands.go: waitaddr, cmpnorm,
// cmpbin, randfile, and dial/send/recv/recveof/closewrite/close/reset for a
// raw connection held open by the script itself, as `nc` would in a terminal.
//
// A script can also ask, with a "# wire: split merge" line in its opening
// comment, to run again with a proxy between client and server that breaks
// the stream into single bytes or merges writes (see wire.go).
package scenario

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
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
	// Limit bounds the whole run; DefaultLimit when zero. A server that never
	// exits would otherwise hang `wait` until go test's own ten-minute
	// panic. Past the limit, every program still running is stopped and
	// the scenario waiting on it fails with the program's output.
	Limit time.Duration
}

// DefaultLimit is long enough for every lesson under the race detector on a
// slow two-core machine, and short enough that a hung scenario is reported
// by name rather than by go test's stack dump.
const DefaultLimit = 5 * time.Minute

// Run builds the lesson's programs and runs every script in cfg.Dir, each as
// a parallel subtest named after its file.
func Run(t *testing.T, cfg Config) {
	t.Helper()
	bin := build(t, cfg.Programs)
	cmds := commands()
	for name, cmd := range cfg.Cmds {
		cmds[name] = cmd
	}
	var started programs
	for name, cmd := range cmds {
		cmds[name] = watch(&started, cmd)
	}
	dir := cfg.Dir
	if dir == "" {
		dir = "testdata"
	}
	limit := cfg.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	start := time.Now()
	deadline := start.Add(limit)
	if d, ok := t.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	// Past the deadline, whatever still runs is killed, even a program
	// that ignores the signals testscript sends first.
	stopper := time.AfterFunc(time.Until(deadline), started.killAll)
	t.Cleanup(func() { stopper.Stop() })
	when := timing{limit: limit, end: stopsAt(start, deadline)}
	files, err := withVariants(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	testscript.RunT(shortLog{t}, testscript.Params{
		Files:               files,
		Deadline:            deadline,
		Cmds:                cmds,
		Condition:           condition,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// The lesson's programs come first, so `exec server` can never
			// pick up some other program called server.
			env.Setenv("PATH", bin+string(os.PathListSeparator)+env.Getenv("PATH"))
			c := &conns{}
			env.Values[connsKey{}] = c
			env.Values[timingKey{}] = when
			ref := &scriptRef{}
			env.Values[scriptKey{}] = ref
			if err := setupWire(env); err != nil {
				return err
			}
			env.Defer(func() {
				c.closeAll()
				// testscript interrupts the programs still running after
				// this; the ones that will not stop are killed later.
				if ref.ts != nil {
					killLater(started.note(ref.ts))
				}
			})
			return nil
		},
	})
}

// stopsAt is when testscript starts stopping a run's programs: it keeps
// two grace periods of 5% of the time (at least 100ms each) before the
// deadline to stop them and report.
func stopsAt(start, deadline time.Time) time.Time {
	grace := deadline.Sub(start) / 20
	if grace < 100*time.Millisecond {
		grace = 100 * time.Millisecond
	}
	return deadline.Add(-2 * grace)
}

// build compiles the programs into a fresh folder and returns its path.
func build(t *testing.T, programs []string) string {
	t.Helper()
	if len(programs) == 0 {
		t.Fatal("scenario: Config.Programs names no program to build")
	}
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	if raceEnabled {
		args = append(args, "-race")
	}
	for _, p := range programs {
		args = append(args, "./"+p)
	}
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
