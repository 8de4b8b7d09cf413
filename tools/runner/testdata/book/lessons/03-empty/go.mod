module github.com/socketbook/socketbook/tools/runner/testdata/book/lessons/03-empty

go 1.23

require github.com/socketbook/socketbook v0.0.0

require (
	github.com/rogpeppe/go-internal v1.14.1 // indirect
	golang.org/x/sys v0.26.0 // indirect
	golang.org/x/tools v0.26.0 // indirect
)

// The scenario harness of the workbook this test data lives in.
replace github.com/socketbook/socketbook => ../../../../../..
