//go:build !linux

package lesson_test

import "github.com/rogpeppe/go-internal/testscript"

// fullqueue needs what only Linux does: drop a SYN, without a word, when
// the accept queue is full (other systems may refuse it instead). The
// scenario that uses it is skipped elsewhere.
func fullQueue(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("fullqueue works on Linux only")
}
