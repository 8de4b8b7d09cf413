//go:build unix

package grade

import (
	"os/exec"
	"syscall"
)

// ownGroup puts go test in a process group of its own, with the test
// binary and every program the scenarios start, and makes cancelling it
// kill the whole group: a server that ignores its signals, or a program a
// server started, cannot outlive the run. Being in its own group also means
// Ctrl-C in the terminal reaches only the runner, which then stops it.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
