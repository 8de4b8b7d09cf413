package grade

import (
	"os/exec"
	"strings"
)

// RaceSupported reports whether programs can be built with the race
// detector here: it needs cgo (and so a C compiler) and one of the
// platforms it was ported to.
func RaceSupported() bool {
	out, err := exec.Command("go", "env", "CGO_ENABLED", "GOOS", "GOARCH").Output()
	if err != nil {
		return false
	}
	f := strings.Fields(string(out))
	if len(f) != 3 || f[0] != "1" {
		return false
	}
	switch f[1] + "/" + f[2] {
	case "linux/amd64", "linux/arm64", "linux/ppc64le", "linux/s390x", "linux/loong64",
		"darwin/amd64", "darwin/arm64", "freebsd/amd64", "netbsd/amd64", "windows/amd64":
		return true
	}
	return false
}
