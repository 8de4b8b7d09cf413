//go:build !unix

package grade

import "os/exec"

// ownGroup does nothing here: cancelling go test kills go test itself, and
// each scenario kills its own programs when its time is up.
func ownGroup(cmd *exec.Cmd) {}
