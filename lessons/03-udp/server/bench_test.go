package main

// How many round trips a second does the UDP server manage on loopback?
// One client sends a datagram and waits for its reply, again and again,
// with datagrams of three sizes. Run it from the lesson's folder:
//
//	go test -run XXX -bench RoundTrip -benchtime 2s ./server
//
// The server's log is switched off here: writing a line per datagram to a
// terminal costs more than the round trip itself. The README's table
// comes from the workbook's bench (go run ./tools/bench 03/roundtrip),
// which runs this loop against the server program and a Python server;
// the client's -flood shows the loss.

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"strconv"
	"testing"
)

func BenchmarkRoundTrip(b *testing.B) {
	for _, size := range []int{16, 1400, 60000} {
		b.Run(strconv.Itoa(size)+"B", func(b *testing.B) { benchRoundTrip(b, size) })
	}
}

func benchRoundTrip(b *testing.B, size int) {
	logTo := log.Writer()
	log.SetOutput(io.Discard)
	b.Cleanup(func() { log.SetOutput(logTo) })

	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		s := &server{max: maxDatagram, rng: newDropper(1)}
		served <- s.serve(ctx, conn)
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()

	client, err := net.DialUDP("udp", nil, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()

	msg := bytes.Repeat([]byte("a"), size)
	want := bytes.ToUpper(msg)
	reply := make([]byte, 64*1024)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := client.Write(msg); err != nil {
			b.Fatal(err)
		}
		// On loopback nothing is lost unless a buffer overflows, and one
		// datagram in flight at a time cannot overflow anything.
		n, err := client.Read(reply)
		if err != nil {
			b.Fatal(err)
		}
		if !bytes.Equal(reply[:n], want) {
			b.Fatalf("got %d bytes back, want %d bytes in upper case", n, size)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trips/s")
}
