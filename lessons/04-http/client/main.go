// Client is lesson 04's web client: it fetches one URL over HTTP/1.1,
// written on a plain TCP connection with its own parser. The status line
// and headers go to stderr, the body to stdout, like curl -sS -D /dev/stderr.
//
//	go run ./lessons/04-http/client http://127.0.0.1:8080/
//	go run ./lessons/04-http/client -o page.html http://127.0.0.1:8080/
//	go run ./lessons/04-http/client -I -v http://127.0.0.1:8080/style.css
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const usage = `usage: client [-I] [-v] [-o FILE] URL

Fetches URL (http:// only) and prints the body to stdout, or to FILE.
The status line and the headers go to stderr.

  client http://127.0.0.1:8080/
  client -o copy.png http://127.0.0.1:8080/sockets.png
  client -I http://127.0.0.1:8080/      HEAD: the headers only
  client -v http://127.0.0.1:8080/      show the raw bytes of both heads

`

// Limits on what we accept from a server, for the same reason the server
// limits what it accepts from clients.
const (
	maxStatusLine = 8 << 10
	maxHeaderSize = 64 << 10
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	head := flags.Bool("I", false, "send HEAD instead of GET: the headers only")
	verbose := flags.Bool("v", false, "show the raw request and response heads, CR and LF made visible")
	output := flags.String("o", "", "write the body to this `file` instead of stdout")
	timeout := flags.Duration("timeout", 10*time.Second, "give up connecting, or waiting for data, after this long")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	flags.SetOutput(io.Discard) // we report a bad flag ourselves, in one line
	if err := flags.Parse(args); errors.Is(err, flag.ErrHelp) {
		flags.SetOutput(os.Stdout)
		flags.Usage()
		return nil
	} else if err != nil {
		return fmt.Errorf("%v (see client -h)", err)
	}
	if flags.NArg() != 1 {
		return errors.New("give one URL, as in: client http://127.0.0.1:8080/ (see client -h)")
	}
	target, err := parseURL(flags.Arg(0))
	if err != nil {
		return err
	}
	method := "GET"
	if *head {
		method = "HEAD"
	}

	conn, err := net.DialTimeout("tcp", target.addr, *timeout)
	if err != nil {
		return dialError(target.addr, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(*timeout))

	// The whole request is a few lines of text. Host names the site (one
	// address can serve many); Connection: close asks the server to close
	// after answering, so the end of the body is also the end of the stream.
	request := method + " " + target.path + " HTTP/1.1\r\n" +
		"Host: " + target.host + "\r\n" +
		"User-Agent: socketbook-client/1\r\n" +
		"Connection: close\r\n" +
		"\r\n"
	if *verbose {
		showRaw(os.Stderr, "> ", request)
	}
	if _, err := io.WriteString(conn, request); err != nil {
		return fmt.Errorf("send: %w", err)
	}

	in := bufio.NewReader(conn)
	resp, err := readResponse(in)
	if err != nil {
		return err
	}
	if *verbose {
		showRaw(os.Stderr, "< ", resp.raw)
	} else {
		fmt.Fprint(os.Stderr, strings.ReplaceAll(resp.raw, "\r\n", "\n"))
	}
	if *head || resp.status == 204 || resp.status == 304 {
		return nil // these responses have a head and no body
	}

	out := io.Writer(os.Stdout)
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := copyBody(out, in, resp, conn, *timeout); err != nil {
		return err
	}
	if f, ok := out.(*os.File); ok && *output != "" {
		return f.Close() // a full disk shows up here, not at Write
	}
	return nil
}

// A target is what the client needs from a URL.
type target struct {
	addr string // host:port to dial
	host string // the Host header: the host, with its port if the URL had one
	path string // path and query, as sent in the request line
}

// parseURL accepts http://host[:port][/path][?query], nothing else.
func parseURL(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return target{}, fmt.Errorf("cannot read the URL %q: write it as http://host:port/path", raw)
	}
	if u.Scheme != "http" {
		return target{}, fmt.Errorf("cannot fetch %q: this client speaks plain http:// only (https needs TLS)", raw)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return target{addr: net.JoinHostPort(u.Hostname(), port), host: u.Host, path: path}, nil
}

// dialError says why we could not connect, and what to try.
func dialError(addr string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("cannot connect to %s: connection refused (is the server running? start it with: go run ./lessons/04-http/server)", addr)
	}
	return fmt.Errorf("cannot connect: %w", err)
}

