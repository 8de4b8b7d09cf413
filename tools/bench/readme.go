package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A README marks each table the bench fills with a comment on the line
// above it:
//
//	<!-- figures: 04/rates (go run ./tools/bench 04/rates) -->
//	| load | rate, ours / net/http's | ... |
//
// The Chinese edition carries the same marker above the same table; its
// first column and its head are its own, the cells the bench's.
const marker = "<!-- figures: "

// editions are the README and its translation, where there is one.
func editions(readme string) []string {
	paths := []string{readme}
	zh := strings.TrimSuffix(readme, ".md") + ".zh-CN.md"
	if _, err := os.Stat(filepath.FromSlash(zh)); err == nil {
		paths = append(paths, zh)
	}
	return paths
}

// markerLine is the comment that names f above its table.
func markerLine(f *figure) string {
	return fmt.Sprintf("%s%s (go run ./tools/bench %s) -->", marker, f.name, f.name)
}

// findTable returns the lines of the table below f's marker in lines:
// the index of the first row after the head and separator, and of the
// line after the table.
func findTable(lines []string, f *figure) (first, end int, err error) {
	at := -1
	for i, line := range lines {
		if strings.TrimSpace(line) == markerLine(f) {
			if at >= 0 {
				return 0, 0, fmt.Errorf("two markers for %s", f.name)
			}
			at = i
		}
	}
	if at < 0 {
		return 0, 0, fmt.Errorf("no line %q", markerLine(f))
	}
	if at+2 >= len(lines) || !strings.HasPrefix(lines[at+1], "|") || !strings.HasPrefix(lines[at+2], "| ---") && !strings.HasPrefix(lines[at+2], "|---") {
		return 0, 0, fmt.Errorf("the marker for %s (line %d) is not right above a table's head", f.name, at+1)
	}
	first = at + 3
	end = first
	for end < len(lines) && strings.HasPrefix(lines[end], "|") {
		end++
	}
	if cols := len(cells(lines[at+1])); cols != len(f.columns) {
		return 0, 0, fmt.Errorf("the table for %s (line %d) has %d columns, the bench %d", f.name, at+2, cols, len(f.columns))
	}
	if end-first != len(f.rows) {
		return 0, 0, fmt.Errorf("the table for %s (line %d) has %d rows, the bench %d", f.name, at+2, end-first, len(f.rows))
	}
	return first, end, nil
}

// updateTable writes the measured cells into the table in path, keeping
// each row's first cell (the edition's own words) and every cell that
// was not measured.
func updateTable(path string, f *figure, rows [][]string) error {
	data, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	first, end, err := findTable(lines, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for i := first; i < end; i++ {
		old := cells(lines[i])
		for j, c := range rows[i-first] {
			if c != "" {
				old[j+1] = c
			}
		}
		lines[i] = "| " + strings.Join(old, " | ") + " |"
	}
	updated := []byte(strings.Join(lines, "\n"))
	if bytes.Equal(updated, data) {
		return nil
	}
	return os.WriteFile(filepath.FromSlash(path), updated, 0o644)
}

// cells splits a table row into its trimmed cells.
func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
