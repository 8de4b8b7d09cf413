// Server echoes each line a client sends, with the mistakes the runner's
// tests need: its log ends lines with CR LF, -crash exits before it
// listens, -hang never says it is ready and will not stop.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	addrFile := flag.String("addrfile", "", "write the address here once listening")
	crash := flag.Bool("crash", false, "exit with status 1 before listening")
	hang := flag.Bool("hang", false, "never write the address, ignore SIGINT and SIGQUIT")
	flag.Parse()
	if *crash {
		fmt.Fprintln(os.Stderr, "reading settings")
		fmt.Fprintln(os.Stderr, "server: cannot read settings.json: no such file")
		os.Exit(1)
	}
	if *hang {
		signal.Ignore(os.Interrupt, syscall.SIGQUIT)
		select {}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "listening on %s\r\n", ln.Addr())
	if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o666); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go func() { <-ctx.Done(); ln.Close() }()
	for {
		conn, err := ln.Accept()
		if err != nil {
			break
		}
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			fmt.Fprintf(conn, "%s\n", sc.Text())
		}
		conn.Close()
	}
	fmt.Fprint(os.Stderr, "stopped\r\n")
}