// A response is the head of a server's answer.
type response struct {
	raw    string            // the head as it came, CRLFs and all
	status int               // 200, 404, ...
	header map[string]string // names in lower case
}

// readResponse reads the status line and the headers, up to the blank line.
func readResponse(in *bufio.Reader) (*response, error) {
	resp := &response{header: map[string]string{}}
	var raw strings.Builder
	line, err := readLine(in, maxStatusLine, &raw)
	if err != nil {
		return nil, err
	}
	// "HTTP/1.1 200 OK": a version, a three-digit code, a reason phrase.
	version, rest, _ := strings.Cut(line, " ")
	code, _, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if !strings.HasPrefix(version, "HTTP/1.") || len(code) != 3 || err != nil {
		return nil, fmt.Errorf("the server's reply does not start with an HTTP status line: %q", clip(line))
	}
	resp.status = status
	for {
		line, err := readLine(in, maxHeaderSize-raw.Len(), &raw)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("the server sent a malformed header line: %q", clip(line))
		}
		resp.header[strings.ToLower(name)] = strings.TrimSpace(value)
	}
	resp.raw = raw.String()
	return resp, nil
}

// readLine reads one line of at most limit bytes, adds it as it came to
// raw, and returns it without its line ending.
func readLine(in *bufio.Reader, limit int, raw *strings.Builder) (string, error) {
	var line []byte
	for {
		chunk, err := in.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit {
			return "", fmt.Errorf("the server's response head is longer than %d bytes", limit)
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("the server closed the connection before the end of the response head (after %d bytes)", raw.Len()+len(line))
		}
		return "", fmt.Errorf("receive: %w", err)
	}
	raw.Write(line)
	return strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"), nil
}

// copyBody copies the body to out. With Content-Length we know where it
// ends; without it, it ends where the server closes the connection.
func copyBody(out io.Writer, in *bufio.Reader, resp *response, conn net.Conn, timeout time.Duration) error {
	if _, chunked := resp.header["transfer-encoding"]; chunked {
		return errors.New("the server sent its body in chunks (Transfer-Encoding), which this client does not read")
	}
	// A big file may take longer than one timeout: push the deadline
	// forward after each read, so it means "no data for this long".
	body := &idleReader{in, conn, timeout}
	length, ok := resp.header["content-length"]
	if !ok {
		_, err := io.Copy(out, body)
		return receiveError(err)
	}
	want, err := strconv.ParseInt(length, 10, 64)
	if err != nil || want < 0 {
		return fmt.Errorf("the server sent a malformed Content-Length: %q", clip(length))
	}
	got, err := io.Copy(out, io.LimitReader(body, want))
	if err != nil {
		return receiveError(err)
	}
	if got < want {
		return fmt.Errorf("the server closed the connection after %d of %d bytes of the body", got, want)
	}
	return nil
}

func receiveError(err error) error {
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	return nil
}

// An idleReader reads from in and moves conn's deadline after each read.
type idleReader struct {
	in      io.Reader
	conn    net.Conn
	timeout time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.in.Read(p)
	r.conn.SetDeadline(time.Now().Add(r.timeout))
	return n, err
}

// showRaw writes text with each line prefixed, and CR and LF spelled out,
// so "\r\n" and a bare "\n" look different.
func showRaw(w io.Writer, prefix, text string) {
	for _, line := range strings.SplitAfter(text, "\n") {
		if line == "" {
			continue
		}
		line = strings.ReplaceAll(line, "\r", `\r`)
		line = strings.ReplaceAll(line, "\n", `\n`)
		fmt.Fprintf(w, "%s%s\n", prefix, line)
	}
}

// clip shortens what we quote from a misbehaving server.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
