package scenario

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/socketbook/socketbook/internal/grade"
	"github.com/socketbook/socketbook/internal/wire"
)

// On loopback one Write almost always arrives as one Read, so a program
// that takes one Read for one message passes every scenario run directly
// and fails on a real network. A scenario whose opening comment has a line
//
//	# wire: split merge
//
// runs once as written and once more per mode named, as NAME.split and
// NAME.merge, with the wire proxy (internal/wire) put between the clients
// and the server: waitaddr starts a proxy in front of the address the
// server wrote and puts the proxy's address in $ADDR instead. The script
// does not change; the network under it does.
//
//	split   TCP: every byte in a write of its own, 1ms apart
//	merge   TCP: bytes held back 20ms and delivered as one write
//	drop    UDP: a third of the datagrams lost (the same ones every run)
//	dup     UDP: a third of the datagrams delivered twice
//
// The scripts see the mode in $WIRE. The proxy's timeline of the
// conversation is added to the scenario's log, which a failing scenario
// shows.

// wireModes are the proxies waitaddr can put in front of a server.
var wireModes = map[string]func(to string, log *wire.Timeline) any{
	"split": func(to string, log *wire.Timeline) any {
		// The pause between bytes gives the receiver time to read each
		// one alone, as it would over a slow network.
		return &wire.Proxy{To: to, Log: log, Options: wire.Options{Split: 1, Delay: time.Millisecond}}
	},
	"merge": func(to string, log *wire.Timeline) any {
		return &wire.Proxy{To: to, Log: log, Options: wire.Options{Merge: 20 * time.Millisecond}}
	},
	"drop": func(to string, log *wire.Timeline) any {
		return &wire.UDPProxy{To: to, Log: log, UDPOptions: wire.UDPOptions{Drop: 33, Seed: 1}}
	},
	"dup": func(to string, log *wire.Timeline) any {
		return &wire.UDPProxy{To: to, Log: log, UDPOptions: wire.UDPOptions{Dup: 33, Seed: 1}}
	},
}

// wireFile holds a variant's mode inside its own archive, where Setup
// finds it among the script's files.
const wireFile = ".wire"

// withVariants returns the scripts in dir and, written to a temporary
// folder, one variant per wire mode each one asks for.
func withVariants(t *testing.T, dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		return nil, err
	}
	tmp := t.TempDir()
	all := files
	for _, file := range files {
		modes, err := wantedModes(file)
		if err != nil {
			return nil, err
		}
		if len(modes) == 0 {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(filepath.Base(file), ".txtar")
		for _, mode := range modes {
			// The mode goes at the end, as one more file of the archive,
			// so the script's line numbers stay those of the original.
			variant := append([]byte{}, data...)
			if len(variant) > 0 && variant[len(variant)-1] != '\n' {
				variant = append(variant, '\n')
			}
			variant = append(variant, fmt.Sprintf("-- %s --\n%s\n", wireFile, mode)...)
			name := filepath.Join(tmp, base+"."+mode+".txtar")
			if err := os.WriteFile(name, variant, 0o644); err != nil {
				return nil, err
			}
			all = append(all, name)
		}
	}
	return all, nil
}

// wantedModes reads the modes from a "# wire:" line of the script's
// opening comment, and checks that each is known.
func wantedModes(file string) ([]string, error) {
	head, err := grade.ReadHeader(file)
	modes := head.Wire
	for _, m := range modes {
		if wireModes[m] == nil {
			return nil, fmt.Errorf("%s: unknown wire mode %q (known: split, merge, drop, dup)", filepath.Base(file), m)
		}
	}
	return modes, err
}

type wireKey struct{}

// setupWire reads the variant's mode, if any, into the script's
// environment.
func setupWire(env *testscript.Env) error {
	data, err := os.ReadFile(filepath.Join(env.WorkDir, wireFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	mode := strings.TrimSpace(string(data))
	env.Setenv("WIRE", mode)
	env.Values[wireKey{}] = mode
	return nil
}

// throughWire starts the script's wire proxy in front of addr and returns
// the proxy's address; it returns addr itself when the script runs direct
// or addr is not host:port (a unix socket's path).
func throughWire(ts *testscript.TestScript, addr string) string {
	mode, _ := ts.Value(wireKey{}).(string)
	if mode == "" {
		return addr
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return addr
	}
	return startProxy(ts, mode, addr, wireModes[mode])
}

// startProxy starts the proxy that newProxy makes in front of addr, until
// the script ends, and returns the proxy's address. The proxy's timeline
// goes into the script's log.
func startProxy(ts *testscript.TestScript, label, addr string, newProxy func(string, *wire.Timeline) any) string {
	log := &timelineLog{}
	timeline := wire.NewTimeline(log)
	timeline.NoTimes = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var front string
	switch p := newProxy(addr, timeline).(type) {
	case *wire.Proxy:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		front = ln.Addr().String()
		go func() { done <- p.Serve(ctx, ln) }()
	case *wire.UDPProxy:
		pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		ts.Check(err)
		front = pc.LocalAddr().String()
		go func() { done <- p.Serve(ctx, pc) }()
	default:
		cancel()
		ts.Fatalf("scenario: no proxy of type %T", p)
	}
	ts.Defer(func() {
		cancel()
		<-done
		scriptRecord(ts).addTimeline(grade.Timeline{
			Title: fmt.Sprintf("the wire (%s), between the clients at %s and the server at %s", label, front, addr),
			Lines: log.tail(maxWireLines),
		})
	})
	return front
}

// proxy VAR ADDR [-split N] [-delay D] [-merge D] puts a TCP proxy of the
// script's own in front of ADDR and its address in $VAR, for a scenario
// about the wire itself:
//
//	proxy TAP $ADDR -split 1 -delay 50ms   every byte alone, 50ms apart
func proxyCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: proxy VAR ADDR [-split N] [-delay D] [-merge D]")
	}
	flags := flag.NewFlagSet("proxy", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	var opts wire.Options
	flags.IntVar(&opts.Split, "split", 0, "")
	flags.DurationVar(&opts.Delay, "delay", 0, "")
	flags.DurationVar(&opts.Merge, "merge", 0, "")
	if err := flags.Parse(args[2:]); err != nil || flags.NArg() > 0 {
		ts.Fatalf("usage: proxy VAR ADDR [-split N] [-delay D] [-merge D]")
	}
	label := strings.Join(args[2:], " ")
	if label == "" {
		label = "as it is"
	}
	front := startProxy(ts, label, args[1], func(to string, log *wire.Timeline) any {
		return &wire.Proxy{To: to, Log: log, Options: opts}
	})
	ts.Setenv(args[0], front)
}

// maxWireLines is how much of a timeline a log shows: its end, where a
// failure usually is.
const maxWireLines = 60

// timelineLog keeps a timeline's lines.
type timelineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *timelineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// tail returns the last n lines, saying how many came before.
func (l *timelineLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := l.lines
	var head string
	if len(lines) > n {
		head = fmt.Sprintf("… %d earlier lines\n", len(lines)-n)
		lines = lines[len(lines)-n:]
	}
	return head + strings.Join(lines, "\n")
}
