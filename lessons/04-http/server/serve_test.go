package main

// The server's own functions, without a network where none is needed.
//
//	go test -run TestSendBody ./server

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestSendBody gives sendBody a file that changed after its size was
// taken: one that grew (more bytes than the head announced) and one that
// shrank (fewer). The body must never be longer than announced, and a
// short one must be reported, so that the connection is closed.
func TestSendBody(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		size    int64
		want    string
		wantErr error
	}{
		{"as announced", "hello\n", 6, "hello\n", nil},
		{"grew", "hello\nand more\n", 6, "hello\n", nil},
		{"shrank", "hel", 6, "hel", errShortFile},
		{"empty", "", 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body bytes.Buffer
			n, err := sendBody(&body, strings.NewReader(tt.file), tt.size)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if body.String() != tt.want || n != int64(len(tt.want)) {
				t.Errorf("sent %q (n = %d), want %q", body.String(), n, tt.want)
			}
		})
	}
}
