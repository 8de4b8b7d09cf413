package scenario

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/testscript"
)

// shortLog is a *testing.T for testscript whose log cuts long [stdout] and
// [stderr] blocks. Without it a failing 16 MiB transfer would print 16 MiB
// of binary noise where the student looks for the reason.
type shortLog struct{ *testing.T }

func (t shortLog) Run(name string, f func(testscript.T)) {
	t.T.Run(name, func(t *testing.T) { f(shortLog{t}) })
}

func (t shortLog) Verbose() bool { return testing.Verbose() }

func (t shortLog) Log(args ...any) {
	t.T.Helper()
	t.T.Log(shorten(fmt.Sprint(args...)))
}

// Output blocks longer than these are cut, keeping their start.
const (
	maxBlockLines = 40
	maxBlockBytes = 4 << 10
)

// shorten cuts every [stdout] and [stderr] block of a testscript log that is
// longer than maxBlockLines lines or maxBlockBytes bytes. A block runs until
// the next line that testscript wrote itself: a command ("> "), a comment,
// another block, or the verdict.
func shorten(log string) string {
	var out strings.Builder
	var block []string // lines of the block being read, if any
	size := 0
	flush := func() {
		if text := strings.Join(block, ""); !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			fmt.Fprintf(&out, "[%d bytes of binary data, not shown]\n", size)
			block, size = nil, 0
			return
		}
		kept := 0
		for i, line := range block {
			if i >= maxBlockLines || kept+len(line) > maxBlockBytes {
				fmt.Fprintf(&out, "[... %d more bytes not shown]\n", size-kept)
				break
			}
			out.WriteString(line)
			kept += len(line)
		}
		block, size = nil, 0
	}
	for _, line := range strings.SplitAfter(log, "\n") {
		if startsEntry(line) {
			flush()
			out.WriteString(line)
			if strings.HasPrefix(line, "[stdout]") || strings.HasPrefix(line, "[stderr]") {
				block = []string{}
			}
			continue
		}
		if block == nil {
			out.WriteString(line)
			continue
		}
		block = append(block, line)
		size += len(line)
	}
	flush()
	return out.String()
}

// startsEntry reports whether a log line is one testscript wrote itself.
func startsEntry(line string) bool {
	for _, p := range []string{"> ", "# ", "[stdout]", "[stderr]", "[background]", "[exit status", "[signal", "FAIL:", "PASS"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}
