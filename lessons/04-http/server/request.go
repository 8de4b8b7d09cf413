package main

// The request parser. HTTP/1.1 is text: a request line, header lines, a
// blank line. Every line ends in CRLF ("\r\n"); a bare LF is accepted too,
// because that is what a person typing into nc sends. Everything a client
// sends is read under a limit, so no client can make the server read, or
// hold in memory, more than a few dozen kilobytes per connection.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	maxRequestLine = 8 << 10  // bytes in the request line; longer gets 414
	maxHeaderBytes = 64 << 10 // bytes in all header lines together; more gets 431
	maxHeaderLines = 100      // header lines; more gets 431
	maxEmptyLines  = 8        // blank lines tolerated before a request line
)

// A request is what readRequest understood of one request's head.
type request struct {
	line    string            // the request line as sent, for the access log
	method  string            // GET, HEAD, POST, ...
	target  string            // the path and query, still percent-encoded; or * (OPTIONS *)
	version string            // HTTP/1.0 or HTTP/1.1
	header  map[string]string // names in lower case; repeats joined with ", "
}

// A statusError is a request the server must refuse, with the status code
// that says why and a sentence for the client (and the log).
type statusError struct {
	status int
	reason string
}

func (e *statusError) Error() string { return e.reason }

func refuse(status int, format string, args ...any) *statusError {
	return &statusError{status, fmt.Sprintf(format, args...)}
}

// errLineTooLong says a line went past its limit; the caller knows which
// status that means (414 for the request line, 431 for a header).
var errLineTooLong = errors.New("line too long")

// readRequest reads one request's head (the request line and the headers,
// up to the blank line) from r. It does not read a body. Its errors are a
// *statusError for a request to refuse, or the connection's own error (EOF,
// a time-out, a reset).
func readRequest(r *bufio.Reader) (*request, error) {
	// Solution: the request parser (README: "A request and a response").
	// Read the request line (skipping a few blank lines before it), parse it with
	// parseRequestLine, then each header line with req.addHeader until the blank
	// line; refuse what is too long, too many or malformed with a *statusError.

	line, err := readLine(r, maxRequestLine)
	for empty := 0; err == nil && line == ""; empty++ {
		if empty == maxEmptyLines {
			return nil, refuse(400, "only blank lines, no request line")
		}
		line, err = readLine(r, maxRequestLine)
	}
	if errors.Is(err, errLineTooLong) {
		return nil, refuse(414, "request line longer than %d bytes", maxRequestLine)
	}
	if err != nil {
		return nil, err
	}
	req, err := parseRequestLine(line)
	if err != nil {
		return nil, err
	}

	left := maxHeaderBytes
	for lines := 0; ; lines++ {
		line, err := readLine(r, left)
		if errors.Is(err, errLineTooLong) {
			return nil, refuse(431, "headers longer than %d bytes in all", maxHeaderBytes)
		}
		if err != nil {
			return nil, err
		}
		if line == "" {
			break // the blank line: the head is complete
		}
		if lines == maxHeaderLines {
			return nil, refuse(431, "more than %d header lines", maxHeaderLines)
		}
		left -= len(line) + 2
		if err := req.addHeader(line); err != nil {
			return nil, err
		}
	}
	if _, ok := req.header["host"]; !ok && req.version == "HTTP/1.1" {
		return nil, refuse(400, "an HTTP/1.1 request needs a Host header")
	}
	return req, nil
	// End of solution: the request parser.
}

