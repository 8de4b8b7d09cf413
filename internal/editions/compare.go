package editions

import (
	"fmt"
	"io/fs"
	"strings"
)

// An entry is one thing of a page that both editions must have, in the
// same order.
type entry struct {
	line int
	key  string // equal in both editions when they are in step
	show string // how a message names it
	i    int    // its index in the page's list, for explain
}

// A category is one kind of entry (headings, code blocks, ...) of both
// editions of a page.
type category struct {
	kind    string
	en, zh  []entry
	explain func(en, zh entry) string // how two entries at the same place differ
}

// A difference is the first place where the editions differ in one category.
type difference struct {
	kind string
	at   int // the line in the English edition, so the earliest comes first
	msg  string
}

// categories lists what the check compares, in the order a message names
// them.
func categories(book fs.FS, en, zh *page) []category {
	// Headings are told apart by what a translation keeps: level, numbers
	// and code. Two headings of one level with neither ("Bytes and text",
	// "Stopping") would be alike, so when both editions have as many code
	// blocks and tables, a heading is also placed by how many of each come
	// before it: a missing heading is then named, not the next one of its
	// level.
	placed := len(en.blocks) == len(zh.blocks) && len(en.tables) == len(zh.tables)
	headings := func(pg *page) []entry {
		var es []entry
		for i, h := range pg.headings {
			key := fmt.Sprint(h.level, h.numbers, h.code)
			if placed {
				key += fmt.Sprint(blocksBefore(pg, h.line), tablesBefore(pg, h.line))
			}
			es = append(es, entry{line: h.line, key: key, show: fmt.Sprintf("the heading %q", h.text), i: i})
		}
		return es
	}
	blocks := func(pg *page) []entry {
		var es []entry
		for i, b := range pg.blocks {
			es = append(es, entry{line: b.line, key: b.text, show: "the code block " + quote(firstContent(b.text)), i: i})
		}
		return es
	}
	// A link to a heading of the page itself names that heading's place
	// in the English edition, so that a heading one edition lacks is
	// reported as a heading, not as every link to a heading after it.
	enHeadings, zhHeadings := headings(en), headings(zh)
	partner := matches(enHeadings, zhHeadings)
	links := func(pg *page, place func(int) int) []entry {
		var es []entry
		for i, l := range pg.links {
			file, h, ok := resolve(book, pg, l.target)
			if !ok {
				// Never equal to a working link; explain says why.
				es = append(es, entry{line: l.line, key: "broken " + l.target, show: fmt.Sprintf("the link %q", l.target), i: i})
				continue
			}
			if l.line == 1 && file == englishOf(pg.name) || file == Glossary {
				continue // the switch between the editions, and the glossary
			}
			key := file
			switch {
			case h >= 0 && file == "":
				key += fmt.Sprintf("#%d", place(h))
			case h >= 0:
				key += fmt.Sprintf("#%d", h)
			}
			es = append(es, entry{line: l.line, key: key, show: fmt.Sprintf("the link %q", l.target), i: i})
		}
		return es
	}
	enPlace := func(h int) int { return h }
	zhPlace := func(h int) int {
		if e, ok := partner[h]; ok {
			return e
		}
		return -1 - h // a heading the English lacks
	}
	tables := func(pg *page) []entry {
		var es []entry
		for i, t := range pg.tables {
			es = append(es, entry{line: t.line, key: fmt.Sprint(t.rows), show: "the table " + quote(t.head), i: i})
		}
		return es
	}
	markers := func(ms []marker, what string) []entry {
		var es []entry
		for i, m := range ms {
			es = append(es, entry{line: m.line, key: m.text, show: fmt.Sprintf("%s %q", what, m.text), i: i})
		}
		return es
	}
	return []category{
		{"heading", enHeadings, zhHeadings, func(e, z entry) string { return explainHeading(en, zh, e, z) }},
		{"code block", blocks(en), blocks(zh), func(e, z entry) string {
			return explainBlock(en.blocks[e.i].text, zh.blocks[z.i].text)
		}},
		{"link", links(en, enPlace), links(zh, zhPlace), func(e, z entry) string {
			if strings.HasPrefix(z.key, "broken ") {
				return "it names no heading here (" + anchorRule + ")"
			}
			return "the targets differ"
		}},
		{"table", tables(en), tables(zh), func(e, z entry) string {
			return fmt.Sprintf("%d rows here, %d there", zh.tables[z.i].rows, en.tables[e.i].rows)
		}},
		{"numbered item", markers(en.items, "the numbered item"), markers(zh.items, "the numbered item"), func(e, z entry) string { return "the numbers differ" }},
		{"exercise reference", markers(en.refs, "the exercise"), markers(zh.refs, "the exercise"), func(e, z entry) string { return "the exercises differ" }},
	}
}

