//go:build unix

package docs

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own, as a terminal runs
// each command: Ctrl-C then reaches the shell and every program it
// started, and nothing outlives a kill.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// interrupt sends SIGINT to the command's group, as Ctrl-C in its
// terminal would. A group that has ended already is no error: the wait
// that follows says how it ended.
func interrupt(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}

// kill ends the command's whole group at once, if it is still there.
func kill(cmd *exec.Cmd) {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
