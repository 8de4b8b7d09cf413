package grade

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// A Header is what a scenario's opening comment tells people and tools:
//
//	# The first round trip: the client sends "hello", the server echoes it.
//	# README: "Run it".
//	# wire: split merge
//	# limit: 30s
//
// The comment is the scenario's story; README names the section to read
// when it fails; wire asks for the scenario to run again through the wire
// proxy in each mode named; limit gives a scenario that moves a lot of data
// more time than the default (see internal/scenario).
type Header struct {
	Comment string        // the comment's text, without the #s
	Readme  string        // the README section, or ""
	Wire    []string      // wire modes, in the order written
	Limit   time.Duration // zero: the harness's default
}

// readmeRef finds `README: "Section"` in a scenario's comment.
var readmeRef = regexp.MustCompile(`README: "([^"]+)"`)

// ReadHeader reads the opening comment of a scenario file.
func ReadHeader(file string) (Header, error) {
	f, err := os.Open(file)
	if err != nil {
		return Header{}, err
	}
	defer f.Close()
	var h Header
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text, ok := strings.CutPrefix(sc.Text(), "#")
		if !ok {
			break // the comment is over
		}
		text = strings.TrimSpace(text)
		lines = append(lines, text)
		if rest, ok := strings.CutPrefix(text, "wire:"); ok {
			h.Wire = strings.Fields(rest)
		}
		if rest, ok := strings.CutPrefix(text, "limit:"); ok {
			d, err := time.ParseDuration(strings.TrimSpace(rest))
			if err != nil || d <= 0 {
				return h, fmt.Errorf("%s: bad limit %q: want a duration such as 30s", file, strings.TrimSpace(rest))
			}
			h.Limit = d
		}
	}
	h.Comment = strings.Join(lines, "\n")
	if m := readmeRef.FindStringSubmatch(h.Comment); m != nil {
		h.Readme = m[1]
	}
	return h, sc.Err()
}

// Story is the comment without the lines meant for the tools (README,
// wire, limit): what the scenario shows, in the author's words.
func (h Header) Story() string {
	var keep []string
	for _, line := range strings.Split(h.Comment, "\n") {
		if strings.HasPrefix(line, "README:") || strings.HasPrefix(line, "wire:") || strings.HasPrefix(line, "limit:") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
