//go:build race

package scenario

// raceEnabled is true when the test itself runs under the race detector, so
// the programs it builds are instrumented too.
const raceEnabled = true
