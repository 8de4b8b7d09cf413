// Package editions keeps the English and the Chinese edition of the
// workbook's text in step. Each English page that students read
// (README.md, docs/grading.md, lessons/*/README.md) has a Chinese edition
// beside it, README.zh-CN.md, and a change to one without the other must
// turn CI red.
//
// Two texts in two languages cannot be compared word for word, but what
// does not depend on the language can: the headings (their level, and the
// numbers and `code` in their text), the fenced code blocks (console
// sessions, programs, diagrams), byte for byte, the links' targets, the
// tables' rows, the numbered list items and the exercise references such
// as 01/3. A reader of either edition runs the same commands, sees the
// same transcripts and follows the same links.
//
// Check names the first thing one edition has and the other lacks, with
// file:line, in one short message: enough to find the place and fix it.
package editions

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
)

// A Pair is an English page and its Chinese edition, by their paths in the
// workbook (slash-separated, from the root).
type Pair struct {
	English string
	Chinese string
}

// Chinese is the name of the Chinese edition of an English page: the same
// name with .zh-CN before .md, in the same folder.
func Chinese(english string) string {
	return strings.TrimSuffix(english, ".md") + ".zh-CN.md"
}

// Glossary is the page of terms in both languages that both editions
// share. It has no second edition, and links to it are not compared: a
// Chinese page may send its reader there where the English has no need.
const Glossary = "docs/glossary.md"

// Pairs lists the pages that must have both editions.
func Pairs(book fs.FS) ([]Pair, error) {
	names := []string{"README.md", "docs/grading.md"}
	lessons, err := fs.Glob(book, "lessons/*/README.md")
	if err != nil {
		return nil, err
	}
	names = append(names, lessons...)
	var pairs []Pair
	for _, name := range names {
		if _, err := fs.Stat(book, name); err != nil {
			return nil, fmt.Errorf("the workbook has no %s: %w", name, err)
		}
		pairs = append(pairs, Pair{English: name, Chinese: Chinese(name)})
	}
	return pairs, nil
}

// Check compares the two editions of one page and returns nil when they
// are in step, or an error that names the first difference. pairs is
// every page with two editions, so that a link in the Chinese edition
// can be told to lead to the Chinese edition of the page it names.
func Check(book fs.FS, pairs []Pair, p Pair) error {
	enText, err := fs.ReadFile(book, p.English)
	if err != nil {
		return err
	}
	zhText, err := fs.ReadFile(book, p.Chinese)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s has no Chinese edition: translate it into %s (docs/glossary.md lists the terms)", p.English, p.Chinese)
	}
	if err != nil {
		return err
	}
	en, zh := parse(p.English, string(enText)), parse(p.Chinese, string(zhText))

	// The Chinese edition starts with the way back to the English one.
	if want := "[English](" + path.Base(p.English) + ") · 中文"; firstLine(string(zhText)) != want {
		return fmt.Errorf("%s:1: the first line must be %q, the link to the English edition, then a blank line", p.Chinese, want)
	}
	// A link into the English edition sends a Chinese reader back to a
	// page they came from.
	if err := checkLanguage(pairs, zh); err != nil {
		return err
	}

	var diffs []difference
	for _, c := range categories(book, en, zh) {
		if d, ok := firstDifference(c, p); ok {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) == 0 {
		// In step; but the same broken anchor in both would pass.
		for _, pg := range []*page{en, zh} {
			if err := checkAnchors(book, pg); err != nil {
				return err
			}
		}
		return nil
	}
	// The earliest place in the English edition goes first, except that a
	// heading goes before all else: the anchors of the links that name it
	// move with it. The others are only named, so the message stays short.
	sort.SliceStable(diffs, func(i, j int) bool {
		if hi, hj := diffs[i].kind == "heading", diffs[j].kind == "heading"; hi != hj {
			return hi
		}
		return diffs[i].at < diffs[j].at
	})
	msg := diffs[0].msg
	if len(diffs) > 1 {
		var also []string
		for _, d := range diffs[1:] {
			also = append(also, d.kind+"s")
		}
		msg += " (also different: " + strings.Join(also, ", ") + ")"
	}
	return errors.New(msg)
}

func firstLine(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	return strings.TrimSuffix(line, "\r")
}

// checkAnchors finds a link to #anchor that names no heading.
func checkAnchors(book fs.FS, pg *page) error {
	for _, l := range pg.links {
		if _, _, ok := resolve(book, pg, l.target); !ok {
			return fmt.Errorf("%s:%d: %s", pg.name, l.line, noHeading(l.target))
		}
	}
	return nil
}

const anchorRule = "GitHub's anchor for a heading is its text in lower case, spaces as hyphens, punctuation dropped"

func noHeading(target string) string {
	return fmt.Sprintf("the link %q names no heading: %s", target, anchorRule)
}

// checkLanguage finds a link in a Chinese page that leads to the English
// edition of a page that has a Chinese one.
func checkLanguage(pairs []Pair, zh *page) error {
	for _, l := range zh.links {
		file, _, _ := strings.Cut(l.target, "#")
		if file == "" || isURL(file) {
			continue
		}
		to := path.Join(path.Dir(zh.name), file)
		for _, p := range pairs {
			if to == p.English && to != englishOf(zh.name) {
				return fmt.Errorf("%s:%d: the link %q leads to the English edition; link %q, the Chinese one", zh.name, l.line, l.target, Chinese(file))
			}
		}
	}
	return nil
}

// englishOf maps a Chinese page's name to its English page's.
func englishOf(name string) string {
	if strings.HasSuffix(name, ".zh-CN.md") {
		return strings.TrimSuffix(name, ".zh-CN.md") + ".md"
	}
	return name
}

func isURL(target string) bool {
	return strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:")
}

// resolve turns a link's target into what both editions share: the
// English page's path from the root for a page of either edition ("" for
// the page itself), and for an anchor the place of the heading it names
// in its page (0 for the first heading), which differs between editions
// only in spelling. heading is -1 without an anchor; ok is false for an
// anchor that names no heading.
func resolve(book fs.FS, from *page, target string) (file string, heading int, ok bool) {
	if isURL(target) {
		return target, -1, true
	}
	file, anchor, hasAnchor := strings.Cut(target, "#")
	to := from
	if file != "" {
		name := path.Join(path.Dir(from.name), file)
		file = englishOf(name)
		if hasAnchor {
			text, err := fs.ReadFile(book, name)
			if err != nil {
				return "", -1, false
			}
			to = parse(name, string(text))
		}
	}
	if !hasAnchor {
		return file, -1, true
	}
	// #流而不是消息 may also be written #%E6%B5%81...
	if un, err := url.PathUnescape(anchor); err == nil {
		anchor = un
	}
	for i, h := range to.headings {
		if h.slug == strings.ToLower(anchor) {
			return file, i, true
		}
	}
	return "", -1, false
}