// readLine reads up to and including the next LF and returns the line
// without its LF or CRLF. A line of more than limit bytes (not counting the
// line ending) gives errLineTooLong, having read only a little past the
// limit. A stream that ends in the middle of a line gives
// io.ErrUnexpectedEOF; one that ends before a line starts gives io.EOF.
func readLine(r *bufio.Reader, limit int) (string, error) {
	var line []byte
	for {
		// ReadSlice returns at most a buffer's worth (4 KiB) at a time,
		// so a long line arrives in pieces and we can stop counting early.
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit+2 {
			return "", errLineTooLong
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	line = line[:len(line)-1] // the LF
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > limit {
		return "", errLineTooLong
	}
	return string(line), nil
}

// parseRequestLine splits "GET /index.html HTTP/1.1" into its three parts,
// separated by single spaces, and checks each.
func parseRequestLine(line string) (*request, error) {
	method, rest, ok1 := strings.Cut(line, " ")
	target, version, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || strings.Contains(version, " ") {
		return nil, refuse(400, "the request line must be METHOD PATH VERSION, as in GET / HTTP/1.1")
	}
	if !isToken(method) {
		return nil, refuse(400, "%q is not a method name", method)
	}
	if target == "*" && method != "OPTIONS" {
		return nil, refuse(400, "only OPTIONS may ask for *, the server itself")
	}
	path, ok := originForm(target)
	if !ok || hasControl(target) {
		return nil, refuse(400, "the path must start with / and hold no control characters")
	}
	if !looksLikeVersion(version) {
		return nil, refuse(400, "%q is not an HTTP version (try HTTP/1.1)", version)
	}
	if version != "HTTP/1.0" && version != "HTTP/1.1" {
		return nil, refuse(505, "this server speaks HTTP/1.0 and HTTP/1.1, not %s", version)
	}
	return &request{line: line, method: method, target: path, version: version, header: map[string]string{}}, nil
}

// originForm returns the path and query of a request's target. A browser
// sends them alone ("/a.html?x=1"), but RFC 9112 lists two more forms a
// server must accept: a whole URL, which clients send to a proxy
// ("http://example.com/a.html"), and "*", with which OPTIONS asks about the
// server itself rather than one of its files.
func originForm(target string) (string, bool) {
	if strings.HasPrefix(target, "/") || target == "*" {
		return target, true
	}
	scheme, rest, ok := strings.Cut(target, "://")
	if !ok || !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return "", false
	}
	host, path := rest, "/" // "http://example.com" asks for "/"
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		host, path = rest[:i], "/"+strings.TrimPrefix(rest[i:], "/")
	}
	return path, host != ""
}

// addHeader adds one "Name: value" line to the request's headers.
func (req *request) addHeader(line string) error {
	if line[0] == ' ' || line[0] == '\t' {
		// An old way to continue the previous line; RFC 9112 forbids it.
		return refuse(400, "a header line may not start with a space")
	}
	name, value, ok := strings.Cut(line, ":")
	if !ok {
		return refuse(400, "a header line needs a colon, as in Host: example.com")
	}
	if !isToken(name) {
		return refuse(400, "%q is not a header name", name)
	}
	value = strings.Trim(value, " \t")
	if hasControl(value) {
		return refuse(400, "the %s header holds a control character", name)
	}
	key := strings.ToLower(name)
	if key == "content-length" && !isDigits(value) {
		return refuse(400, "Content-Length must be a number of bytes, not %q", value)
	}
	old, seen := req.header[key]
	switch {
	case !seen:
	case key == "host":
		return refuse(400, "two Host headers")
	case key == "content-length" && value != old:
		// Two lengths are two ends to the body: if a proxy in front of us
		// believed one and we the other, a request hidden in the body
		// would reach us unseen by the proxy ("request smuggling").
		return refuse(400, "two different Content-Length headers")
	case key == "content-length":
		return nil // the same length twice is still one length
	default:
		value = old + ", " + value
	}
	req.header[key] = value
	return nil
}

// isDigits reports whether s is a decimal number: digits and nothing else.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasBody reports whether the client says a body follows the head. This
// server reads none, so after such a request it cannot tell where the next
// one would start, and closes the connection instead.
func (req *request) hasBody() bool {
	length, ok := req.header["content-length"]
	_, chunked := req.header["transfer-encoding"]
	return chunked || ok && length != "0"
}

// wantsClose reports whether the connection ends after this request:
// always in HTTP/1.0, and in HTTP/1.1 when the client says so.
func (req *request) wantsClose() bool {
	if req.version == "HTTP/1.0" {
		return true
	}
	for _, option := range strings.Split(req.header["connection"], ",") {
		if strings.EqualFold(strings.TrimSpace(option), "close") {
			return true
		}
	}
	return false
}

// isToken reports whether s is an HTTP token: the letters, digits and
// punctuation that method and header names are made of.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// hasControl reports whether s holds a control byte other than a tab.
func hasControl(s string) bool {
	for _, c := range []byte(s) {
		if c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// looksLikeVersion reports whether v has the shape HTTP/d.d.
func looksLikeVersion(v string) bool {
	return len(v) == 8 && strings.HasPrefix(v, "HTTP/") &&
		'0' <= v[5] && v[5] <= '9' && v[6] == '.' && '0' <= v[7] && v[7] <= '9'
}
