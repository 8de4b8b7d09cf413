// Server is lesson 05's echo server, with its socket options on switches.
// Every flag starts at Go's default, so each demonstration changes one
// thing and the README shows what that one thing does. The echo and its
// accept loop are in serve.go; this file reads the flags, checks them and
// opens the listener with the options asked for.
//
//	go run ./lessons/05-options/server -show            # print each connection's options
//	go run ./lessons/05-options/server -idle 10s        # close silent clients
//	go run ./lessons/05-options/server -reuseaddr=false # see TIME_WAIT block a restart
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/socketbook/socketbook/lessons/05-options/internal/sockopt"
)

const usage = `usage: server [-addr ADDR] [options]

Echo server whose socket options you can switch and read back.

  server -show                      print each connection's options
  server -idle 10s                  close a client that stays silent for 10s
  server -writetimeout 2s           cut off a client that reads nothing for 2s
  server -linger 0                  close every connection with RST
  server -reuseaddr=false           refuse to restart while TIME_WAIT lingers
  server -reuseport                 share the port with another server (Linux)
  server -backlog 1 -noaccept       a full backlog, to watch connects time out (Linux)

`

func main() {
	log.SetFlags(0) // one plain line per event: easy to read, easy to compare
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// config is everything the flags decide.
type config struct {
	addr, addrFile string
	opts           sockopt.Settings
	reuseAddr      bool          // SO_REUSEADDR: Go turns it on for listeners
	reusePort      bool          // SO_REUSEPORT: off unless asked for
	backlog        int           // 0 keeps Go's choice, the system's maximum
	noAccept       bool          // listen, but never call Accept
	idle           time.Duration // close a client silent for this long; 0: never
	writeTimeout   time.Duration // cut off a client that reads nothing for this long; 0: never
}

func run(args []string) error {
	var cfg config
	flags := flag.NewFlagSet("server", flag.ContinueOnError)
	flags.StringVar(&cfg.addr, "addr", "127.0.0.1:1234", "address to listen on")
	flags.StringVar(&cfg.addrFile, "addrfile", "", "once listening, write the address to this `file` (for scripts)")
	flags.BoolVar(&cfg.reuseAddr, "reuseaddr", true, "SO_REUSEADDR: bind even while old connections wait in TIME_WAIT")
	flags.BoolVar(&cfg.reusePort, "reuseport", false, "SO_REUSEPORT: let several servers listen on one port (Linux)")
	flags.IntVar(&cfg.backlog, "backlog", 0, "listen backlog: connections the kernel queues before Accept (0: Go's default; Linux)")
	flags.BoolVar(&cfg.noAccept, "noaccept", false, "listen but never accept: connections pile up in the backlog")
	flags.DurationVar(&cfg.idle, "idle", 0, "close a client that sends nothing for this long (0: never)")
	flags.DurationVar(&cfg.writeTimeout, "writetimeout", 10*time.Second, "cut off a client that takes none of the echo for this long (0: never, Go's default)")
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
		return fmt.Errorf("%v (see server -h)", err)
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see server -h)", flags.Arg(0))
	}
	if err := cfg.check(); err != nil {
		return err
	}

	// Ctrl-C (SIGINT) or a polite kill (SIGTERM) cancels ctx.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := listen(ctx, cfg)
	if err != nil {
		return err
	}
	log.Printf("listening on %s", ln.Addr())
	if cfg.addrFile != "" {
		if err := writeAddr(cfg.addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}

	if cfg.noAccept {
		// The kernel still completes handshakes and queues the
		// connections, up to the backlog; nobody takes them off the queue.
		log.Print("not accepting: connections wait in the backlog")
		<-ctx.Done()
		ln.Close()
	} else {
		s := &server{opts: cfg.opts, idle: cfg.idle, writeTimeout: cfg.writeTimeout}
		s.serve(ctx, ln)
	}
	log.Print("stopped")
	return nil
}

// maxBacklog is the largest -backlog: the kernel caps the backlog at
// net.core.somaxconn anyway, and a larger number would be cut to 32 bits.
const maxBacklog = 65535

// check rejects flag values no socket can take, before anything is opened,
// naming the flag, the value and the range it takes.
func (cfg *config) check() error {
	for _, t := range []struct {
		flag string
		v    time.Duration
	}{{"idle", cfg.idle}, {"writetimeout", cfg.writeTimeout}} {
		if t.v < 0 {
			return fmt.Errorf("-%s %v is out of range (use 0 for never, or a duration above 0)", t.flag, t.v)
		}
	}
	if cfg.backlog < 0 || cfg.backlog > maxBacklog {
		return fmt.Errorf("-backlog %d is out of range (use 0 for Go's default, or 1 to %d)", cfg.backlog, maxBacklog)
	}
	if err := cfg.opts.Check(); err != nil {
		return err
	}
	return sockopt.CheckListen(cfg.reuseAddr, cfg.reusePort, cfg.backlog)
}

// listen opens the listener with the options that must be set before
// bind() (ListenConfig.Control) and then the backlog.
func listen(ctx context.Context, cfg config) (*net.TCPListener, error) {
	lc := net.ListenConfig{Control: cfg.opts.ListenControl(cfg.reuseAddr, cfg.reusePort)}
	l, err := lc.Listen(ctx, "tcp", cfg.addr)
	if err != nil {
		return nil, listenError(cfg, err)
	}
	ln := l.(*net.TCPListener)
	if cfg.backlog > 0 {
		if err := sockopt.SetBacklog(ln, cfg.backlog); err != nil {
			ln.Close()
			return nil, err
		}
	}
	return ln, nil
}

// listenError turns "address already in use" into a sentence that names
// both of its usual causes.
func listenError(cfg config, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		why := "is another server running there? stop it, or choose another port with -addr"
		if !cfg.reuseAddr {
			why = "another server runs there, or connections of an earlier run still wait in TIME_WAIT: keep -reuseaddr on"
		}
		return fmt.Errorf("cannot listen on %s: address already in use (%s)", cfg.addr, why)
	}
	return fmt.Errorf("cannot listen: %w", err)
}

// writeAddr writes addr to file in one step (write, then rename), so a
// script waiting for the file never reads half an address.
func writeAddr(file, addr string) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
