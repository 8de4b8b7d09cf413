package main

import "fmt"

// measureGreetingLoad runs client -load against the lesson's server and
// Python's, the two taking turns, with 1, 10 and 100 clients at once.
func measureGreetingLoad(r *run) ([][]string, error) {
	client, greeters, err := greetingPeers(r)
	if err != nil {
		return nil, err
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for _, g := range greeters {
		s, err := g.start(r)
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
	}
	trips := r.pick(20000, 2000)
	var rows [][]string
	for _, n := range greetingLoads {
		got := make([][]loadFigures, len(servers)) // each server's, round by round
		var fns []func() (float64, error)
		for i, s := range servers {
			fns = append(fns, func() (float64, error) {
				f, err := loadGreeter(client, s.addr, n, trips)
				got[i] = append(got[i], f)
				return f.rate, err
			})
		}
		rates, err := turns(r.rounds, fns...)
		if err != nil {
			return nil, err
		}
		p99 := make([][]float64, len(servers))
		for i := range servers {
			p99[i] = latencies(got[i], func(f loadFigures) float64 { return f.p99 })
		}
		row := []string{
			spreadBy(thousands, rates[0]),
			duration(median(latencies(got[0], func(f loadFigures) float64 { return f.p50 }))),
			duration(median(latencies(got[0], func(f loadFigures) float64 { return f.p90 }))),
			duration(median(p99[0])),
			duration(median(latencies(got[0], func(f loadFigures) float64 { return f.max }))),
			"", "",
		}
		if len(servers) > 1 {
			row[5] = ratio(ratios(rates[0], rates[1]))
			row[6] = ratio(ratios(p99[0], p99[1]))
		}
		rows = append(rows, row)
	}
	r.note("%s round trips a round for each; latencies are the medians of the rounds", thousands(float64(trips)))
	return rows, nil
}

// latencies picks one figure of each round.
func latencies(rounds []loadFigures, pick func(loadFigures) float64) []float64 {
	var values []float64
	for _, f := range rounds {
		values = append(values, pick(f))
	}
	return values
}

// greetingPeers builds the lesson's client and server and finds Python:
// the client, then the servers to compare, the lesson's first.
func greetingPeers(r *run) (client string, greeters []greeter, err error) {
	if client, err = r.build(greetingClient); err != nil {
		return "", nil, err
	}
	ours, err := r.build(greetingServer)
	if err != nil {
		return "", nil, err
	}
	greeters = []greeter{goGreeter("server", ours)}
	python, ok, err := pythonGreeter(r)
	if err != nil {
		return "", nil, err
	}
	if ok {
		greeters = append(greeters, python)
	}
	return client, greeters, nil
}

// measureRoundTrips runs the lesson's BenchmarkRoundTrips, clients and
// server in one process, with 1, 10 and 100 clients taking turns.
func measureRoundTrips(r *run) ([][]string, error) {
	bin, err := r.testBinary("./lessons/02-concurrent/server")
	if err != nil {
		return nil, err
	}
	benchtime := fmt.Sprintf("%dx", r.pick(20000, 2000))
	var fns []func() (float64, error)
	for _, n := range greetingLoads {
		fns = append(fns, func() (float64, error) {
			m, _, err := benchmark(bin, fmt.Sprintf("RoundTrips/clients-%d", n), benchtime)
			return m["trips/s"], err
		})
	}
	rates, err := turns(r.rounds, fns...)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for i := range greetingLoads {
		against := "1" // one client is what more are measured against
		if i > 0 {
			against = ratio(ratios(rates[i], rates[0]))
		}
		rows = append(rows, []string{spreadBy(thousands, rates[i]), against})
	}
	r.note("-benchtime %s: round trips shared out among the clients", benchtime)
	return rows, nil
}
