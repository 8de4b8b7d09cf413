module github.com/socketbook/socketbook/lessons/05-options

go 1.23

require (
	github.com/rogpeppe/go-internal v1.14.1
	github.com/socketbook/socketbook v0.0.0
	golang.org/x/sys v0.26.0
)

require golang.org/x/tools v0.26.0 // indirect

// The scenario harness lives in the workbook's root module.
replace github.com/socketbook/socketbook => ../..
