package lesson_test

import (
	"testing"

	"github.com/socketbook/socketbook/internal/scenario"
)

func TestScenarios(t *testing.T) {
	scenario.Run(t, scenario.Config{Programs: []string{"server"}})
}
