package lesson_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/scenario"
)

// crowd N ADDR connects N clients to the server, one after another, and
// keeps every one of them open: each is welcomed and gets its "Hello" while
// all those before it are still connected. Only when all N have been
// answered does each say exit, and get "Bye!" and the end of the stream.
//
// Each welcome must count one client more than the one before: the n-th
// client sees all the others still online. If a client before the crowd
// holds its connection open and silent, a server that serves one client at
// a time never welcomes the crowd at all, and crowd fails. Nothing here
// depends on how fast anything is.
//
// It prints one line: how many were served and the counts they saw.
func crowd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: crowd N ADDR")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		ts.Fatalf("crowd: N must be a number of clients, not %q", args[0])
	}
	type client struct {
		conn net.Conn
		in   *bufio.Reader
	}
	clients := make([]client, 0, n)
	defer func() {
		for _, c := range clients {
			c.conn.Close()
		}
	}()

	// readLine reads one line from client i, or fails the script saying
	// what it waited for.
	readLine := func(i int, what string) string {
		c := clients[i]
		// Not a timing assertion: a concurrent server answers at once,
		// and a sequential one never does.
		c.conn.SetReadDeadline(scenario.Patience(ts, fmt.Sprintf("the %s of client %d", what, i+1)))
		line, err := c.in.ReadString('\n')
		if errors.Is(err, os.ErrDeadlineExceeded) {
			scenario.Hang(ts, "crowd: client %d of %d: no %s while %d other clients were connected: is the server serving one client at a time?", i+1, n, what, i)
		}
		if err != nil {
			ts.Fatalf("crowd: client %d of %d: no %s (%v) while %d other clients were connected: is the server serving one client at a time?", i+1, n, what, err, i)
		}
		return line
	}
	sendLine := func(i int, line string) {
		c := clients[i]
		c.conn.SetWriteDeadline(scenario.Patience(ts, fmt.Sprintf("client %d to send", i+1)))
		_, err := io.WriteString(c.conn, line)
		ts.Check(err)
	}

	firstCount := 0
	for i := range n {
		conn, err := net.DialTimeout("tcp", args[1], time.Until(scenario.Patience(ts, "a connection")))
		ts.Check(err)
		clients = append(clients, client{conn, bufio.NewReader(conn)})

		welcome := readLine(i, "welcome")
		var count int
		if _, err := fmt.Sscanf(welcome, "Welcome! Clients online: %d (you included).", &count); err != nil {
			ts.Fatalf("crowd: client %d of %d: want a welcome that counts the clients online, got %q", i+1, n, welcome)
		}
		if i == 0 {
			firstCount = count
		}
		if want := firstCount + i; count != want {
			ts.Fatalf("crowd: client %d of %d: welcomed as one of %d clients online, want %d: every earlier client is still connected", i+1, n, count, want)
		}
		if want := fmt.Sprintf("Welcome! Clients online: %d (you included). Send your name, or exit to leave.\n", count); welcome != want {
			ts.Fatalf("crowd: client %d of %d: want %q, got %q", i+1, n, want, welcome)
		}

		name := fmt.Sprintf("guest-%d", i+1)
		sendLine(i, name+"\n")
		if got, want := readLine(i, "reply"), "Hello, "+name+"!\n"; got != want {
			ts.Fatalf("crowd: client %d of %d: want %q, got %q", i+1, n, want, got)
		}
	}

	for i := range clients {
		sendLine(i, "exit\n")
		if got := readLine(i, "goodbye"); got != "Bye!\n" {
			ts.Fatalf("crowd: client %d of %d: want %q, got %q", i+1, n, "Bye!\n", got)
		}
		if rest, err := io.ReadAll(clients[i].in); err != nil || len(rest) > 0 {
			ts.Fatalf("crowd: client %d of %d: want the end of the stream after Bye!, got %q and %v", i+1, n, rest, err)
		}
	}
	fmt.Fprintf(ts.Stdout(), "%d clients connected at once, each welcomed and answered; online counts %d to %d\n", n, firstCount, firstCount+n-1)
}
