// Naive is a WRONG greeting server, kept on purpose so that you can watch
// it fail. Do not copy it: copy ../server.
//
// Its one mistake is the commonest bug in socket programming. It takes one
// Read for one line:
//
//	n, err := conn.Read(buf)   // "surely this is what the client sent"
//
// TCP promises the bytes, in order, and nothing about how they are cut up.
// On loopback one Write by the client almost always arrives as one Read, so
// this server passes every test you try by hand. Put the wire proxy in
// front of it, delivering one byte at a time as a slow network may, and
// "Ada" gets four greetings: "Hello, A!", "Hello, d!", "Hello, a!" and, for
// the newline alone, "Hello, !". Send it two lines in one write, as a
// pipelining client does, and it greets "Ada\nGrace" as one name. README, "Framing: one Read is not one message".
//
//	go run ./lessons/02-concurrent/naive                               # on 127.0.0.1:9998
//	go run ./tools/wiretap -to 127.0.0.1:9998 -split 1 -delay 50ms     # prints its own address
//	nc 127.0.0.1 PORT                                                  # PORT: the one wiretap printed
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `usage: naive [-addr ADDR] [-addrfile FILE]

A deliberately wrong greeting server: it takes one Read for one line.
Run it behind "go run ./tools/wiretap -split 1" to see it fail.

`

func main() {
	log.SetFlags(0)
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "naive:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("naive", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:9998", "address to listen on")
	addrFile := flags.String("addrfile", "", "once listening, write the address to this `file` (for scripts)")
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
		return fmt.Errorf("%v (see naive -h)", err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			return err
		}
	}
	log.Printf("listening on %s (the naive server: one Read taken for one line)", ln.Addr())

	// Ctrl-C closes the listener, which ends the loop below.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			log.Print("stopped")
			return nil
		}
		if err != nil {
			return err
		}
		go converse(conn)
	}
}

// converse is where the bug lives.
func converse(conn net.Conn) {
	defer conn.Close()
	who := conn.RemoteAddr().String()
	log.Printf("%s connected", who)
	fmt.Fprintln(conn, "Welcome! Send your name, or exit to leave.")
	buf := make([]byte, 1024)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			log.Printf("%s left", who)
			return
		}
		// WRONG: whatever this one Read returned is taken for one whole
		// line. It may be part of a line, or several lines, or both.
		log.Printf("%s sent %q in one Read", who, buf[:n])
		name := strings.TrimRight(string(buf[:n]), "\r\n")
		if name == "exit" {
			fmt.Fprintln(conn, "Bye!")
			log.Printf("%s said exit", who)
			return
		}
		fmt.Fprintf(conn, "Hello, %s!\n", name)
	}
}
