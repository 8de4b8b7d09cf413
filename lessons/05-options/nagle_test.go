package lesson_test

// What does Nagle's algorithm cost? These benchmarks time one request over
// a real loopback connection, in the pattern that hurts: the client writes
// a small header, then a small body, then waits for the answer
// (write-write-read). Run them from the lesson's folder:
//
//	go test -run XXX -bench Nagle -benchtime 100x ./
//
// With Nagle on, the body waits in the client's kernel until the header is
// acknowledged; the server's kernel delays that ACK (up to 40ms on Linux),
// hoping to send it along with an answer, and the server cannot answer
// before it has the body. Each request waits for that timer. The README
// quotes the figures this machine gave.

import (
	"io"
	"net"
	"testing"
)

const (
	headerSize = 16 // a small header, as many protocols have
	bodySize   = 32 // and a small body, written separately
)

func BenchmarkNagle(b *testing.B) {
	b.Run("nodelay-write-write-read", func(b *testing.B) { benchRequests(b, true, false) })
	b.Run("nagle-write-write-read", func(b *testing.B) { benchRequests(b, false, false) })
	b.Run("nagle-one-write", func(b *testing.B) { benchRequests(b, false, true) })
}

// benchRequests times b.N requests from a client with TCP_NODELAY set to
// noDelay. With oneWrite, the client sends header and body in one write,
// the other cure for the stall.
func benchRequests(b *testing.B, noDelay, oneWrite bool) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go answer(ln)

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if err := conn.(*net.TCPConn).SetNoDelay(noDelay); err != nil {
		b.Fatal(err)
	}

	request := make([]byte, headerSize+bodySize)
	reply := make([]byte, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if oneWrite {
			_, err = conn.Write(request)
		} else if _, err = conn.Write(request[:headerSize]); err == nil {
			_, err = conn.Write(request[headerSize:])
		}
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, reply); err != nil {
			b.Fatal(err)
		}
	}
}

// answer serves one connection: it reads each whole request, then sends a
// one-byte reply, until the client hangs up.
func answer(ln net.Listener) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	request := make([]byte, headerSize+bodySize)
	for {
		if _, err := io.ReadFull(conn, request); err != nil {
			return // io.EOF: the benchmark is over
		}
		if _, err := conn.Write([]byte{'k'}); err != nil {
			return
		}
	}
}
