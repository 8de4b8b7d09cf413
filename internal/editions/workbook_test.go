package editions

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWorkbook holds the workbook's own pages to their Chinese editions,
// one subtest per English page, so `go test ./...` at the root turns red
// when one edition changes without the other:
//
//	go test -run 'TestWorkbook/lessons/01-echo' ./internal/editions
//
// It lives here rather than beside workbook_test.go at the root: go test
// caches a package's result until a file its tests read changes, and a
// README read by the root package would make every edit of a README grade
// every lesson again.
func TestWorkbook(t *testing.T) {
	book := os.DirFS("../..")
	pairs, err := Pairs(book)
	require.NoError(t, err)
	for _, p := range pairs {
		t.Run(p.English, func(t *testing.T) {
			if err := Check(book, pairs, p); err != nil {
				t.Error(err)
			}
		})
	}
}
