// Client is lesson 05's echo client, with its socket options and its
// time-outs on switches. Every flag starts at Go's default.
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

// roundTrips sends each message as one line and reads all of its echo
// before sending the next.
func roundTrips(conn *timedConn, msgs []string, out io.Writer) error {
	for _, msg := range msgs {
		line := []byte(msg + "\n")
		if _, err := conn.Write(line); err != nil {
			return sendError(conn, err)
		}
		reply := make([]byte, len(line))
		if n, err := io.ReadFull(conn, reply); err != nil {
			return replyError(conn, err, n, len(line))
		}
		if _, err := out.Write(reply); err != nil {
			return err
		}
	}
	return nil
}

// hangUp half-closes (FIN) and reads until the server closes its side too.
func hangUp(conn *timedConn) error {
	if err := conn.closeWrite(); err != nil {
		return err
	}
	extra, err := io.Copy(io.Discard, conn)
	if err != nil {
		return replyError(conn, err, 0, 0)
	}
	if extra > 0 {
		return fmt.Errorf("the server sent %d bytes more than we sent it", extra)
	}
	return nil
}

// sent is what the sending half of stream reports when it is done.
type sent struct {
	n   int64
	err error
}

// stream sends everything from in and copies the echo to out, both at
// once, then half-closes (see lesson 01).
func stream(conn *timedConn, in io.Reader, out io.Writer) error {
	done := make(chan sent, 1)
	go func() {
		n, err := io.Copy(conn, in)
		done <- sent{n, err} // before the close below, so it is here when the reader wakes
		if err != nil {
			conn.Close() // nothing more will come: wake the reader below
			return
		}
		conn.closeWrite()
	}()

	got, err := io.Copy(out, conn)
	var s sent
	select {
	case s = <-done:
	default:
		s.err = errors.New("the server closed the connection before the end of the input")
	}
	switch {
	case s.err != nil && !errors.Is(s.err, net.ErrClosed):
		return sendError(conn, s.err) // the cause; the reader only saw our Close
	case err != nil:
		return replyError(conn, err, 0, 0)
	case got != s.n:
		return fmt.Errorf("sent %d bytes but got %d back", s.n, got)
	}
	return nil
}

// sendError explains a failed write.
func sendError(conn *timedConn, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) && !conn.interrupted() {
		return fmt.Errorf("send: the server took no data for %v (write time-out: its buffers are full, it is not reading; see -writetimeout)", conn.write)
	}
	return fmt.Errorf("send: %w", err)
}

// replyError explains a failed read: got of want bytes had come.
func replyError(conn *timedConn, err error, got, want int) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) && !conn.interrupted():
		return fmt.Errorf("no reply within %v (read time-out; see -readtimeout)", conn.read)
	case errors.Is(err, syscall.ECONNRESET):
		// RST instead of FIN: the server crashed, or closed with
		// SO_LINGER 0. Whatever it had sent before, we have read.
		return errors.New("the server reset the connection (RST: connection reset by peer) instead of closing it")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("the server closed the connection after echoing %d of %d bytes", got, want)
	}
	return fmt.Errorf("receive: %w", err)
}
