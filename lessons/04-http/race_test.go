//go:build race

package lesson_test

// raceEnabled is true when the tests run under the race detector, whose
// bookkeeping makes a program's memory no guide to its real size.
const raceEnabled = true
