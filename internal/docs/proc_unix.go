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
// terminal would.
func interrupt(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}

// kill ends the command's whole group at once.
func kill(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
