package main

// How fast is an echo server, and does the size of its buffer matter?
// These benchmarks push data through the server's echo over a real loopback
// connection, once with io.Copy (what the server uses) and once with the
// recv/send loop of the classic tutorials, written by hand with a 1 KiB
// buffer. Run them from the lesson's folder:
//
//	go test -bench Echo -benchtime 2s ./server
//
// The README quotes the figures this machine gave.

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func BenchmarkEcho(b *testing.B) {
	b.Run("io.Copy", func(b *testing.B) { benchEcho(b, func(c net.Conn) (int64, error) { return echo(c, time.Minute) }) })
	b.Run("loop-1KiB", func(b *testing.B) { benchEcho(b, echoSmallBuffer) })
}

// echoSmallBuffer is the loop io.Copy saves us from writing: read up to
// 1 KiB, write back all of it, stop at EOF. Each turn costs two system
// calls, so a small buffer means many turns.
func echoSmallBuffer(conn net.Conn) (int64, error) {
	buf := make([]byte, 1024)
	var total int64
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			w, werr := conn.Write(buf[:n])
			total += int64(w)
			if werr != nil {
				return total, werr
			}
		}
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// benchEcho sends b.N chunks of 64 KiB through echoFn and reads them all
// back. Writing and reading run at the same time, as they must: a client
// that wrote everything before reading would fill both sockets' buffers
// and wait forever for a server that is waiting for it.
func benchEcho(b *testing.B, echoFn func(net.Conn) (int64, error)) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()

	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer conn.Close()
		_, err = echoFn(conn)
		served <- err
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()

	chunk := make([]byte, 64*1024)
	b.SetBytes(int64(len(chunk)))
	b.ResetTimer()

	wrote := make(chan error, 1)
	go func() {
		for i := 0; i < b.N; i++ {
			if _, err := conn.Write(chunk); err != nil {
				wrote <- err
				return
			}
		}
		wrote <- conn.(*net.TCPConn).CloseWrite()
	}()

	got, err := io.Copy(io.Discard, conn)
	if err != nil {
		b.Fatal(err)
	}
	if err := <-wrote; err != nil {
		b.Fatal(err)
	}
	if err := <-served; err != nil {
		b.Fatal(err)
	}
	if want := int64(b.N) * int64(len(chunk)); got != want {
		b.Fatalf("echoed %d bytes, sent %d", got, want)
	}
}
