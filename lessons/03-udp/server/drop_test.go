package main

import "testing"

// The drop scenario (testdata/drop.txtar) relies on what seed 6 decides:
// never five drops in a row among the first 25 datagrams. This test pins
// that sequence, so a change to newDropper that would make the scenario
// depend on luck fails here first, with the reason in plain sight.
func TestDropSeed6(t *testing.T) {
	rng := newDropper(6)
	got := ""
	for range 25 {
		if rng.IntN(100) < 50 { // what handle does with -drop 50
			got += "D"
		} else {
			got += "k"
		}
	}
	if want := "DDkDkkDkDDkDkDDDkkDkDDDkD"; got != want {
		t.Fatalf("seed 6 decides %s, want %s (testdata/drop.txtar counts on it)", got, want)
	}
}
