package docs_test

import (
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/socketbook/socketbook/internal/docs"
	"github.com/socketbook/socketbook/internal/grade"
)

// These tests check a markdown file of their own in a child process (the
// test binary again, running TestCheckOne), and read what it printed, as
// a contributor reads go test's output.

// TestCheckOne checks the one file that SOCKETBOOK_DOCS_FILE names, for
// the tests below.
func TestCheckOne(t *testing.T) {
	file := os.Getenv("SOCKETBOOK_DOCS_FILE")
	if file == "" {
		t.Skip("run by the tests of this file, in a child process")
	}
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	limit, _ := time.ParseDuration(os.Getenv("SOCKETBOOK_DOCS_LIMIT"))
	update := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	docs.Check(t, docs.Options{Root: root, Files: []string{file}, Update: update, Limit: limit})
}

// check writes text to a README.md of its own, checks it in a child
// process, and returns the file, what the check printed, and whether it
// passed.
func check(t *testing.T, text string, args ...string) (file, out string, passed bool) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the blocks run on Linux")
	}
	file = filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, passed = again(t, file, args...)
	return file, out, passed
}

// again checks file once more, and returns what the check printed and
// whether it passed.
func again(t *testing.T, file string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestCheckOne$", "-test.v"}, args...)...)
	cmd.Env = append(os.Environ(), "SOCKETBOOK_DOCS_FILE="+file, "SOCKETBOOK_DOCS_LIMIT=3s")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func TestADriftingBlockFailsWithItsLineAndADiff(t *testing.T) {
	file, out, passed := check(t, "# Drift\n\n<!-- check -->\n```console\n$ go run ./lessons/01-echo/client -port 1234\nclient: flag provided but not defined: -port (see client -h)\n```\n")
	if passed {
		t.Fatalf("a block that leaves out go run's exit status passed:\n%s", out)
	}
	for _, want := range []string{
		file + ":5: `go run ./lessons/01-echo/client -port 1234`: what it printed differs from what the block shows",
		"+exit status 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the failure does not say %q:\n%s", want, out)
		}
	}
}

func TestATrueBlockPasses(t *testing.T) {
	// The ports are the usual ones, the ones the check uses are free
	// ones, and the client's port in the log is the kernel's. The usual
	// port is taken here (unless something else has it already), so that
	// a check that ran the programs on it would fail.
	if ln, err := net.Listen("tcp", "127.0.0.1:1234"); err == nil {
		defer ln.Close()
	}
	_, out, passed := check(t, "# True\n\n"+
		"<!-- check: with go run ./lessons/01-echo/server -->\n```console\n$ go run ./lessons/01-echo/client hello\nhello\n$ go run ./lessons/01-echo/client -addr 127.0.0.1:1234 again\nagain\n```\n\n"+
		"<!-- check: log of server -->\n```text\n127.0.0.1:50000 connected\n127.0.0.1:50000 disconnected after 6 bytes echoed\n127.0.0.1:50002 connected\n127.0.0.1:50002 disconnected after 6 bytes echoed\n```\n")
	if !passed {
		t.Fatalf("a block that shows what the programs print failed:\n%s", out)
	}
}

func TestAHangIsReported(t *testing.T) {
	file, out, passed := check(t, "# Hang\n\n<!-- check -->\n```console\n$ sleep 60\n```\n")
	if passed {
		t.Fatalf("a command that never ends passed:\n%s", out)
	}
	if want := file + ":5: `sleep 60`: still running after 3s"; !strings.Contains(out, want) {
		t.Errorf("the failure does not say %q:\n%s", want, out)
	}
}

func TestEveryBlockOfCommandsNeedsANote(t *testing.T) {
	file, out, passed := check(t, "# Bare\n\n```console\n$ go run ./lessons/01-echo/client hello\nhello\n```\n")
	if passed {
		t.Fatalf("a console block with no note passed:\n%s", out)
	}
	if want := file + ":3: a console block with no note"; !strings.Contains(out, want) {
		t.Errorf("the failure does not say %q:\n%s", want, out)
	}
}

func TestUpdateRewritesOutputCodeAndLinks(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "README.md")
	// Parse is in this package's markdown.go, not its code.go.
	here, err := filepath.Rel(filepath.Dir(file), filepath.Join(root, "internal", "docs"))
	if err != nil {
		t.Fatal(err)
	}
	here = filepath.ToSlash(here)
	stale := "# Stale\n\n" +
		"<!-- check -->\n```console\n$ go run ./lessons/01-echo/client -port 1234\nclient: no such flag\n$ go run ./lessons/01-echo/server -port 1234\nserver: flag provided but not defined: -port (see server -h)\n```\n\n" +
		"<!-- code: internal/docs Updated -->\n```go\nconst Updated = \"?\"\n```\n\n" +
		"It is [`Parse`](" + here + "/code.go) that reads the blocks.\n"
	if err := os.WriteFile(file, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	out, passed := again(t, file, "-update")
	if !passed {
		t.Fatalf("-update failed:\n%s", out)
	}
	for _, want := range []string{
		"updated " + file + ":5: what `go run ./lessons/01-echo/client -port 1234` printed",
		"updated " + file + ":7: what `go run ./lessons/01-echo/server -port 1234` printed",
		"updated " + file + ":12: the code quoted from internal/docs/check.go",
		"updated " + file + ":16: a link to a symbol that moved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-update does not say %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		"client: flag provided but not defined: -port (see client -h)\nexit status 1\n$ go run",
		"server: flag provided but not defined: -port (see server -h)\nexit status 1\n```",
		"```go\n// Updated starts each line the checker prints for something it rewrote.\nconst Updated = \"updated \"\n```\n",
		"It is [`Parse`](" + here + "/markdown.go) that reads the blocks.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the file, rewritten, does not have %q:\n%s", want, text)
		}
	}
	if out, passed := again(t, file); !passed {
		t.Errorf("the file -update rewrote does not pass:\n%s", out)
	}
}
