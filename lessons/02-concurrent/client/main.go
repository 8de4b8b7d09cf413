// Client is lesson 02's client for the greeting server. It has three modes:
//
//	go run ./lessons/02-concurrent/client                  # type names; exit or Ctrl-D ends
//	go run ./lessons/02-concurrent/client Ada Grace exit   # the same, from arguments
//	go run ./lessons/02-concurrent/client -load 10         # 10 clients at once, timed
//	go run ./lessons/02-concurrent/client -hold 10000      # 10,000 idle clients, held open
//
// talk.go is the conversation; load.go and hold.go are the other modes.
// This file reads the flags and connects.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

const usage = `usage: client [-addr ADDR] [NAME ...]
       client [-addr ADDR] -load CONNS [-rounds N]
       client [-addr ADDR] -hold CONNS

Talks to the greeting server. With NAMEs it sends each as a line, then
hangs up; with none it sends what you type, a line at a time. Everything
the server says is printed. "exit" ends the session, and so does Ctrl-D.

With -load it opens CONNS connections at once, makes each do N round
trips, and prints the throughput, the latency and a histogram. With -hold
it opens CONNS connections and keeps them, idle, until Ctrl-C.

  client Ada 'Ада' exit
  client -load 100 -rounds 1000
  client -hold 10000

`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	network := flags.String("network", "tcp", "tcp, tcp4, tcp6 or unix")
	addr := flags.String("addr", "127.0.0.1:9999", "server address: host:port, or a file path for unix")
	timeout := flags.Duration("timeout", 5*time.Second, "give up connecting, or waiting for the welcome (or under -load, for a reply), after this long")
	loadConns := flags.Int("load", 0, "open this many `connections` at once and time their round trips")
	rounds := flags.Int("rounds", 100, "with -load: round trips per connection")
	holdConns := flags.Int("hold", 0, "open this many `connections` and keep them idle until Ctrl-C")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	flags.SetOutput(io.Discard) // we report a bad flag ourselves, in one line
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		flags.SetOutput(os.Stdout)
		flags.Usage()
		return nil
	} else if err != nil {
		return fmt.Errorf("%v (see client -h)", err)
	}
	if err := checkNetwork(*network); err != nil {
		return err
	}
	if *timeout <= 0 {
		// DialTimeout would take 0 for no time-out at all, and a negative
		// one for a time-out already over.
		return fmt.Errorf("-timeout %v is out of range (use a duration above 0, such as 5s)", *timeout)
	}
	d := dialer{*network, *addr, *timeout}

	switch {
	case *loadConns < 0 || *holdConns < 0 || *rounds < 1:
		return errors.New("-load and -hold need a number of connections, and -rounds at least 1 (see client -h)")
	case *loadConns > 0 && *holdConns > 0:
		return errors.New("-load and -hold cannot be used together (see client -h)")
	case (*loadConns > 0 || *holdConns > 0) && flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q: -load and -hold send names of their own (see client -h)", flags.Arg(0))
	case *loadConns > 0:
		return load(d, *loadConns, *rounds, os.Stdout)
	case *holdConns > 0:
		return hold(d, *holdConns, os.Stdout)
	}

	conn, err := d.dial()
	if err != nil {
		return err
	}
	defer conn.Close()
	in := io.Reader(os.Stdin)
	if flags.NArg() > 0 {
		in = strings.NewReader(strings.Join(flags.Args(), "\n") + "\n")
	}
	return talk(conn, in, os.Stdout, *timeout)
}

// dialer knows where the server is; every mode connects through it.
type dialer struct {
	network, addr string
	timeout       time.Duration
}

// dial connects, and says why it could not, and what to try.
func (d dialer) dial() (net.Conn, error) {
	conn, err := net.DialTimeout(d.network, d.addr, d.timeout)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		// The machine answered, but no program listens on that port.
		return nil, fmt.Errorf("cannot connect to %s: connection refused (is the server running? start it with: go run ./lessons/02-concurrent/server)", d.addr)
	case errors.Is(err, syscall.EMFILE):
		return nil, fmt.Errorf("cannot connect: this process may open no more files (raise the limit with: ulimit -n 20000)")
	case err != nil:
		return nil, fmt.Errorf("cannot connect: %w", err)
	}
	return conn, nil
}

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "tcp", "tcp4", "tcp6", "unix":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network tcp, tcp4, tcp6 or unix)", network)
}
