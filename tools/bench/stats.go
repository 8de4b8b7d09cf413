package main

import (
	"fmt"
	"math"
	"slices"
)

// turns runs each of fns once per round, the one that goes first changing
// every round, and returns each one's results in round order. Taking turns
// spreads whatever else the machine is doing over all of them alike.
func turns(rounds int, fns ...func() (float64, error)) ([][]float64, error) {
	results := make([][]float64, len(fns))
	for round := 0; round < rounds; round++ {
		for k := range fns {
			i := (round + k) % len(fns)
			v, err := fns[i]()
			if err != nil {
				return nil, err
			}
			results[i] = append(results[i], v)
		}
	}
	return results, nil
}

// ratios divides a by b round by round, leaving out a round where b
// measured nothing (a processor time too short for the clock's ticks).
func ratios(a, b []float64) []float64 {
	var out []float64
	for i := range a {
		if b[i] != 0 {
			out = append(out, a[i]/b[i])
		}
	}
	return out
}

// median is the middle of the values (the mean of the two middle ones for
// an even count).
func median(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	v := slices.Clone(values)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// spread formats the median of values with the lowest and highest beside
// it, "1.34 (1.31 to 1.38)", each by format; one value stands alone.
func spread(format string, values []float64) string {
	return spreadBy(func(v float64) string { return fmt.Sprintf(format, v) }, values)
}

// spreadBy is spread with a function that formats each value.
func spreadBy(show func(float64) string, values []float64) string {
	m := show(median(values))
	if len(values) < 2 {
		return m
	}
	return fmt.Sprintf("%s (%s to %s)", m, show(slices.Min(values)), show(slices.Max(values)))
}

// ratio formats ratios with their spread: two places below 10, one below
// 100, none above ("0.64", "16.3", "1,700").
func ratio(values []float64) string { return spreadBy(showRatio, values) }

func showRatio(v float64) string {
	switch {
	case v >= 100:
		return thousands(v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// thousands formats n with commas between thousands, as the READMEs do.
func thousands(n float64) string {
	s := fmt.Sprintf("%.0f", n)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// duration formats nanoseconds in the unit that suits them: "25 µs",
// "44 ms", "1.2 s".
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
