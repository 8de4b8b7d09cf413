package lesson_test

import (
	"testing"

	"github.com/socketbook/socketbook/internal/scenario"
)

var lesson = scenario.Config{Programs: []string{"server"}}

func TestScenarios(t *testing.T) { scenario.Run(t, lesson) }

func TestExercises(t *testing.T) { scenario.Exercises(t, lesson) }
