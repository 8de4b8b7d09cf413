package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLines feeds any bytes at all to the line reader and the protocol, as
// a hostile client could, and checks them against a plain description of
// the framing: lines end at "\n" (a "\r" before it is dropped), a line that
// does not fit in the buffer is ErrBufferFull, and bytes after the last
// newline are not a line. Every reply must be one line of valid UTF-8.
//
//	go test -fuzz FuzzLines -fuzztime 60s ./server
func FuzzLines(f *testing.F) {
	for _, seed := range []string{
		"Ada\n", "exit\r\n", "\n", "caf\xe9\n", "Ada\nGrace\nexit\nLinus\n",
		"no newline", "a\rb\n", strings.Repeat("x", 15) + "\n", strings.Repeat("x", 16) + "\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bufio.NewReaderSize(bytes.NewReader(data), minLine)
		rest := data // what the reader has not returned yet, by the description
		for {
			line, err := readLine(in)
			end := bytes.IndexByte(rest, '\n')
			switch {
			case end < 0 && len(rest) < minLine: // no newline, and it fits
				if !errors.Is(err, io.EOF) {
					t.Fatalf("at %q: want io.EOF, got %q, %v", rest, line, err)
				}
				return
			case end < 0 || end+1 > minLine: // no newline in the first minLine bytes
				if !errors.Is(err, bufio.ErrBufferFull) {
					t.Fatalf("at %q: want bufio.ErrBufferFull, got %q, %v", rest, line, err)
				}
				return
			}
			want := bytes.TrimSuffix(rest[:end], []byte("\r"))
			if err != nil || !bytes.Equal(line, want) {
				t.Fatalf("at %q: want the line %q, got %q, %v", rest, want, line, err)
			}
			rest = rest[end+1:]

			reply, bye := answer(line)
			if strings.Contains(reply, "\n") || !utf8.ValidString(reply) {
				t.Fatalf("answer(%q) = %q: want one line of UTF-8", line, reply)
			}
			if bye != (string(line) == "exit") {
				t.Fatalf("answer(%q) says bye = %v", line, bye)
			}
		}
	})
}
