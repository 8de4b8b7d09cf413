package main

import (
	"io"
	"net"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/scenario"
)

// The scenarios in testdata run the real wiretap, built from this folder,
// between a script's own connections and a small echo server of the
// test's own: what a student sees is what is checked.
func TestScenarios(t *testing.T) {
	scenario.Run(t, scenario.Config{
		Programs: []string{"."},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"echoserver": echoServer,
		},
	})
}

// echoserver VAR starts a TCP echo server on a free loopback port and puts
// its address in $VAR. It sends back every byte, and half-closes when the
// client does, so a script sees the whole close go through the proxy.
func echoServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: echoserver VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // closed: the script is over
			}
			go func() {
				defer conn.Close()
				// An echo that breaks shows in the script's transcript.
				if _, err := io.Copy(conn, conn); err == nil {
					_ = conn.(*net.TCPConn).CloseWrite()
				}
			}()
		}
	}()
	ts.Setenv(args[0], ln.Addr().String())
}
