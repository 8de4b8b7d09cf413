// Command bench reruns every figure the lesson READMEs quote: the
// throughputs, round trips, memory per connection, losses and request
// rates, each beside its peer (iperf3, nginx, Python's servers) where
// that peer is installed. It prints them in the READMEs' own tables and,
// with -update, writes them into the tables of both editions.
//
// From the root of the repository:
//
//	go run ./tools/bench                 every figure, 5 rounds (minutes)
//	go run ./tools/bench 01 04/rates     one lesson's figures, or one table
//	go run ./tools/bench -quick          one short round of each: a smoke run
//	go run ./tools/bench -update         write the figures into the READMEs
//	go run ./tools/bench -list           the tables, and where each is quoted
//
// Every figure is measured with its peer in the same run, the two taking
// turns (the one that goes first changing every round), so that whatever
// else the machine is doing slows both alike. Ratios are the median of the
// rounds', with the lowest and highest beside them: on a shared machine
// the absolute figures wander, the ratios much less.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/socketbook/socketbook/internal/grade"
)

func main() {
	os.Exit(bench(os.Args[1:], os.Stdout, os.Stderr))
}

func bench(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	rounds := flags.Int("rounds", 5, "rounds of each measurement, the peers taking turns (at least 1)")
	quick := flags.Bool("quick", false, "one short round of everything: checks that every figure can be measured, not what it is")
	update := flags.Bool("update", false, "write the figures into the README tables (both editions); cells not measured stay as they are")
	list := flags.Bool("list", false, "list the tables and where each is quoted, and measure nothing")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./tools/bench [-rounds N] [-quick] [-update] [-list] [LESSON|TABLE ...]")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *rounds < 1 {
		fmt.Fprintf(stderr, "bench: -rounds must be at least 1 (got %d)\n", *rounds)
		return 1
	}
	chosen, err := choose(figures, flags.Args())
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	if *list {
		for _, f := range chosen {
			fmt.Fprintf(stdout, "%-18s %s (%s)\n", f.name, f.title, f.readme)
		}
		return 0
	}
	if *quick {
		*rounds = 1
	}

	// Paths are the workbook's, from its root, wherever bench is run.
	root, err := grade.Root(".")
	if err == nil {
		err = os.Chdir(root)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v (run it inside the workbook)\n", err)
		return 1
	}
	r, err := newRun(*rounds, *quick, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	defer r.cleanup()
	// Ctrl-C in the middle of a measurement must not leave its servers
	// running: stop them, then go.
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	go func() {
		<-interrupted
		r.cleanup()
		fmt.Fprintln(stderr, "bench: interrupted; its servers are stopped")
		os.Exit(130)
	}()
	fmt.Fprintf(stdout, "bench: %s/%s, %d cores, %s, %d round(s) each; figures are this machine's, the ratios are what to compare\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), *rounds)
	failed := 0
	for _, f := range chosen {
		start := time.Now()
		fmt.Fprintf(stdout, "\n%s: %s (%s)\n", f.name, f.title, f.readme)
		rows, err := f.measure(r)
		if err == nil {
			err = f.check(rows)
		}
		if err == nil {
			printTable(stdout, f, rows)
		}
		for _, note := range r.takeNotes() {
			fmt.Fprintf(stdout, "  %s\n", note)
		}
		if err != nil {
			fmt.Fprintf(stdout, "  failed: %v\n", err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "  (%s)\n", time.Since(start).Round(100*time.Millisecond))
		if *update && !*quick {
			for _, path := range editions(f.readme) {
				if err := updateTable(path, f, rows); err != nil {
					fmt.Fprintf(stdout, "  not written: %v\n", err)
					failed++
				}
			}
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "bench: %d of %d tables failed\n", failed, len(chosen))
		return 1
	}
	return 0
}

// choose picks the figures named by args ("01" for a lesson's, "04/rates"
// for one table), or all of them.
func choose(all []*figure, args []string) ([]*figure, error) {
	if len(args) == 0 {
		return all, nil
	}
	var chosen []*figure
	for _, arg := range args {
		found := false
		for _, f := range all {
			if f.name == arg || strings.HasPrefix(f.name, arg+"/") {
				chosen = append(chosen, f)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no table or lesson %q (go run ./tools/bench -list names them)", arg)
		}
	}
	return chosen, nil
}
