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

func TestScenarios(t *testing.T) {
	scenario.Run(t, scenario.Config{
		Programs: []string{"server", "client", "naive"},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"crowd":     crowd,     // crowd_test.go
			"comeandgo": comeAndGo, // comeandgo_test.go
		},
	})
}
