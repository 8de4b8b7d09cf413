// The lesson's contract: every scenario in testdata/ runs against this
// lesson's own server and client, built from their source.
//
//	go test ./...                        from this folder: this lesson alone
//	go test -run TestScenarios/index     one scenario
//	go test -v -run TestScenarios/index  ... with its full transcript
//	go test -run TestBrowser -v          the page in a real browser (needs chromium)
package lesson_test

import (
	"os/exec"
	"testing"

	"github.com/socketbook/socketbook/internal/scenario"
)

// lesson is what the scenarios and the exercises' checks need: the
// programs to build and the lesson's own script commands.
var lesson = scenario.Config{
	Programs: []string{"server", "client"},
	Cmds:     commands(),
}

func TestScenarios(t *testing.T) {
	scenario.Run(t, lesson)
}

// TestExercises checks the exercises in exercises/, one at a time, when
// asked: go run ./tools/runner -exercise NN/K.
func TestExercises(t *testing.T) {
	scenario.Exercises(t, lesson)
}

// TestBrowser loads the index page in headless Chromium, a client nobody
// wrote for this server, and checks what the browser rendered (see
// testdata/browser). Debian's package: apt-get install -y chromium.
func TestBrowser(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium is not installed (on Debian: apt-get install -y chromium); skipping the browser check")
	}
	scenario.Run(t, scenario.Config{
		Programs: []string{"server"},
		Dir:      "testdata/browser",
		Cmds:     commands(),
	})
}
