// Server is lesson 03's upper-case server over UDP. It reads datagrams,
// each with the address of its sender, and answers each one with its text
// in upper case, sent back to that sender. There is no connection and no
// socket per client: one socket talks to everybody. That loop is in
// serve.go; this file reads the flags and opens the socket.
//
//	go run ./lessons/03-udp/server                  # listens on 127.0.0.1:9999 (UDP)
//	go run ./lessons/03-udp/client hello            # in another terminal
//	nc -u 127.0.0.1 9999                            # or talk to it by hand
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
)

const usage = `usage: server [-network udp|udp4|udp6] [-addr ADDR] [-drop PERCENT] [-seed N] [-max BYTES]

Upper-case server over UDP: answers each datagram with its text in upper
case, sent back to the address it came from.

  server                                  listen on 127.0.0.1:9999 (UDP)
  server -addr 127.0.0.1:0                let the kernel pick a free port
  server -network udp6 -addr '[::1]:9999' IPv6 loopback
  server -drop 30                         lose 30% of what arrives, on purpose
  server -max 16                          a datagram over 16 bytes is truncated

`

// maxDatagram is the most one UDP datagram can carry: 65,527 bytes, over
// IPv6. Over IPv4 it is 20 bytes less (see maxPayload).
const maxDatagram = 65527

func main() {
	log.SetFlags(0) // one plain line per event: easy to read, easy to compare
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("server", flag.ContinueOnError)
	network := flags.String("network", "udp", "udp, udp4 or udp6")
	addr := flags.String("addr", "127.0.0.1:9999", "address to listen on, host:port")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
	drop := flags.Int("drop", 0, "drop this `percent` of incoming datagrams, to see loss on loopback")
	seed := flags.Uint64("seed", 1, "seed of the drop decisions: the same seed drops the same datagrams")
	maxSize := flags.Int("max", maxDatagram, "largest datagram, in `bytes`, read whole; a longer one is truncated and not answered")
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
	if err := checkNetwork(*network); err != nil {
		return err
	}
	if *drop < 0 || *drop > 100 {
		return fmt.Errorf("-drop %d is not a percentage (use 0 to 100)", *drop)
	}
	if *maxSize < 1 || *maxSize > maxDatagram {
		return fmt.Errorf("-max %d is out of range (use 1 to %d)", *maxSize, maxDatagram)
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see server -h)", flags.Arg(0))
	}

	// Ctrl-C (SIGINT) or a polite kill (SIGTERM) cancels ctx: that is how
	// the server learns it should stop.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// For UDP there is no listen() and no accept(): net.ListenUDP does
	// socket() and bind(), and the socket is ready to receive at once.
	laddr, err := net.ResolveUDPAddr(*network, *addr)
	if err != nil {
		return fmt.Errorf("bad -addr: %w", err)
	}
	conn, err := net.ListenUDP(*network, laddr)
	if err != nil {
		return listenError(*addr, err)
	}
	log.Printf("listening on %s", conn.LocalAddr())
	if *addrFile != "" {
		if err := writeAddr(*addrFile, conn.LocalAddr().String()); err != nil {
			conn.Close()
			return err
		}
	}

	s := &server{max: *maxSize, drop: *drop, rng: newDropper(*seed)}
	err = s.serve(ctx, conn)
	log.Print("stopped")
	return err
}

// listenError turns a port that is taken into a sentence that says what to
// do about it. (A UDP port and a TCP port with the same number are two
// different ports: lesson 01's server on TCP 1234 does not take UDP 1234.)
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

// checkNetwork accepts the networks this program can use.
func checkNetwork(network string) error {
	switch network {
	case "udp", "udp4", "udp6":
		return nil
	}
	return fmt.Errorf("unknown network %q (use -network udp, udp4 or udp6)", network)
}
