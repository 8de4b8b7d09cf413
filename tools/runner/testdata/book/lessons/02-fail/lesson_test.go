package lesson_test

import (
	"testing"
	"time"

	"github.com/socketbook/socketbook/internal/scenario"
)

// The limit is short so the scenario that hangs ends soon; the others
// take a few milliseconds.
func TestScenarios(t *testing.T) {
	scenario.Run(t, scenario.Config{Programs: []string{"server"}, Limit: 5 * time.Second})
}
