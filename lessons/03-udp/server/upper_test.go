package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUpper(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hello", "HELLO"},
		{"", ""},
		{"héllo 世界", "HÉLLO 世界"}, // Chinese has no case
		{"αβγ привет", "ΑΒΓ ПРИВЕТ"}, // Greek and Cyrillic do
		{"ɐ", "Ɐ"},                             // 2 bytes become 3: a reply can grow
		{"\xff\xfe\x00abc", "\xff\xfe\x00ABC"}, // not UTF-8: kept as it is
		{"a\xe4\xb8b", "A\xe4\xb8B"},           // half a character, kept too
	} {
		if got := string(upper([]byte(tc.in))); got != tc.want {
			t.Errorf("upper(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzUpper feeds upper any bytes at all, as a client may. Whatever comes
// in, upper must not panic, must agree with strings.ToUpper on valid text,
// and must keep every byte that is not UTF-8.
//
//	go test -fuzz FuzzUpper -fuzztime 60s ./server
func FuzzUpper(f *testing.F) {
	for _, seed := range []string{"hello", "", "héllo 世界", "ɐ", "\xff\xfe\x00abc", "a\xe4\xb8b"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := upper(data)
		if utf8.Valid(data) {
			if want := strings.ToUpper(string(data)); string(got) != want {
				t.Fatalf("upper(%q) = %q, strings.ToUpper gives %q", data, got, want)
			}
			return
		}
		// Letters may change; the bytes that are not UTF-8 must all
		// come back, in the same order.
		if invalid := stripValid(data); !bytes.Equal(invalid, stripValid(got)) {
			t.Fatalf("upper(%q) = %q: the bytes that are not UTF-8 changed", data, got)
		}
	})
}

// stripValid returns the bytes of data that are not part of a valid UTF-8
// character, in order.
func stripValid(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			out = append(out, data[0])
		}
		data = data[size:]
	}
	return out
}
