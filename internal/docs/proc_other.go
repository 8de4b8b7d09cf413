//go:build !unix

package docs

import (
	"os"
	"os/exec"
)

// Elsewhere the blocks do not run (Check skips them); these only keep the
// package building.

func ownGroup(cmd *exec.Cmd) {}

func interrupt(cmd *exec.Cmd) { _ = cmd.Process.Signal(os.Interrupt) }

func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
