package main

// The parser on its own, without a network: a table of requests and what
// readRequest makes of them, and a fuzz test that feeds it random bytes.
//
//	go test -run TestReadRequest ./server
//	go test -run XXX -fuzz FuzzReadRequest -fuzztime 60s ./server

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadRequest(t *testing.T) {
	tests := []struct {
		name, in string
		status   int    // 0: the request is good
		target   string // for a good request
	}{
		{"crlf", "GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n", 0, "/a.html"},
		{"bare LF, as nc sends", "GET /a.html HTTP/1.1\nHost: x\n\n", 0, "/a.html"},
		{"http/1.0 needs no Host", "HEAD / HTTP/1.0\r\n\r\n", 0, "/"},
		{"blank lines first", "\r\n\r\nGET / HTTP/1.0\r\n\r\n", 0, "/"},
		{"any method parses", "POST /form HTTP/1.1\r\nHost: x\r\n\r\n", 0, "/form"},
		{"absolute form", "GET http://example.com/a.html?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", 0, "/a.html?x=1"},
		{"absolute form, no path", "GET HTTP://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", 0, "/"},
		{"absolute form, query", "GET http://example.com?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", 0, "/?x=1"},
		{"absolute form, no host", "GET http:///a.html HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"not http", "GET ftp://example.com/a HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 0, "*"},
		{"GET *", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"a length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", 0, "/"},
		{"the same length twice", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 0, "/"},
		{"two lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, ""},
		{"a length that is no number", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, ""},
		{"two spaces", "GET  / HTTP/1.1\r\n\r\n", 400, ""},
		{"no version", "GET /\r\n\r\n", 400, ""},
		{"not a path", "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400, ""},
		{"http/2", "GET / HTTP/2.0\r\n\r\n", 505, ""},
		{"http/0.9", "GET / HTTP/0.9\r\n\r\n", 505, ""},
		{"no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400, ""},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, ""},
		{"no colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400, ""},
		{"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, ""},
		{"folded line", "GET / HTTP/1.1\r\nHost: x\r\n  more\r\n\r\n", 400, ""},
		{"NUL in a value", "GET / HTTP/1.1\r\nHost: x\x00y\r\n\r\n", 400, ""},
		{"CR alone in a line", "GET / HTTP/1.1\rHost: x\r\n\r\n", 400, ""},
		{"request line at the limit", "GET /" + strings.Repeat("a", maxRequestLine-14) + " HTTP/1.0\r\n\r\n", 0, "/" + strings.Repeat("a", maxRequestLine-14)},
		{"request line too long", "GET /" + strings.Repeat("a", maxRequestLine-13) + " HTTP/1.0\r\n\r\n", 414, ""},
		{"100 header lines", "GET / HTTP/1.0\r\n" + strings.Repeat("X: 1\r\n", 100) + "\r\n", 0, "/"},
		{"101 header lines", "GET / HTTP/1.0\r\n" + strings.Repeat("X: 1\r\n", 101) + "\r\n", 431, ""},
		{"headers too big", "GET / HTTP/1.0\r\nX: " + strings.Repeat("a", maxHeaderBytes) + "\r\n\r\n", 431, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := readRequest(bufio.NewReader(strings.NewReader(tt.in)))
			var refused *statusError
			switch {
			case tt.status == 0 && err != nil:
				t.Fatalf("refused a good request: %v", err)
			case tt.status == 0 && req.target != tt.target:
				t.Fatalf("target %q, want %q", req.target, tt.target)
			case tt.status != 0 && !errors.As(err, &refused):
				t.Fatalf("got %v, want status %d", err, tt.status)
			case tt.status != 0 && refused.status != tt.status:
				t.Fatalf("status %d (%v), want %d", refused.status, refused, tt.status)
			}
		})
	}
}

func TestReadRequestEnds(t *testing.T) {
	// Nothing at all: the client closed between requests.
	if _, err := readRequest(bufio.NewReader(strings.NewReader(""))); !errors.Is(err, io.EOF) {
		t.Errorf("empty input: got %v, want io.EOF", err)
	}
	// Half a request: the client vanished in the middle.
	if _, err := readRequest(bufio.NewReader(strings.NewReader("GET / HTTP/1.1\r\nHo"))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut input: got %v, want io.ErrUnexpectedEOF", err)
	}
}

// FuzzReadRequest feeds the parser random bytes, grown from the seeds
// below and from testdata/fuzz/FuzzReadRequest. Whatever comes in, it
// must not panic, must not read far past its limits, and must return
// either a request that keeps every rule or an error.
func FuzzReadRequest(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("HEAD /a%20b.html?q=1 HTTP/1.0\n\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX: a\r\nX: b\r\n\r\n"))
	f.Add([]byte("\r\nPOST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &countingReader{r: strings.NewReader(string(data))}
		req, err := readRequest(bufio.NewReader(in))
		// A bufio.Reader reads ahead at most one buffer (4 KiB) past what
		// the parser asked for.
		const most = (maxEmptyLines+1)*(maxRequestLine+2) + maxHeaderBytes + 2 + 4096
		if in.n > most {
			t.Fatalf("read %d bytes, more than the limits allow (%d)", in.n, most)
		}
		if err != nil {
			var refused *statusError
			if errors.As(err, &refused) && statusText[refused.status] == "" {
				t.Fatalf("refused with status %d, which has no text", refused.status)
			}
			return
		}
		if len(req.line) > maxRequestLine {
			t.Fatalf("request line of %d bytes accepted", len(req.line))
		}
		if len(req.header) > maxHeaderLines {
			t.Fatalf("%d headers accepted", len(req.header))
		}
		if req.version != "HTTP/1.0" && req.version != "HTTP/1.1" {
			t.Fatalf("version %q accepted", req.version)
		}
		if !isToken(req.method) || !strings.HasPrefix(req.target, "/") && req.target != "*" || hasControl(req.target) {
			t.Fatalf("bad request line accepted: %q", req.line)
		}
		for name, value := range req.header {
			if !isToken(name) || name != strings.ToLower(name) || hasControl(value) {
				t.Fatalf("bad header accepted: %q: %q", name, value)
			}
		}
		if _, ok := req.header["host"]; !ok && req.version == "HTTP/1.1" {
			t.Fatalf("HTTP/1.1 request without Host accepted")
		}
		if length, ok := req.header["content-length"]; ok && !isDigits(length) {
			t.Fatalf("Content-Length %q accepted", length)
		}
	})
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
