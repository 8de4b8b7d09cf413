package main

import "fmt"

// Lesson 05: what Nagle's algorithm costs a request written in two pieces.
func init() {
	figures = append(figures, &figure{
		name:    "05/nagle",
		title:   "a request of a 16-byte header and a 32-byte body, answered by one byte",
		readme:  "lessons/05-options/README.md",
		columns: []string{"request", "time per request", "× `nodelay-write-write-read`"},
		rows:    []string{"`nodelay-write-write-read`", "`nagle-write-write-read`", "`nagle-one-write`"},
		measure: measureNagle,
	})
}

// measureNagle runs the lesson's BenchmarkNagle, its three cases taking
// turns: each with -benchtime 100x, since a stalled request takes 40 ms.
func measureNagle(r *run) ([][]string, error) {
	bin, err := r.testBinary("./lessons/05-options")
	if err != nil {
		return nil, err
	}
	names := []string{"Nagle/nodelay-write-write-read", "Nagle/nagle-write-write-read", "Nagle/nagle-one-write"}
	benchtime := fmt.Sprintf("%dx", r.pick(100, 10))
	var fns []func() (float64, error)
	for _, name := range names {
		fns = append(fns, func() (float64, error) {
			m, _, err := benchmark(bin, name, benchtime)
			return m["ns/op"], err
		})
	}
	times, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for i := range names {
		against := "1" // the first case is what the others are measured against
		if i > 0 {
			against = ratio(ratios(times[i], times[0]))
		}
		rows = append(rows, []string{spreadBy(duration, times[i]), against})
	}
	return rows, nil
}
