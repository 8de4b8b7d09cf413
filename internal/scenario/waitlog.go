package scenario

import (
	"bytes"
	"os"
	"regexp"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// waitlog FILE REGEXP waits until a line of FILE matches REGEXP: the way a
// script waits for a server to report something it cannot see from the
// wire (that Accept is failing, say), when the server's log goes to FILE
// (exec sh -c '... exec server ... 2>FILE'). It never sleeps and hopes:
// it ends as soon as the line is there, and fails as a hang, naming the
// line, if it never comes.
func waitLog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitlog FILE REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	if err != nil {
		ts.Fatalf("waitlog: %v", err)
	}
	deadline := Patience(ts, "a line matching "+args[1]+" in "+args[0])
	for {
		data, _ := os.ReadFile(ts.MkAbs(args[0])) // not there yet is as good as empty
		if re.Match(data) {
			return
		}
		if time.Now().After(deadline) {
			Hang(ts, "no line matching %s in %s; its last line: %q", args[1], args[0], lastLine(data))
		}
		time.Sleep(10 * time.Millisecond) // poll the file; the wait ends as soon as the line is there
	}
}

// lastLine is the last line of a log, which says where the program got to.
func lastLine(data []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	return lines[len(lines)-1]
}
