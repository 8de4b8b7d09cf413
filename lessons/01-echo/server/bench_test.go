package main

// What does an echo cost, and what decides it: the size of the buffer, or
// whether the bytes pass through the program at all? These benchmarks
// push data through five echoes over a real loopback connection:
//
//	loop-1KiB       the recv/send loop of the classic tutorials, 1 KiB buffer
//	loop-32KiB      the same loop with io.Copy's buffer size, 32 KiB
//	io.Copy         io.Copy(conn, conn): on Linux the kernel splices, no buffer
//	io.Copy-hidden  io.Copy with the connections hidden behind Read and
//	                Write alone: no splice, io.Copy's own 32 KiB buffer
//	echo            the server's echo: io.Copy through timedWriter
//
// Run them from the lesson's folder:
//
//	go test -run XXX -bench Echo -benchtime 2s -count 5 ./server
//
// The README's tables come from the workbook's bench, which runs them in
// turns and counts each echo's system calls with strace; from the root:
//
//	go run ./tools/bench 01

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func BenchmarkEcho(b *testing.B) {
	b.Run("loop-1KiB", func(b *testing.B) { benchEcho(b, loop(1024)) })
	b.Run("loop-32KiB", func(b *testing.B) { benchEcho(b, loop(32*1024)) })
	b.Run("io.Copy", func(b *testing.B) { benchEcho(b, copyConn) })
	b.Run("io.Copy-hidden", func(b *testing.B) { benchEcho(b, copyHidden) })
	s := &server{writeTimeout: time.Minute}
	b.Run("echo", func(b *testing.B) { benchEcho(b, s.echo) })
}

// loop returns the loop io.Copy saves us from writing, with a buffer of
// size bytes: read what has come, write all of it back, stop at EOF. Each
// turn costs two system calls, read and write, so the buffer decides how
// many turns a megabyte takes.
func loop(size int) func(net.Conn) (int64, error) {
	return func(conn net.Conn) (int64, error) {
		buf := make([]byte, size)
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
}

// copyConn is io.Copy between the connection and itself. io.Copy sees
// that the writer is a *net.TCPConn, which can read from a reader (it has
// a ReadFrom method), and hands it the job; on Linux that asks the kernel
// to splice: to move the data from one socket to a pipe and from the pipe
// to the other socket, page by page, without copying it into the program.
func copyConn(conn net.Conn) (int64, error) {
	return io.Copy(conn, conn)
}

// copyHidden is io.Copy with both ends hidden behind their Read and Write
// methods alone. io.Copy can no longer tell that they are TCP connections,
// so it cannot ask for splice, and copies through a 32 KiB buffer of its
// own, as it does between any reader and writer.
func copyHidden(conn net.Conn) (int64, error) {
	return io.Copy(struct{ io.Writer }{conn}, struct{ io.Reader }{conn})
}

// benchEcho sends b.N chunks of 64 KiB through echoFn and reads them all
// back. Writing and reading run at the same time, as they must: a client
// that wrote everything before reading would fill both sockets' buffers
// and wait forever for a server that is waiting for it. The client reads
// in pieces of 64 KiB, so its own share of the work stays small, and the
// same for every echo.
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

	got, err := readAll(conn, make([]byte, 64*1024))
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

// readAll reads conn to its end into buf, over and over, and counts the
// bytes.
func readAll(conn net.Conn, buf []byte) (int64, error) {
	var total int64
	for {
		n, err := conn.Read(buf)
		total += int64(n)
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}
