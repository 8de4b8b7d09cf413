package scenario

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/testscript"
)

// patience bounds every wait in a script. It is not a timing assertion: a
// correct program is done long before, and a broken one fails here instead
// of hanging the whole test run.
const patience = 30 * time.Second

// commands returns the commands every lesson's scripts can use.
func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"waitaddr":   waitAddr,
		"proxy":      proxyCmd,
		"cmpnorm":    cmpNorm,
		"cmpbin":     cmpBin,
		"randfile":   randFile,
		"dial":       dial,
		"send":       send,
		"recv":       recv,
		"recveof":    recvEOF,
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
	deadline := time.Now().Add(patience)
	when := scriptTiming(ts)
	if !when.end.IsZero() && when.end.Before(deadline) {
		deadline = when.end
	}
	for {
		data, err := os.ReadFile(file)
		if addr := strings.TrimSpace(string(data)); err == nil && addr != "" {
			ts.Setenv(name, throughWire(ts, addr))
			return
		}
		if prog, ok := exited(ts, args[0]); ok {
			ts.Fatalf("%s exited before it wrote its address to %s: the server never became ready (its exit status and log are below)", prog, args[0])
		}
		if time.Now().After(deadline) {
			if deadline.Equal(when.end) {
				ts.Fatalf("no address in %s within the scenario's time limit of %v: the server never became ready, and was stopped (its log is below)", args[0], when.limit)
			}
			ts.Fatalf("no address in %s after %v: the server never became ready (its log is below)", args[0], patience)
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
	if got == want {
		return
	}
	ts.Logf("expected (%s):\n%s", args[1], Visible(want))
	ts.Logf("got (%s):\n%s", args[0], Visible(got))
	// The diff is of the visible forms too, so a line that differs only
	// by a CR shows where.
	ts.Logf("diff (- expected, + got):\n%s", diff.Diff(args[1], []byte(spell(want)), args[0], []byte(spell(got))))
	ts.Fatalf("%s and %s differ", args[0], args[1])
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
		for _, r := range body {
			switch {
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20 || r == 0x7f || r == 0xfffd:
				b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			default:
				b.WriteRune(r)
			}
		}
		if newline {
			b.WriteString("↵\n")
		} else {
			b.WriteString("  (no newline at the end)\n")
		}
	}
	return b.String()
}

// cmpbin GOT WANT compares two files of any size byte for byte and names
// the first byte that differs, rather than printing a diff of binary data.
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
	ts.Fatalf("%s (%d bytes) and %s (%d bytes) differ from byte %d on", args[0], len(got), args[1], len(want), i)
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
	rand.NewChaCha8([32]byte{}).Read(data)
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
