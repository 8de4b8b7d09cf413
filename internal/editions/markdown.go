package editions

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// A page is what the check compares of one markdown file: the parts that
// do not depend on the language it is written in.
type page struct {
	name     string
	headings []heading
	blocks   []block  // fenced code blocks: console sessions, Go, diagrams
	links    []link   // inline links, images and <autolinks>
	tables   []table  // each a run of lines that start with |
	items    []marker // numbered list items, by their number
	refs     []marker // exercise references such as 01/3
}

type heading struct {
	line    int
	level   int
	text    string   // the line as written, for messages
	numbers []string // runs of digits outside code spans
	code    []string // code spans, backticks included
	slug    string   // the #anchor GitHub gives it
}

type block struct {
	line int
	text string // every line, fences included
}

type link struct {
	line   int
	target string // as written
}

type table struct {
	line int
	rows int
	head string // its first line, for messages
}

type marker struct {
	line int
	text string
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$`)
	fence      = regexp.MustCompile("^[ \t]*(```+|~~~+)")
	digits     = regexp.MustCompile(`[0-9]+`)
	codeSpan   = regexp.MustCompile("`+[^`]+`+")
	// The target of [text](target "title") or ![alt](target), and of <https://...>.
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)`)
	autoLink   = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	listItem   = regexp.MustCompile(`(?m)^[ \t]*([0-9]+)[.)][ \t]`)
	// NN/K names exercise K of lesson NN, as in go run ./tools/runner -exercise 01/3.
	exerciseRef = regexp.MustCompile(`(?:^|[^0-9A-Za-z./])([0-9]{2}/[0-9]+)\b`)
)

// parse reads a markdown file the way GitHub shows it, as far as the check
// needs: code blocks first, since nothing inside one is a heading or a
// link, then headings, tables and links in the text between them.
func parse(name, text string) *page {
	p := &page{name: name}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	slugs := map[string]int{}
	var prose []string // the text since the last code block
	proseStart := 1
	flush := func() {
		p.readProse(proseStart, strings.Join(prose, "\n"))
		prose = nil
	}
	for i := 0; i < len(lines); i++ {
		n := i + 1
		if m := fence.FindStringSubmatch(lines[i]); m != nil {
			// A fence closes with the same character, at least as many
			// times; an unclosed one runs to the end of the file, as
			// GitHub shows it.
			end := len(lines) - 1
			for j := i + 1; j < len(lines); j++ {
				closing := strings.TrimLeft(lines[j], " \t")
				if strings.HasPrefix(closing, m[1]) && strings.Trim(closing, m[1][:1]+" \t") == "" {
					end = j
					break
				}
			}
			flush()
			p.blocks = append(p.blocks, block{line: n, text: strings.Join(lines[i:end+1], "\n")})
			i = end
			proseStart = end + 2
			continue
		}
		prose = append(prose, lines[i])
		if h, ok := parseHeading(n, lines[i], slugs); ok {
			p.headings = append(p.headings, h)
		}
	}
	flush()
	return p
}

// parseHeading reads an ATX heading (## Text) and gives it its anchor.
func parseHeading(n int, line string, slugs map[string]int) (heading, bool) {
	m := atxHeading.FindStringSubmatch(line)
	if m == nil {
		return heading{}, false
	}
	text := strings.TrimRight(strings.TrimRight(m[2], "#"), " \t") // ## Title ## is allowed
	h := heading{line: n, level: len(m[1]), text: strings.TrimSpace(line)}
	h.code = codeSpan.FindAllString(text, -1)
	h.numbers = digits.FindAllString(codeSpan.ReplaceAllString(text, " "), -1)
	h.slug = slug(text)
	// GitHub numbers a repeated anchor: intro, intro-1, intro-2.
	if k := slugs[h.slug]; k > 0 {
		slugs[h.slug] = k + 1
		h.slug += "-" + strconv.Itoa(k)
	} else {
		slugs[h.slug] = 1
	}
	return h, true
}

// slug is the anchor GitHub gives a heading: its text in lower case,
// keeping only letters (Chinese characters are letters), digits, marks,
// underscores, hyphens and spaces, each space then a hyphen. So
// "Streams, not messages" is #streams-not-messages and "流，而不是消息"
// is #流而不是消息.
func slug(text string) string {
	text = inlineLink.ReplaceAllStringFunc(text, func(l string) string {
		return l[strings.Index(l, "[")+1 : strings.Index(l, "]")] // a link shows its text
	})
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readProse collects the links, tables, numbered items and exercise
// references of text that starts at line first.
func (p *page) readProse(first int, text string) {
	lineOf := func(offset int) int { return first + strings.Count(text[:offset], "\n") }

	// Code spans are cut out before links are looked for ([x](y) inside
	// backticks is not a link), but exercise references live in them.
	plain := maskCodeSpans(text)
	found := append(inlineLink.FindAllStringSubmatchIndex(plain, -1), autoLink.FindAllStringSubmatchIndex(plain, -1)...)
	sort.Slice(found, func(i, j int) bool { return found[i][0] < found[j][0] })
	for _, m := range found {
		p.links = append(p.links, link{line: lineOf(m[0]), target: text[m[2]:m[3]]})
	}
	for _, m := range listItem.FindAllStringSubmatchIndex(plain, -1) {
		p.items = append(p.items, marker{line: lineOf(m[0]), text: text[m[2]:m[3]] + "."})
	}
	for _, m := range exerciseRef.FindAllStringSubmatchIndex(text, -1) {
		p.refs = append(p.refs, marker{line: lineOf(m[2]), text: text[m[2]:m[3]]})
	}

	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "|") {
			continue
		}
		t := table{line: first + i, head: strings.TrimSpace(lines[i])}
		for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
			t.rows++
		}
		p.tables = append(p.tables, t)
	}
}

// maskCodeSpans blanks out every code span, keeping the text's length and
// line breaks. A span is a run of backticks closed by a run of the same
// length before the paragraph ends; it may cross a line break.
func maskCodeSpans(text string) string {
	b := []byte(text)
	for i := 0; i < len(b); {
		if b[i] != '`' {
			i++
			continue
		}
		open := i
		for i < len(b) && b[i] == '`' {
			i++
		}
		run := i - open
		end := -1
		for j := i; j < len(b); {
			if b[j] == '\n' && j+1 < len(b) && isBlankLineAt(b, j+1) {
				break // the paragraph ends
			}
			if b[j] != '`' {
				j++
				continue
			}
			k := j
			for k < len(b) && b[k] == '`' {
				k++
			}
			if k-j == run {
				end = k
				break
			}
			j = k
		}
		if end < 0 {
			continue // a lone backtick is just a character
		}
		for k := open; k < end; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
		i = end
	}
	return string(b)
}

// isBlankLineAt reports whether the line starting at b[i] holds only spaces.
func isBlankLineAt(b []byte, i int) bool {
	for ; i < len(b) && b[i] != '\n'; i++ {
		if b[i] != ' ' && b[i] != '\t' {
			return false
		}
	}
	return true
}
