package lesson_test

// One more command of this lesson's own, for the client's time-outs and
// for where a reply comes from:
//
//	fakeserver VAR [-delay D] [-otherport TEXT] [-otheraddr TEXT]
//
// The lesson's own server answers at once, from its own address. To show
// what the client does when the answer is late, or when somebody else
// speaks first, the script plays the server itself.

import (
	"bytes"
	"flag"
	"io"
	"net"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// fakeserver VAR [-delay D] [-otherport TEXT] [-otheraddr TEXT] answers
// every datagram with its text in upper case, as the lesson's server does,
// from a socket on 127.0.0.1 whose address goes in $VAR. The options make
// it unkind:
//
//	-delay D          answer D after the datagram came, as a busy server would
//	-otherport TEXT   first, at once, send TEXT to the client from another
//	                  port of 127.0.0.1: not the server's address
//	-otheraddr TEXT   first, at once, send TEXT from the server's own port on
//	                  127.0.0.2: not the server's address either (Linux, where
//	                  all of 127.0.0.0/8 is loopback)
//
// When the script ends, its log says how many datagrams the fake server got.
func fakeServer(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: fakeserver VAR [-delay D] [-otherport TEXT] [-otheraddr TEXT]"
	if neg || len(args) < 1 {
		ts.Fatalf(usage)
	}
	flags := flag.NewFlagSet("fakeserver", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	delay := flags.Duration("delay", 0, "")
	otherPort := flags.String("otherport", "", "")
	otherAddr := flags.String("otheraddr", "", "")
	if err := flags.Parse(args[1:]); err != nil || flags.NArg() > 0 || *delay < 0 {
		ts.Fatalf(usage)
	}

	f := &fake{delay: *delay}
	var err error
	f.conn, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	ts.Check(err)
	ts.Defer(f.stop(ts))
	if *otherPort != "" {
		f.addDecoy(ts, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, *otherPort)
	}
	if *otherAddr != "" {
		port := f.conn.LocalAddr().(*net.UDPAddr).Port
		f.addDecoy(ts, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: port}, *otherAddr)
	}
	f.done.Add(1)
	go f.serve()
	ts.Setenv(args[0], f.conn.LocalAddr().String())
}

// fake is the state of one fake server.
type fake struct {
	conn   *net.UDPConn
	delay  time.Duration
	decoys []decoy
	done   sync.WaitGroup // the serving loop

	mu      sync.Mutex
	got     int           // datagrams received
	pending []*time.Timer // late answers not sent yet
}

// decoy is a socket that speaks to the client before the server does.
type decoy struct {
	conn *net.UDPConn
	text []byte
}

func (f *fake) addDecoy(ts *testscript.TestScript, addr *net.UDPAddr, text string) {
	conn, err := net.ListenUDP("udp4", addr)
	if err != nil {
		ts.Fatalf("fakeserver: no socket at %s to speak from: %v", addr, err)
	}
	f.decoys = append(f.decoys, decoy{conn, unescape(ts, text)})
}

func (f *fake) serve() {
	defer f.done.Done()
	buf := make([]byte, 64*1024)
	for {
		n, from, err := f.conn.ReadFromUDP(buf)
		if err != nil {
			return // the script ended and closed the socket
		}
		for _, d := range f.decoys {
			_, _ = d.conn.WriteToUDP(d.text, from)
		}
		reply := bytes.ToUpper(buf[:n]) // a copy: buf is read into again
		f.mu.Lock()
		f.got++
		f.pending = append(f.pending, time.AfterFunc(f.delay, func() {
			_, _ = f.conn.WriteToUDP(reply, from) // fails only once the script has ended
		}))
		f.mu.Unlock()
	}
}

// stop returns what the script does at its end: close every socket, so
// the loop ends, cancel the answers still waiting, and log the count.
func (f *fake) stop(ts *testscript.TestScript) func() {
	return func() {
		f.conn.Close()
		for _, d := range f.decoys {
			d.conn.Close()
		}
		f.done.Wait()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, t := range f.pending {
			t.Stop()
		}
		ts.Logf("fakeserver %s: datagrams received: %d", f.conn.LocalAddr(), f.got)
	}
}
