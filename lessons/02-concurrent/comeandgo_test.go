package lesson_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/scenario"
)

// comeandgo N ADDR makes clients join and leave the server at the same
// moments, each in a goroutine of its own, in three steps:
//
//  1. N clients connect at once, and each reads its welcome;
//  2. then, at once, those N greet and say exit while N more connect;
//  3. then those N greet and say exit, at once.
//
// Every handler on the server changes the count of clients online, so
// these are the moments when two goroutines change it together. Without
// a lock the race detector reports it (the scenarios build the server
// with -race under go test -race), and an update can be lost.
//
// Who joins first is up to the scheduler, so the welcomes' counts are not
// known one by one. What is known: in step 1 nobody leaves, so every count
// is between 1 and N, and the last client to join sees all N; in step 2
// no count can pass 2N. Everything else is checked byte for byte.
//
// It prints one line: how many clients came and went.
func comeAndGo(ts *testscript.TestScript, neg bool, args []string) {
	deadline := scenario.Patience(ts, "the clients to be welcomed and said goodbye to")
	if neg || len(args) != 2 {
		ts.Fatalf("usage: comeandgo N ADDR")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		ts.Fatalf("comeandgo: N must be a number of clients, not %q", args[0])
	}
	addr := args[1]
	first := make([]*visitor, n)
	second := make([]*visitor, n)
	defer func() {
		for _, v := range append(first, second...) {
			if v != nil {
				v.conn.Close()
			}
		}
	}()

	// Step 1: N join at once.
	counts := make([]int, n)
	check(ts, "step 1, joining", together(n, func(i int) (err error) {
		first[i], counts[i], err = join(addr, fmt.Sprintf("first-%d", i+1), deadline)
		return err
	}))
	most := 0
	for i, c := range counts {
		if c < 1 || c > n {
			ts.Fatalf("comeandgo: step 1: first-%d was welcomed as one of %d clients online, but only %d had connected", i+1, c, n)
		}
		most = max(most, c)
	}
	if most != n {
		ts.Fatalf("comeandgo: step 1: %d clients joined and none left, but the last of them was welcomed as one of %d online (counts %v): an update of the count was lost", n, most, counts)
	}

	// Step 2: the first N leave while N more join.
	check(ts, "step 2, leaving and joining", together(2*n, func(i int) (err error) {
		if i < n {
			return first[i].leave()
		}
		j := i - n
		var c int
		second[j], c, err = join(addr, fmt.Sprintf("second-%d", j+1), deadline)
		if err == nil && (c < 1 || c > 2*n) {
			err = fmt.Errorf("second-%d: welcomed as one of %d clients online, but only %d had connected", j+1, c, 2*n)
		}
		return err
	}))

	// Step 3: the second N leave at once.
	check(ts, "step 3, leaving", together(n, func(i int) error { return second[i].leave() }))

	fmt.Fprintf(ts.Stdout(), "%d clients joined at once; they left while %d more joined; those left at once; all %d answered\n", n, n, 2*n)
}

// together runs f(0) to f(k-1), each in its own goroutine, all released
// at the same moment, and returns their errors.
func together(k int, f func(i int) error) []error {
	errs := make([]error, k) // each goroutine writes only its own element
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// check fails the script with the first error, and says how many there were.
func check(ts *testscript.TestScript, step string, errs []error) {
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		ts.Fatalf("comeandgo: %s: %d of %d clients failed; the first: %v", step, len(failed), len(errs), failed[0])
	}
}

// A visitor is one client of comeandgo, with its name.
type visitor struct {
	name string
	conn net.Conn
	in   *bufio.Reader
}

// join connects and reads the welcome, and returns the count it gave.
func join(addr, name string, deadline time.Time) (*visitor, int, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Until(deadline))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	conn.SetDeadline(deadline)
	v := &visitor{name, conn, bufio.NewReader(conn)}
	welcome, err := v.in.ReadString('\n')
	if err != nil {
		return v, 0, fmt.Errorf("%s: no welcome: got %q and then %v", name, welcome, err)
	}
	var count int
	if _, err := fmt.Sscanf(welcome, "Welcome! Clients online: %d (you included).", &count); err != nil {
		return v, 0, fmt.Errorf("%s: want a welcome that counts the clients online, got %q", name, welcome)
	}
	if want := fmt.Sprintf("Welcome! Clients online: %d (you included). Send your name, or exit to leave.\n", count); welcome != want {
		return v, 0, fmt.Errorf("%s: want %q, got %q", name, want, welcome)
	}
	return v, count, nil
}

// leave greets, says exit, and waits for the end of the stream.
func (v *visitor) leave() error {
	for _, step := range []struct{ send, want string }{
		{v.name + "\n", "Hello, " + v.name + "!\n"},
		{"exit\n", "Bye!\n"},
	} {
		if _, err := io.WriteString(v.conn, step.send); err != nil {
			return fmt.Errorf("%s: send %q: %w", v.name, step.send, err)
		}
		got, err := v.in.ReadString('\n')
		if err != nil || got != step.want {
			return fmt.Errorf("%s: sent %q, want %q, got %q (%v)", v.name, step.send, step.want, got, err)
		}
	}
	if rest, err := io.ReadAll(v.in); err != nil || len(rest) > 0 {
		return fmt.Errorf("%s: want the end of the stream after Bye!, got %q (%v)", v.name, rest, err)
	}
	return v.conn.Close()
}
