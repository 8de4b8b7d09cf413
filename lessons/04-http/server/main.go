// Server is lesson 04's web server: it serves the files of a folder over
// HTTP/1.1, written on a plain TCP listener with its own parser. (Go's
// net/http does all of this in a few lines; the README shows how. Here we
// write it ourselves to see what HTTP is made of.)
//
//	go run ./lessons/04-http/server                # serves lessons/04-http/www on 127.0.0.1:8080
//	go run ./lessons/04-http/client http://127.0.0.1:8080/
//	printf 'GET / HTTP/1.0\r\n\r\n' | nc 127.0.0.1 8080
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
	"path/filepath"
	"syscall"
	"time"
)

const usage = `usage: server [-addr ADDR] [-root DIR] [-read-timeout D] [-idle-timeout D] [-write-timeout D]

Web server: answers HTTP GET and HEAD requests with the files under DIR.
Open http://127.0.0.1:8080/ in a browser once it is listening.

  server                                  serve the lesson's www folder on 127.0.0.1:8080
  server -root ~/site -addr 127.0.0.1:0   another folder, a port the kernel picks
  server -read-timeout 2s                 give slow clients less time

`

func main() {
	log.SetFlags(0) // one plain line per event: easy to read, easy to compare
	logs := &logWriter{out: os.Stderr}
	log.SetOutput(logs)
	err := run(os.Args[1:])
	logs.Flush()
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("server", flag.ContinueOnError)
	network := flags.String("network", "tcp", "tcp, tcp4 or tcp6")
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on")
	root := flags.String("root", defaultRoot(), "serve the files under this `folder`")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
	readTimeout := flags.Duration("read-timeout", 10*time.Second, "time a client has to send a request's head")
	idleTimeout := flags.Duration("idle-timeout", 60*time.Second, "time a kept-open connection may wait for its next request")
	writeTimeout := flags.Duration("write-timeout", 30*time.Second, "time a client has to take a response's head, and each MiB of its body")
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
	switch *network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("unknown network %q (use -network tcp, tcp4 or tcp6)", *network)
	}
	// A time-out of zero or less would time every client out at once: the
	// server would run and answer nobody. Better to say so now.
	for _, t := range []struct {
		flag  string
		value time.Duration
	}{{"-read-timeout", *readTimeout}, {"-idle-timeout", *idleTimeout}, {"-write-timeout", *writeTimeout}} {
		if t.value <= 0 {
			return fmt.Errorf("%s must be more than zero, not %v (for example 10s)", t.flag, t.value)
		}
	}
	dir, err := realRoot(*root)
	if err != nil {
		return fmt.Errorf("cannot serve %s: %v (name a folder with -root)", *root, err)
	}
	s := &server{root: dir, readTimeout: *readTimeout, idleTimeout: *idleTimeout, writeTimeout: *writeTimeout}

	// Ctrl-C (SIGINT) or a polite kill (SIGTERM) cancels ctx: that is how
	// the server learns it should stop.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Go turns TCP keep-alive on for every connection it accepts (lesson
	// 05): probes that find a client who vanished without a word. This
	// server's time-outs find such a client already, since it always waits
	// with a deadline, so the listener turns keep-alive off (KeepAlive: -1)
	// and saves four setsockopt calls on every connection.
	lc := net.ListenConfig{KeepAlive: -1}
	ln, err := lc.Listen(ctx, *network, *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	log.Printf("listening on %s", ln.Addr())
	if *addrFile != "" {
		if err := writeAddr(*addrFile, ln.Addr().String()); err != nil {
			ln.Close()
			return err
		}
	}

	s.serve(ctx, ln)
	log.Print("stopped")
	return nil
}

// defaultRoot finds the lesson's www folder, whether the server runs from
// the repository's root (as the README does) or from the lesson's folder.
func defaultRoot() string {
	www := filepath.Join("lessons", "04-http", "www")
	if info, err := os.Stat(www); err == nil && info.IsDir() {
		return www
	}
	return "www"
}

// listenError turns the most common mistake, a port that is taken, into a
// sentence that says what to do about it.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("cannot listen on %s: address already in use (is another server running there? stop it, or choose another port with -addr)", addr)
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
