// Package wire is a proxy that shows what travels between a client and a
// server, and can break it up on purpose: it splits writes into small
// pieces, merges several writes into one, delays them, and for datagrams
// drops, duplicates and reorders them. tools/wiretap is its command, and
// the scenario harness puts it between a lesson's programs.
//
// On loopback one Write usually arrives as one Read, so a program that
// treats one Read as one message seems to work. Through this proxy with
// Split set to 1 it no longer does.
package wire

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Show renders bytes for a timeline: text in quotes with CR, LF, tab and
// NUL made visible, or hex when the bytes are not text. At most max bytes
// are shown; the rest are counted.
func Show(p []byte, max int) string {
	shown := p
	if max > 0 && len(p) > max {
		shown = p[:max]
		// Do not cut a UTF-8 character in half: back off up to three bytes.
		for i := 1; i < utf8.UTFMax && !utf8.Valid(shown); i++ {
			if max-i > 0 && utf8.Valid(p[:max-i]) {
				shown = p[:max-i]
			}
		}
	}
	rest := len(p) - len(shown)
	var b strings.Builder
	if isText(shown) {
		b.WriteByte('"')
		for _, r := range string(shown) {
			switch r {
			case '\r':
				b.WriteString(`\r`)
			case '\n':
				b.WriteString(`\n`)
			case '\t':
				b.WriteString(`\t`)
			case 0:
				b.WriteString(`\0`)
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				if r < 0x20 || r == 0x7f {
					fmt.Fprintf(&b, `\x%02x`, r)
				} else {
					b.WriteRune(r)
				}
			}
		}
		b.WriteByte('"')
	} else {
		b.WriteString("hex")
		for _, c := range shown {
			fmt.Fprintf(&b, " %02x", c)
		}
	}
	if rest > 0 {
		fmt.Fprintf(&b, " … %d more bytes", rest)
	}
	return b.String()
}

// isText says whether p reads as text: valid UTF-8 with few control
// characters other than the usual CR, LF, tab and NUL.
func isText(p []byte) bool {
	if !utf8.Valid(p) {
		return false
	}
	odd := 0
	for _, c := range p {
		if c < 0x20 && c != '\r' && c != '\n' && c != '\t' && c != 0 || c == 0x7f {
			odd++
		}
	}
	return odd*10 <= len(p) // at most one in ten: still text, with a few escapes
}
