// The lesson's contract: every scenario in testdata/ runs against this
// lesson's own server and client, built from their source.
//
//	go test ./...                      from this folder: this lesson alone
//	go test -run TestScenarios/hello   one scenario
//	go test -v -run TestScenarios/hello  ... with its full transcript
package lesson_test

import (
	"testing"

	"github.com/socketbook/socketbook/internal/scenario"
)

// lesson is what the scenarios and the exercises' checks need: the
// programs to build and the lesson's own script commands.
var lesson = scenario.Config{
	Programs: []string{"server", "client"},
	// The shared dial/send/recv commands speak TCP; datagrams need
	// commands of their own (see udp_test.go).
	Cmds: udpCommands(),
}

func TestScenarios(t *testing.T) {
	scenario.Run(t, lesson)
}

// TestExercises checks the exercises in exercises/, one at a time, when
// asked: go run ./tools/runner -exercise NN/K.
func TestExercises(t *testing.T) {
	scenario.Exercises(t, lesson)
}
