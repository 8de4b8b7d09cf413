package docs

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A block shows the ports a reader would use (1234, 8080, 4000), but the
// check must run on free ports, several blocks at once. addresses maps
// each port a block shows to the one its run uses: a server started on a
// port not yet mapped listens on port 0, and the port it got, from its
// "listening on ADDR" line, is the real one; any other port not yet
// mapped (a client's -local, a port where no server runs) is a free port
// the kernel picked. Paths under /tmp (a unix socket) move to the block's
// own folder. Commands are mapped to the real ports before they run, and
// what they print is mapped back before it is compared.
type addresses struct {
	ports map[string]string // shown → real
	paths map[string]string // shown → real
	dir   string            // the block's folder, for paths
}

func newAddresses(dir string) *addresses {
	return &addresses{ports: map[string]string{}, paths: map[string]string{}, dir: dir}
}

var (
	// portInCommand finds a loopback port where commands put one:
	// 127.0.0.1:1234, /dev/tcp/127.0.0.1/1234, nc 127.0.0.1 1234.
	portInCommand = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\])([:/ ])([0-9]{1,5})\b`)
	// portInOutput finds one where programs print one: 127.0.0.1:1234.
	portInOutput = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):([0-9]{1,5})\b`)
	tmpPath      = regexp.MustCompile(`/tmp/[\w.-]+`)
)

// toReal maps the shown ports and paths in a command to the real ones.
// listen, if not empty, is the shown port of the server this command
// starts: if it is not mapped yet, the server gets port 0, and learn maps
// it once the server says where it listens.
func (a *addresses) toReal(text, listen string) (string, error) {
	var err error
	text = portInCommand.ReplaceAllStringFunc(text, func(m string) string {
		sub := portInCommand.FindStringSubmatch(m)
		shown := sub[3]
		real, ok := a.ports[shown]
		switch {
		case shown == "0" || ok:
		case shown == listen:
			real = "0"
		default:
			real, err = freePort()
			a.ports[shown] = real
		}
		if real == "" {
			real = shown
		}
		return sub[1] + sub[2] + real
	})
	text = tmpPath.ReplaceAllStringFunc(text, func(shown string) string {
		real, ok := a.paths[shown]
		if !ok {
			real = a.dir + "/" + strings.TrimPrefix(shown, "/tmp/")
			a.paths[shown] = real
		}
		return real
	})
	return text, err
}

// learn maps the shown port listen to the port of addr, where a server
// started on port 0 says it listens.
func (a *addresses) learn(listen, addr string) {
	if _, port, err := net.SplitHostPort(addr); err == nil && listen != "" {
		if _, ok := a.ports[listen]; !ok {
			a.ports[listen] = port
		}
	}
}

// toShown maps the real ports and paths in what a program printed back
// to the ones the block shows.
func (a *addresses) toShown(s string) string {
	shown := map[string]string{}
	for k, v := range a.ports {
		shown[v] = k
	}
	s = portInOutput.ReplaceAllStringFunc(s, func(m string) string {
		sub := portInOutput.FindStringSubmatch(m)
		if k, ok := shown[sub[2]]; ok {
			return sub[1] + ":" + k
		}
		return m
	})
	for k, v := range a.paths {
		s = strings.ReplaceAll(s, v, k)
	}
	return s
}

// freePort returns a port that is free for both TCP and UDP on the
// loopback address, and that no other program will be given meanwhile:
// it lies below the range the kernel picks ports from for port 0 (a
// server of another block) or for a client, so that nothing answers
// there while the block says "no server running".
func freePort() (string, error) {
	lo, hi := 20000, ephemeralStart()-1
	for range 50 {
		port := strconv.Itoa(lo + rand.IntN(hi-lo+1))
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			continue
		}
		pc, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", port))
		ln.Close()
		if err == nil {
			pc.Close()
			return port, nil
		}
	}
	return "", fmt.Errorf("no port below %d is free for both TCP and UDP", hi+1)
}

// ephemeralStart is the first port of the range the kernel picks from:
// Linux says where it starts; 32768 is its default, and below macOS's.
func ephemeralStart() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 32768
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 21000 {
		return 32768
	}
	return n
}

// What varies from run to run is normalised, in what the block shows and
// in what came alike, before they are compared. Nothing else is.
var (
	// HTTP dates: Date and Last-Modified.
	httpDate = regexp.MustCompile(`[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT`)
	// The time since wiretap started, on each line of its timeline.
	elapsed = regexp.MustCompile(`\+[0-9]+\.[0-9]{3}s\b`)
)

// normalise replaces what varies from run to run: the port of a loopback
// address that is not one of the ports the block shows (the kernel picks
// a client's port), HTTP dates and wiretap's times.
func (a *addresses) normalise(s string) string {
	s = portInOutput.ReplaceAllStringFunc(s, func(m string) string {
		sub := portInOutput.FindStringSubmatch(m)
		if _, ok := a.ports[sub[2]]; ok {
			return m
		}
		return sub[1] + ":PORT"
	})
	s = httpDate.ReplaceAllString(s, "DATE")
	return elapsed.ReplaceAllString(s, "+TIME")
}

// shownPorts lists the ports the block shows, for messages.
func (a *addresses) shownPorts() string {
	var list []string
	for k, v := range a.ports {
		list = append(list, k+"→"+v)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}

// matches reports whether got is what want shows, line for line once
// both are normalised, where a line "..." in want stands for any number
// of lines.
func (a *addresses) matches(want, got []string) bool {
	w := make([]string, len(want))
	for i, line := range want {
		w[i] = a.normalise(line)
	}
	g := make([]string, len(got))
	for i, line := range got {
		g[i] = a.normalise(line)
	}
	return match(w, g)
}

func match(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "..." {
		for i := 0; i <= len(got); i++ {
			if match(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && want[0] == got[0] && match(want[1:], got[1:])
}
