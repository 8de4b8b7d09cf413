// Command nethttp is the standard library's file server, which the bench
// measures lesson 04's server against (go run ./tools/bench 04): the whole
// of it is http.FileServer(http.Dir(root)), as the lesson's README shows.
// It listens on a port of 127.0.0.1 that the kernel picks, writes the
// address to a file once it listens, as the lessons' servers do with
// -addrfile, and stops on Ctrl-C.
//
//	go run ./tools/bench/nethttp -root DIR -addrfile FILE
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	root := flag.String("root", ".", "serve the files under this `folder`")
	addrFile := flag.String("addrfile", "addr", "once listening, write the address to this `file`")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	// Written whole under another name, then renamed: whoever waits for
	// the file never reads half an address.
	if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: http.FileServer(http.Dir(*root))}
	go func() { _ = srv.Serve(ln) }() // ends with ErrServerClosed at srv.Close
	<-ctx.Done()
	_ = srv.Close()
}
