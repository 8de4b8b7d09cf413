// The lesson's contract: every scenario in testdata/ runs against this
// lesson's own server and client, built from their source.
//
//	go test ./...                          from this folder: this lesson alone
//	go test -run TestScenarios/concurrent  one scenario
//	go test -v -run TestScenarios/concurrent  ... with its full transcript
package lesson_test

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/scenario"
)

// lesson is what the scenarios and the exercises' checks need: the
// programs to build and the lesson's own script commands.
var lesson = scenario.Config{
	Programs: []string{"server", "client", "naive"},
	Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"crowd":     crowd,     // crowd_test.go
		"comeandgo": comeAndGo, // comeandgo_test.go
	},
}

func TestScenarios(t *testing.T) {
	scenario.Run(t, lesson)
}

// TestExercises checks the exercises in exercises/, one at a time, when
// asked: go run ./tools/runner -exercise NN/K.
func TestExercises(t *testing.T) {
	scenario.Exercises(t, lesson)
}
