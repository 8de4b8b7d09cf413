// Client is lesson 05's echo client, with its socket options and its
// time-outs on switches. Every flag starts at Go's default. The
// conversation is in roundtrip.go; this file reads the flags and connects.
//
//	go run ./lessons/05-options/client -show hello          # the options, then the echo
//	go run ./lessons/05-options/client -readtimeout 2s hi   # give up on a silent server
//	go run ./lessons/05-options/client < notes.txt          # a whole file
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/socketbook/socketbook/lessons/05-options/internal/sockopt"
)

const usage = `usage: client [-addr ADDR] [options] [MESSAGE ...]

Sends each MESSAGE as a line to the echo server and prints the reply; with
no MESSAGE it sends standard input and prints everything that comes back.

  client -show hello                  print the socket's options, then the echo
  client -connecttimeout 200ms hello  give up connecting after 200ms
  client -readtimeout 2s hello        give up waiting for a reply after 2s
  client -nodelay=false hello         turn Nagle's algorithm back on

`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

// config is everything the flags decide.
type config struct {
	addr           string
	opts           sockopt.Settings
	connectTimeout time.Duration // Python's settimeout, for connect
	readTimeout    time.Duration // ... for each read; 0: wait for ever
	writeTimeout   time.Duration // ... for each write; 0: wait for ever
}

func run(args []string) error {
	var cfg config
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	flags.StringVar(&cfg.addr, "addr", "127.0.0.1:1234", "server address")
	flags.DurationVar(&cfg.connectTimeout, "connecttimeout", 5*time.Second, "give up connecting after this long")
	flags.DurationVar(&cfg.readTimeout, "readtimeout", 0, "give up when a read waits this long (0: wait for ever)")
	flags.DurationVar(&cfg.writeTimeout, "writetimeout", 0, "give up when a write waits this long (0: wait for ever)")
	cfg.opts.AddFlags(flags)
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
	if err := cfg.check(); err != nil {
		return err
	}

	// Ctrl-C cancels ctx. Installed first, before we connect, so that a
	// Ctrl-C at any moment from here on is ours to handle.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	conn, err := dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Go's answer to setblocking(False): the goroutine that waits for
	// Ctrl-C releases a Read blocked in this one by moving the deadline
	// into the past. The blocked Read returns at once.
	release := context.AfterFunc(ctx, conn.interrupt)
	defer release()

	if cfg.opts.Show {
		opts, err := sockopt.Read(conn.tcp)
		if err != nil {
			return fmt.Errorf("cannot read the options: %w", err)
		}
		sockopt.Print(os.Stdout, opts)
	}

	if flags.NArg() > 0 {
		err = roundTrips(conn, flags.Args(), os.Stdout)
		if err == nil {
			err = hangUp(conn)
		}
	} else {
		err = stream(conn, os.Stdin, os.Stdout)
	}
	if ctx.Err() != nil {
		return errors.New("interrupted (Ctrl-C) before the server had replied")
	}
	return err
}

// check rejects flag values no socket can take.
func (cfg *config) check() error {
	for _, t := range []struct {
		flag string
		v    time.Duration
	}{{"connecttimeout", cfg.connectTimeout}, {"readtimeout", cfg.readTimeout}, {"writetimeout", cfg.writeTimeout}} {
		if t.v < 0 {
			return fmt.Errorf("-%s must not be negative (got %v)", t.flag, t.v)
		}
	}
	if cfg.connectTimeout == 0 {
		return errors.New("-connecttimeout must be more than 0 (a connect that may wait for ever is never what you want)")
	}
	return cfg.opts.Check()
}

// dial connects with the buffers set before connect (Control) and the
// other options set after, and wraps the connection in its time-outs.
func dial(ctx context.Context, cfg config) (*timedConn, error) {
	d := net.Dialer{Timeout: cfg.connectTimeout, Control: cfg.opts.Control}
	c, err := d.DialContext(ctx, "tcp", cfg.addr)
	if err != nil {
		return nil, dialError(cfg, err)
	}
	tcp := c.(*net.TCPConn)
	if err := cfg.opts.Apply(tcp); err != nil {
		tcp.Close()
		return nil, err
	}
	return &timedConn{tcp: tcp, read: cfg.readTimeout, write: cfg.writeTimeout}, nil
}

// dialError says why we could not connect, and what to try.
func dialError(cfg config, err error) error {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("cannot connect to %s: connection refused (is the server running? start it with: go run ./lessons/05-options/server)", cfg.addr)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		// Dial turns its Timeout into both a context and a deadline on
		// the socket, and whichever fires first names the error: the
		// context's DeadlineExceeded, or the socket's, as for a Read.
		return fmt.Errorf("cannot connect to %s: no answer within %v (connect time-out: is the server's backlog full, or a firewall dropping the SYN? see -connecttimeout)", cfg.addr, cfg.connectTimeout)
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted (Ctrl-C) before the server had replied")
	}
	return fmt.Errorf("cannot connect: %w", err)
}
