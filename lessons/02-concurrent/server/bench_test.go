package main

// How many round trips a second does the server make, with 1, 10 and 100
// clients at once? Each client sends a name and waits for its "Hello"
// before sending the next, over real loopback connections. Run from the
// lesson's folder:
//
//	go test -run XXX -bench RoundTrips -benchtime 2s ./server
//
// The README quotes the figures this machine gave.

import (
	"fmt"
	"io"
	"sync"
	"testing"
)

func BenchmarkRoundTrips(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("clients-%d", n), func(b *testing.B) { benchRoundTrips(b, n) })
	}
}

func benchRoundTrips(b *testing.B, n int) {
	addr, _ := serveOnLoopback(b, testServer())
	clients := make([]client, n)
	for i := range clients {
		clients[i] = dial(b, addr)
		if _, err := clients[i].line(); err != nil { // the welcome
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// b.N round trips in all, shared out among the clients.
			for j := i; j < b.N; j += n {
				if _, err := io.WriteString(c, "Ada\n"); err != nil {
					errs[i] = err
					return
				}
				if reply, err := c.line(); err != nil || reply != "Hello, Ada!\n" {
					errs[i] = fmt.Errorf("want Hello, Ada!, got %q, %v", reply, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trips/s")
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}
