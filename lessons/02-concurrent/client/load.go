package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// outcome is what one connection of a load test brings back.
type outcome struct {
	latencies []time.Duration // one per round trip
	err       error
}

// load opens conns connections, makes each do rounds round trips at the
// same time as the others, and reports how it went. A round trip is one
// name sent and its "Hello" read back: the time it takes is the latency.
func load(d dialer, conns, rounds int, out io.Writer) error {
	outcomes := make([]outcome, conns) // each goroutine writes only its own element
	var connected, finished sync.WaitGroup
	start := make(chan struct{})
	connected.Add(conns)
	finished.Add(conns)
	for i := range conns {
		go func() {
			defer finished.Done()
			outcomes[i] = roundTrips(d, fmt.Sprintf("load-%d", i+1), rounds, connected.Done, start)
		}()
	}
	// Every connection is open (or has failed) before the clock starts, so
	// the figures measure round trips, not handshakes.
	connected.Wait()
	began := time.Now()
	close(start)
	finished.Wait()
	elapsed := time.Since(began)

	fmt.Fprintf(out, "load: %s × %s, to %s\n", plural(conns, "connection"), plural(rounds, "round trip"), d.addr)
	var all []time.Duration
	var failures []string
	for i, o := range outcomes {
		all = append(all, o.latencies...)
		if o.err != nil {
			failures = append(failures, fmt.Sprintf("load-%d: %v", i+1, o.err))
		}
	}
	report(out, all, elapsed)
	fmt.Fprintf(out, "errors: %d\n", len(failures))
	for i, f := range failures {
		if i == 5 {
			fmt.Fprintf(out, "  ... and %d more\n", len(failures)-i)
			break
		}
		fmt.Fprintf(out, "  %s\n", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d of %d connections failed", len(failures), conns)
	}
	return nil
}

// roundTrips is one load connection: connect and read the welcome, say it
// is ready, wait for the start, then send name rounds times, each time
// waiting for the reply before sending again.
func roundTrips(d dialer, name string, rounds int, ready func(), start <-chan struct{}) outcome {
	conn, err := d.dial()
	if err != nil {
		ready()
		return outcome{err: err}
	}
	defer conn.Close()
	in := bufio.NewReader(conn)
	conn.SetDeadline(time.Now().Add(d.timeout))
	welcome, err := in.ReadString('\n')
	ready()
	if err != nil {
		return outcome{err: fmt.Errorf("no welcome: %w", err)}
	}
	if !strings.HasPrefix(welcome, "Welcome!") {
		return outcome{err: fmt.Errorf("not welcomed: the server said %q", welcome)}
	}
	<-start

	o := outcome{latencies: make([]time.Duration, 0, rounds)}
	want := "Hello, " + name + "!\n"
	for range rounds {
		// A deadline per round trip: a server that stalls is an error in
		// the report, not a client that hangs.
		conn.SetDeadline(time.Now().Add(d.timeout))
		sent := time.Now()
		if _, err := io.WriteString(conn, name+"\n"); err != nil {
			o.err = fmt.Errorf("send: %w", err)
			return o
		}
		reply, err := in.ReadString('\n')
		if err != nil {
			o.err = fmt.Errorf("receive: %w", err)
			return o
		}
		o.latencies = append(o.latencies, time.Since(sent))
		if reply != want {
			o.err = fmt.Errorf("want %q, got %q", want, reply)
			return o
		}
	}
	// Say goodbye properly, so the server's log shows "said exit".
	_, _ = io.WriteString(conn, "exit\n")
	_, _ = in.ReadString('\n')
	return o
}

// report prints the throughput, the latency percentiles and a histogram.
func report(out io.Writer, latencies []time.Duration, elapsed time.Duration) {
	n := len(latencies)
	fmt.Fprintf(out, "round trips: %d in %v: %.0f per second\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	if n == 0 {
		return
	}
	slices.Sort(latencies)
	fmt.Fprintf(out, "latency: p50 %v, p90 %v, p99 %v, max %v\n",
		short(percentile(latencies, 50)), short(percentile(latencies, 90)),
		short(percentile(latencies, 99)), short(latencies[n-1]))
	histogram(out, latencies)
}

// percentile returns the latency that p percent of the sorted latencies do
// not exceed (the "nearest rank" method).
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// short rounds a latency to three significant digits or so.
func short(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// buckets are the histogram's upper bounds, each about twice the last.
var buckets = []time.Duration{
	50 * time.Microsecond, 100 * time.Microsecond, 200 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
	20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond,
	500 * time.Millisecond, time.Second,
}

// histogram prints how many round trips fell in each bucket, as a bar
// of up to 40 #s, from the first bucket that has any to the last.
func histogram(out io.Writer, sorted []time.Duration) {
	counts := make([]int, len(buckets)+1) // the last counts those over a second
	for _, d := range sorted {
		i, _ := slices.BinarySearch(buckets, d)
		counts[i]++
	}
	first, last := -1, 0
	for i, c := range counts {
		if c > 0 && first < 0 {
			first = i
		}
		if c > 0 {
			last = i
		}
	}
	most := slices.Max(counts)
	fmt.Fprintln(out, "histogram:")
	for i := first; i <= last; i++ {
		label := "> 1s"
		if i < len(buckets) {
			label = "≤ " + buckets[i].String()
		}
		pad := strings.Repeat(" ", 8-utf8.RuneCountInString(label)) // µ and ≤ are one column, two or three bytes
		bar := strings.Repeat("#", int(math.Ceil(40*float64(counts[i])/float64(most))))
		fmt.Fprintln(out, strings.TrimRight(fmt.Sprintf("%s%s %8d %s", pad, label, counts[i], bar), " "))
	}
}

// plural says "1 connection" or "2 connections".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
