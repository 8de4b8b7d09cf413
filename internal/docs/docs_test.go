package docs_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/socketbook/socketbook/internal/docs"
	"github.com/socketbook/socketbook/internal/grade"
)

// documents are the files the check reads, from the workbook's root. The
// Chinese editions are not listed: internal/editions holds their code
// blocks byte for byte equal to these, so checking one checks both.
var documents = []string{
	"README.md",
	"docs/grading.md",
	"lessons/01-echo/README.md",
	"lessons/02-concurrent/README.md",
	"lessons/03-udp/README.md",
	"lessons/04-http/README.md",
	"lessons/05-options/README.md",
}

var only = flag.String("docs", "", "check these markdown files instead (comma-separated, from the workbook's root)")

// TestDocs runs every checked block of the READMEs and compares what the
// programs print with what the text shows:
//
//	go test -run TestDocs ./internal/docs
//	go test -run TestDocs ./internal/docs -docs lessons/01-echo/README.zh-CN.md
//	go test -v -run TestDocs ./internal/docs -update    rewrite what differs, and say what
func TestDocs(t *testing.T) {
	root, err := grade.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	if grade.IsStarter(root) {
		t.Skip("a starter edition: the READMEs quote code the student has yet to write")
	}
	if testing.Short() {
		t.Skip("runs the READMEs' commands, building the programs; skipped with -short")
	}
	files := documents
	if *only != "" {
		files = strings.Split(*only, ",")
	}
	// -update is the scenarios' flag (internal/scenario defines it): here
	// it rewrites what differs in the READMEs, and says what.
	update := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	docs.Check(t, docs.Options{Root: root, Files: files, Update: update})
}
