//go:build race

package workbook_test

// raceEnabled passes -race on to the lessons when this test has it.
const raceEnabled = true