// firstDifference walks both lists along their longest common
// subsequence and describes the first step off it: an entry one edition
// lacks, or two entries at the same place that differ.
func firstDifference(c category, p Pair) (difference, bool) {
	en, zh := c.en, c.zh
	n, m := len(en), len(zh)
	common := lcs(en, zh)
	i, j := 0, 0
	for i < n && j < m && en[i].key == zh[j].key {
		i, j = i+1, j+1
	}
	switch {
	case i == n && j == m:
		return difference{}, false
	case i < n && j < m && common[i+1][j+1] == common[i][j]:
		// Neither entry has a partner further on: one was changed.
		return difference{c.kind, en[i].line, fmt.Sprintf("%s:%d: %s does not match %s (%s:%d): %s",
			p.Chinese, zh[j].line, zh[j].show, en[i].show, p.English, en[i].line, c.explain(en[i], zh[j]))}, true
	case j == m || (i < n && common[i+1][j] >= common[i][j+1]):
		return difference{c.kind, en[i].line, lacks(p.Chinese, p.English, en[i], zh, j)}, true
	default:
		at := 1 << 30 // after the last English entry
		if i < n {
			at = en[i].line
		}
		return difference{c.kind, at, lacks(p.English, p.Chinese, zh[j], en, i)}, true
	}
}

// lcs returns the table of common subsequences: common[i][j] is the
// length of the longest common subsequence of en[i:] and zh[j:].
func lcs(en, zh []entry) [][]int {
	n, m := len(en), len(zh)
	common := make([][]int, n+1)
	for i := range common {
		common[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if en[i].key == zh[j].key {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	return common
}

// matches pairs the entries of zh with those of en along the longest
// common subsequence, as firstDifference walks it: zh index to en index.
// Two entries at the same place that differ are partners too, so a link
// to a heading whose level changed still names that heading.
func matches(en, zh []entry) map[int]int {
	common := lcs(en, zh)
	pairs := map[int]int{}
	for i, j := 0, 0; i < len(en) && j < len(zh); {
		switch {
		case en[i].key == zh[j].key || common[i+1][j+1] == common[i][j]:
			pairs[j] = i
			i, j = i+1, j+1
		case common[i+1][j] >= common[i][j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// lacks says that page lacks e, which other has, and where it would go in
// page: after the entry that precedes it in both editions.
func lacks(page, other string, e entry, in []entry, at int) string {
	msg := fmt.Sprintf("%s lacks %s (%s:%d)", page, e.show, other, e.line)
	switch {
	case at > 0:
		msg += fmt.Sprintf("; it belongs after %s (%s:%d)", in[at-1].show, page, in[at-1].line)
	case at < len(in):
		msg += fmt.Sprintf("; it belongs before %s (%s:%d)", in[at].show, page, in[at].line)
	}
	return msg
}

func explainHeading(en, zh *page, e, z entry) string {
	he, hz := en.headings[e.i], zh.headings[z.i]
	switch {
	case he.level != hz.level:
		return fmt.Sprintf("level %d here, %d there", hz.level, he.level)
	case fmt.Sprint(he.numbers) != fmt.Sprint(hz.numbers):
		return fmt.Sprintf("numbers %v here, %v there: keep every number of a heading", hz.numbers, he.numbers)
	case fmt.Sprint(he.code) != fmt.Sprint(hz.code):
		return fmt.Sprintf("code %v here, %v there: keep the code of a heading as it is", hz.code, he.code)
	}
	return fmt.Sprintf("here it follows %d code blocks and %d tables, there %d and %d: the heading, or a block or table before it, moved",
		blocksBefore(zh, hz.line), tablesBefore(zh, hz.line), blocksBefore(en, he.line), tablesBefore(en, he.line))
}

// explainBlock names the first line at which two code blocks differ.
func explainBlock(en, zh string) string {
	el, zl := strings.Split(en, "\n"), strings.Split(zh, "\n")
	for k := 0; k < len(el) || k < len(zl); k++ {
		var e, z string
		if k < len(el) {
			e = el[k]
		}
		if k < len(zl) {
			z = zl[k]
		}
		if e != z || k >= len(el) || k >= len(zl) {
			return fmt.Sprintf("its line %d is %q here, %q there; code blocks are the same in both editions, byte for byte", k+1, z, e)
		}
	}
	return "they differ"
}

func blocksBefore(pg *page, line int) int {
	n := 0
	for _, b := range pg.blocks {
		if b.line < line {
			n++
		}
	}
	return n
}

func tablesBefore(pg *page, line int) int {
	n := 0
	for _, t := range pg.tables {
		if t.line < line {
			n++
		}
	}
	return n
}

// firstContent is the first line inside a code block, or its fence when
// it is empty.
func firstContent(text string) string {
	lines := strings.Split(text, "\n")
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) != "" {
			return strings.TrimSpace(l)
		}
	}
	return lines[0]
}

// quote quotes s, cut to a length that fits a message.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return fmt.Sprintf("%q", s)
}
