package main

import (
	"unicode"
	"unicode/utf8"
)

// upper returns data with every letter in upper case, one character at a
// time: "héllo 世界" becomes "HÉLLO 世界" (Chinese has no case). A client may
// send any bytes at all, so a byte that is not valid UTF-8 is passed through
// unchanged rather than replaced: the server changes letters, nothing else.
//
// The reply can be longer than the request: "ɐ" (2 bytes) becomes "Ɐ"
// (3 bytes). So a request near the size limit may get a reply too big to
// send; the server then says so instead (see handle).
func upper(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			out = append(out, data[0]) // not UTF-8: keep the byte as it is
		} else {
			out = utf8.AppendRune(out, unicode.ToUpper(r))
		}
		data = data[size:]
	}
	return out
}
