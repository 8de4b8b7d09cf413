package scenario

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/grade"
)

// commands returns the commands every lesson's scripts can use.
func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"waitaddr":   waitAddr,
		"closedport": closedPort,
		"waitlog":    waitLog,
		"proxy":      proxyCmd,
		"cmpnorm":    cmpNorm,
		"cmpbin":     cmpBin,
		"randfile":   randFile,
		"dial":       dial,
		"send":       send,
		"recv":       recv,
		"recveof":    recvEOF,
		"recvreset":  recvReset,
		"recvuntil":  recvUntil,
		"closewrite": closeWrite,
		"close":      closeConn,
		"reset":      resetConn,
	}
}

// waitaddr FILE [VAR] waits until a server has written its address to FILE
// (servers write it only once they accept connections) and puts the address
// in $VAR, $ADDR by default. This is how a script waits for a server without
// sleeping and without a fixed port. In a wire variant of the scenario
// (wire.go) the address is that of a proxy in front of the server.
func waitAddr(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitaddr FILE [VAR]")
	}
	name := "ADDR"
	if len(args) == 2 {
		name = args[1]
	}
	file := ts.MkAbs(args[0])
	// Starting a program can take a while on a busy machine, so this wait
	// has the script's whole time, not one wait's patience.
	Patience(ts, "the server to write its address to "+args[0])
	deadline := scriptRecord(ts).when.end
	for {
		data, err := os.ReadFile(file)
		if addr := strings.TrimSpace(string(data)); err == nil && addr != "" {
			ts.Setenv(name, throughWire(ts, addr))
			return
		}
		if prog, ok := exited(ts, args[0]); ok {
			diagnose(ts, "The server exited before it was ready, so no client could connect: it never wrote its address to %s. Its exit status and log are below.", args[0])
			ts.Fatalf("%s exited before it wrote its address to %s: the server never became ready", prog, args[0])
		}
		if time.Now().After(deadline) {
			Hang(ts, "no address in %s: the server never became ready (does it write -addrfile once it listens?)", args[0])
		}
		time.Sleep(10 * time.Millisecond) // poll for the file; the wait ends as soon as it exists
	}
}

// loopbackPort matches a loopback address with its port: the port is
// different on every run, so cmpnorm replaces it with PORT.
var loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|\[::1\]|localhost):[0-9]+`)

func normalise(s string) string {
	return loopbackPort.ReplaceAllString(s, "$1:PORT")
}

// cmpnorm GOT WANT compares GOT (a file, or stdout or stderr of the last
// command) with WANT after expanding $VARS in WANT and replacing the port of
// every loopback address in both with PORT. Everything else must match byte
// for byte. On a mismatch it shows both sides with CR, tabs and NUL made
// visible, and a diff.
func cmpNorm(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpnorm GOT WANT")
	}
	got := normalise(ts.ReadFile(args[0]))
	want := normalise(os.Expand(ts.ReadFile(args[1]), ts.Getenv))
	if got != want {
		Mismatch(ts, args[0], got, args[1], want)
	}
}

// Mismatch fails the script because got (from the file or output called
// gotName) is not want (from wantName): it shows both with CR, tabs and NUL
// made visible, and a diff, as cmpnorm does. A lesson's own comparison
// command uses it to fail the same way.
func Mismatch(ts *testscript.TestScript, gotName, got, wantName, want string) {
	if rewrite(ts, wantName, got) {
		return // -update: the expected section now says what came
	}
	// The diff is of the visible forms too, so a line that differs only
	// by a CR shows where.
	detail := fmt.Sprintf("expected (%s):\n%sgot (%s):\n%sdiff (- expected, + got):\n%s",
		wantName, Visible(want), gotName, Visible(got),
		diff.Diff(wantName, []byte(spell(want)), gotName, []byte(spell(got))))
	Fail(ts, detail, "%s and %s differ", gotName, wantName)
}

// Visible shows text with one line per line, each ending in ↵ where the
// text has a newline, and CR, tab, NUL and other control bytes spelled out:
// on the wire "hello\r\n" and "hello\n" differ, so the reader must see it.
func Visible(s string) string {
	if s == "" {
		return "    (nothing)\n"
	}
	return "    " + strings.ReplaceAll(strings.TrimSuffix(spell(s), "\n"), "\n", "\n    ") + "\n"
}

// spell returns the lines of s as Visible shows them, without the indent.
func spell(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if line == "" {
			continue
		}
		body, newline := strings.CutSuffix(line, "\n")
		b.WriteString(grade.Controls(body))
		if newline {
			b.WriteString("↵\n")
		} else {
			b.WriteString("  (no newline at the end)\n")
		}
	}
	return b.String()
}

// cmpbin GOT WANT compares two files of any size byte for byte. On a
// mismatch it shows the sizes and, in hex, the bytes around the first
// difference, and keeps both files whole for the student to look at: a
// diff of megabytes of binary data helps nobody.
func cmpBin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpbin GOT WANT")
	}
	got, want := []byte(ts.ReadFile(args[0])), []byte(ts.ReadFile(args[1]))
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	detail := fmt.Sprintf("%s: %d bytes\n%s: %d bytes\nfirst difference at byte %d (0x%x)\n\nexpected (%s) from byte %d:\n%s\ngot (%s) from byte %d:\n%s\nwhole files: %s, %s",
		args[1], len(want), args[0], len(got), i, i,
		args[1], window(i), hexWindow(want, i), args[0], window(i), hexWindow(got, i),
		keep(ts, "want-"+filepath.Base(args[1]), want), keep(ts, "got-"+filepath.Base(args[0]), got))
	Fail(ts, detail, "%s (%d bytes) and %s (%d bytes) differ from byte %d on", args[0], len(got), args[1], len(want), i)
}

// hexWindow dumps a few lines of data around offset at: where a binary
// comparison first went wrong.
func hexWindow(data []byte, at int) string {
	start := window(at)
	if start >= len(data) {
		return "    (the data ends before this)\n"
	}
	end := min(start+64, len(data))
	return strings.TrimRight(hexDump(data[start:end], start), "\n") + "\n"
}

// window is where hexWindow starts: a line of 16 bytes before at.
func window(at int) int {
	return max(0, at/16*16-16)
}

// hexDump is hex.Dump with offsets counted from off.
func hexDump(data []byte, off int) string {
	var b strings.Builder
	for i := 0; i < len(data); i += 16 {
		line := data[i:min(i+16, len(data))]
		fmt.Fprintf(&b, "    %08x  % x", off+i, line)
		b.WriteString(strings.Repeat("   ", 16-len(line)) + "  |")
		for _, c := range line {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteString("|\n")
	}
	return b.String()
}

// randfile FILE SIZE writes SIZE pseudo-random bytes (a number, optionally
// with KiB or MiB) to FILE. The bytes are the same on every run.
func randFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: randfile FILE SIZE")
	}
	size, err := parseSize(args[1])
	ts.Check(err)
	data := make([]byte, size)
	_, _ = rand.NewChaCha8([32]byte{}).Read(data) // documented never to fail
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o666))
}

func parseSize(s string) (int, error) {
	unit := 1
	switch {
	case strings.HasSuffix(s, "MiB"):
		unit, s = 1<<20, strings.TrimSuffix(s, "MiB")
	case strings.HasSuffix(s, "KiB"):
		unit, s = 1<<10, strings.TrimSuffix(s, "KiB")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q: want a number of bytes, KiB or MiB", s)
	}
	return n * unit, nil
}
