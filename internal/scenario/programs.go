package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// exited reports whether the script's background program that was given
// file as an argument (such as its -addrfile) has exited, and its name.
// Only a program that has been waited for counts; on systems where a
// process cannot be probed, nothing ever counts as exited.
func exited(ts *testscript.TestScript, file string) (string, bool) {
	for _, cmd := range ts.BackgroundCmds() {
		if cmd.Process == nil || !mentions(cmd.Args[1:], file) {
			continue
		}
		err := cmd.Process.Signal(syscall.Signal(0))
		if errors.Is(err, os.ErrProcessDone) {
			return filepath.Base(cmd.Args[0]), true
		}
	}
	return "", false
}

// mentions reports whether one of args names file, alone or as -flag=file.
func mentions(args []string, file string) bool {
	for _, a := range args {
		if _, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "-") {
			a = v
		}
		if a == file || filepath.Base(a) == filepath.Base(file) {
			return true
		}
	}
	return false
}
