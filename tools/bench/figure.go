package main

import (
	"fmt"
	"io"
	"strings"
)

// A figure is one table a README quotes, and how to measure it again.
type figure struct {
	name    string   // lesson/table, as -list and the README's marker say it
	title   string   // what the table shows
	readme  string   // the English README that quotes it
	columns []string // the table's columns, the first one naming the rows
	rows    []string // the first column, row by row, in English
	// measure fills the table: one slice of cells per row, the first
	// column left out. An empty cell is one it could not measure (a peer
	// not installed, strace missing); -update keeps the README's cell.
	measure func(r *run) ([][]string, error)
}

// figures is every table the READMEs quote, in lesson order; each
// lesson's file adds its own.
var figures []*figure

// check makes sure measure gave a cell for every row and column.
func (f *figure) check(rows [][]string) error {
	if len(rows) != len(f.rows) {
		return fmt.Errorf("%s: measured %d rows, the table has %d", f.name, len(rows), len(f.rows))
	}
	for i, cells := range rows {
		if len(cells) != len(f.columns)-1 {
			return fmt.Errorf("%s: row %q has %d cells, the table %d", f.name, f.rows[i], len(cells), len(f.columns)-1)
		}
	}
	return nil
}

// printTable prints the table as the README shows it, in markdown, with
// a dash for a cell not measured.
func printTable(w io.Writer, f *figure, rows [][]string) {
	fmt.Fprintf(w, "  | %s |\n", strings.Join(f.columns, " | "))
	fmt.Fprintf(w, "  |%s\n", strings.Repeat(" --- |", len(f.columns)))
	for i, cells := range rows {
		shown := make([]string, len(cells))
		for j, c := range cells {
			shown[j] = c
			if c == "" {
				shown[j] = "–"
			}
		}
		fmt.Fprintf(w, "  | %s | %s |\n", f.rows[i], strings.Join(shown, " | "))
	}
}
