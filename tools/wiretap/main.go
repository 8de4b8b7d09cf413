// Wiretap sits between a client and a server and shows what travels
// between them: every chunk with its direction, time and bytes, every FIN
// and RST, and how each connection ended. It can also be unkind on
// purpose, to show what a program assumes about the network.
//
//	go run ./lessons/01-echo/server                          # the server, on 127.0.0.1:1234
//	go run ./tools/wiretap -to 127.0.0.1:1234                # prints the address to use instead
//	go run ./lessons/01-echo/client -addr 127.0.0.1:PORT hi  # PORT: the one wiretap printed
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

	"github.com/socketbook/socketbook/internal/wire"
)

const usage = `usage: wiretap -to ADDR [-addr ADDR] [options]

Listens on -addr, forwards every connection to the server at -to, and prints
what travels each way, with CR, LF, tabs and NUL made visible.

  wiretap -to 127.0.0.1:1234                  watch lesson 01's echo
  wiretap -to 127.0.0.1:9999 -split 1         deliver byte by byte
  wiretap -to 127.0.0.1:9999 -merge           deliver several writes as one
  wiretap -udp -to 127.0.0.1:9999 -drop 30    lose 30% of the datagrams

`

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "wiretap:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("wiretap", flag.ContinueOnError)
	to := flags.String("to", "", "the server's `address`: host:port, or a unix socket's path")
	addr := flags.String("addr", "127.0.0.1:0", "address to listen on; port 0 lets the kernel pick")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
	udp := flags.Bool("udp", false, "relay UDP datagrams instead of TCP streams")
	split := flags.Int("split", 0, "TCP: deliver at most `N` bytes per write (1: byte by byte)")
	merge := flags.Bool("merge", false, "TCP: hold bytes back and deliver several writes as one")
	hold := flags.Duration("hold", 20*time.Millisecond, "TCP: with -merge, how long to hold bytes back")
	delay := flags.Duration("delay", 0, "TCP: pause this long before each write")
	drop := flags.Float64("drop", 0, "UDP: lose this `percent` of the datagrams")
	dup := flags.Float64("dup", 0, "UDP: deliver this `percent` of the datagrams twice")
	reorder := flags.Bool("reorder", false, "UDP: hold every other datagram back and deliver it after the next")
	seed := flags.Uint64("seed", 1, "UDP: seed for -drop, -dup and -reorder; the same seed repeats a run")
	show := flags.Int("max", 64, "show at most `N` bytes of each chunk (0: all)")
	quiet := flags.Bool("notimes", false, "leave out the time offsets")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	flags.SetOutput(io.Discard)
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		flags.SetOutput(os.Stdout)
		flags.Usage()
		return nil
	} else if err != nil {
		return fmt.Errorf("%v (see wiretap -h)", err)
	}
	switch {
	case *to == "":
		return errors.New("say where the server is with -to, for example -to 127.0.0.1:1234")
	case flags.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see wiretap -h)", flags.Arg(0))
	case *split < 0, *delay < 0, *hold <= 0, *show < 0:
		return errors.New("-split, -delay, -hold and -max cannot be negative (and -hold not zero)")
	case *drop < 0 || *drop > 100 || *dup < 0 || *dup > 100:
		return errors.New("-drop and -dup are percentages, from 0 to 100")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	timeline := wire.NewTimeline(os.Stdout)
	timeline.Max = *show
	timeline.NoTimes = *quiet

	var serve func() error
	var listening net.Addr
	if *udp {
		pc, err := net.ListenPacket("udp", *addr)
		if err != nil {
			return fmt.Errorf("cannot listen: %w", err)
		}
		p := &wire.UDPProxy{To: *to, Log: timeline, UDPOptions: wire.UDPOptions{Drop: *drop, Dup: *dup, Reorder: *reorder, Seed: *seed}}
		listening = pc.LocalAddr()
		serve = func() error { return p.Serve(ctx, pc.(*net.UDPConn)) }
	} else {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return fmt.Errorf("cannot listen: %w", err)
		}
		p := &wire.Proxy{To: *to, Log: timeline, Options: wire.Options{Split: *split, Delay: *delay}}
		if *merge {
			p.Merge = *hold
		}
		listening = ln.Addr()
		serve = func() error { return p.Serve(ctx, ln) }
	}
	log.Printf("listening on %s, forwarding to %s", listening, *to)
	if *addrFile != "" {
		// Write, then rename: a script waiting for the file never reads half of it.
		if err := os.WriteFile(*addrFile+".tmp", []byte(listening.String()+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			return err
		}
	}
	err := serve()
	log.Print("stopped")
	return err
}
