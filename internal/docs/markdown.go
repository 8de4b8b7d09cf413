package docs

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// A Block is one fenced code block of a markdown file.
type Block struct {
	File   string   // the markdown file, as named to the checker
	Line   int      // the line of its opening fence, counted from 1
	Lang   string   // the first word after the fence: console, go, text...
	Indent string   // the fence's indentation (a block inside a list item)
	Body   []string // its lines, without the fences and the indentation
	Note   *Note    // the annotation on the lines just above it, or nil
}

// A Note is the annotation of a block: an HTML comment that ends on the
// line just above the fence. GitHub does not show it; the checker reads it.
type Note struct {
	Line int    // the line the comment starts on
	Kind string // "check", "check names", "not checked" or "code"
	Text string // what follows the kind (and its colon), trimmed
}

// Kinds of note.
const (
	Checked    = "check"
	CheckNames = "check names" // not run, but what it names is checked
	NotChecked = "not checked"
	Code       = "code"
)

// Runs reports whether the block holds commands to run: a terminal
// session (console) or a list of shell commands (sh, shell, bash).
func (b *Block) Runs() bool {
	switch b.Lang {
	case "console", "sh", "shell", "bash":
		return true
	}
	return false
}

// Where is the block's place as editors link it: README.md:33.
func (b *Block) Where() string {
	return fmt.Sprintf("%s:%d", b.File, b.Line)
}

var (
	fence   = regexp.MustCompile("^( *)(```+|~~~+)\\s*([^`\\s]*)")
	comment = regexp.MustCompile(`(?s)^<!--\s*(.*?)\s*-->$`)
)

// Parse reads the fenced blocks of a markdown file, with their notes.
// name is how failures will name the file.
func Parse(name string, text string) ([]*Block, error) {
	lines := strings.Split(text, "\n")
	var blocks []*Block
	for i := 0; i < len(lines); i++ {
		m := fence.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := &Block{File: name, Line: i + 1, Indent: m[1], Lang: m[3]}
		end := i + 1
		for ; end < len(lines); end++ {
			closing := strings.TrimLeft(lines[end], " ")
			if strings.HasPrefix(closing, m[2]) && strings.TrimSpace(strings.TrimLeft(closing, m[2][:1])) == "" {
				break
			}
			b.Body = append(b.Body, strings.TrimPrefix(lines[end], b.Indent))
		}
		if end == len(lines) {
			return nil, fmt.Errorf("%s:%d: this block has no closing fence", name, b.Line)
		}
		note, err := noteAbove(lines, i)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
		}
		b.Note = note
		blocks = append(blocks, b)
		i = end
	}
	return blocks, nil
}

// noteAbove returns the annotation that ends on the line above line i, if
// there is one.
func noteAbove(lines []string, i int) (*Note, error) {
	if i == 0 || !strings.HasSuffix(strings.TrimSpace(lines[i-1]), "-->") {
		return nil, nil
	}
	start := i - 1
	for start >= 0 && !strings.Contains(lines[start], "<!--") {
		start--
	}
	if start < 0 {
		return nil, nil
	}
	var text []string
	for _, l := range lines[start:i] {
		text = append(text, strings.TrimSpace(l))
	}
	m := comment.FindStringSubmatch(strings.Join(text, "\n"))
	if m == nil {
		return nil, nil
	}
	body := m[1]
	for _, kind := range []string{NotChecked, CheckNames, Checked, Code} {
		rest, ok := strings.CutPrefix(body, kind)
		if !ok || (rest != "" && !strings.ContainsAny(rest[:1], ": \n")) {
			continue
		}
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		return &Note{Line: start + 1, Kind: kind, Text: rest}, nil
	}
	return nil, fmt.Errorf("the comment above this block is not an annotation the checker knows: it begins %q (want check, check names, not checked or code; see internal/docs)", firstLine(body))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ReadFile parses the markdown file at path, naming it name.
func ReadFile(path, name string) ([]*Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(name, string(data))
}
