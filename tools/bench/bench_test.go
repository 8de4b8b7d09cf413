package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every table the bench fills is marked in its README and in the
// translation, with the bench's columns and rows; and every marker names
// a table the bench knows. No measuring: this is what go test checks.
func TestTablesAreMarked(t *testing.T) {
	// The READMEs' paths are the workbook's, from its root.
	here, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(filepath.Join("..", "..")))
	defer func() { require.NoError(t, os.Chdir(here)) }()

	known := map[string]bool{}
	for _, f := range figures {
		require.False(t, known[f.name], "two figures are named %s", f.name)
		require.Len(t, editions(f.readme), 2, "%s: the README and its Chinese edition", f.readme)
		known[f.name] = true
		for _, path := range editions(f.readme) {
			data, err := os.ReadFile(filepath.FromSlash(path))
			require.NoError(t, err)
			_, _, err = findTable(strings.Split(string(data), "\n"), f)
			assert.NoError(t, err, path)
		}
	}
	readmes, err := filepath.Glob("lessons/*/README*.md")
	require.NoError(t, err)
	for _, path := range readmes {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for i, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), marker); ok {
				name, _, _ := strings.Cut(rest, " ")
				assert.True(t, known[name], "%s:%d: no table %q in tools/bench", path, i+1, name)
			}
		}
	}
}

func TestUpdateTable(t *testing.T) {
	f := &figure{name: "00/demo", columns: []string{"load", "rate", "ratio"}, rows: []string{"small", "big"}}
	page := strings.Join([]string{
		"text",
		markerLine(f),
		"| 负载 | 速率 | 比值 |",
		"| --- | --- | --- |",
		"| 小 | 1 | 2 |",
		"| 大 | 3 | 4 |",
		"",
		"more text",
	}, "\n")
	path := filepath.Join(t.TempDir(), "README.md")
	require.NoError(t, os.WriteFile(path, []byte(page), 0o644))

	// The edition's own first column stays; a cell not measured stays.
	require.NoError(t, updateTable(path, f, [][]string{{"10", "20"}, {"", "40"}}))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), "| 小 | 10 | 20 |\n| 大 | 3 | 40 |\n\nmore text")

	// A table whose rows are not the bench's is refused, not half written.
	err = updateTable(path, &figure{name: "00/demo", columns: f.columns, rows: []string{"one"}}, [][]string{{"1", "2"}})
	assert.ErrorContains(t, err, "has 2 rows, the bench 1")
}

func TestStats(t *testing.T) {
	assert.Equal(t, 2.0, median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 2, 3}))
	assert.Equal(t, "1.34 (1.31 to 1.38)", ratio([]float64{1.38, 1.31, 1.34}))
	assert.Equal(t, "1,700", ratio([]float64{1700}))
	assert.Equal(t, "12,345,678", thousands(12345678))
	assert.Equal(t, "25.4 µs", duration(25363))
	assert.Equal(t, "43.8 ms", duration(43827453))

	var order []string
	_, err := turns(2,
		func() (float64, error) { order = append(order, "a"); return 1, nil },
		func() (float64, error) { order = append(order, "b"); return 2, nil })
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "b", "a"}, order, "the one that goes first changes every round")
}
