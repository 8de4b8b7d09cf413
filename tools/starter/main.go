// Starter writes the starter edition of the workbook for a course: a copy
// in which the pieces each lesson is about (the echo loop, the accept
// loop, ...) are stubs for the students to write, and everything else
// (scenarios, tools, READMEs, exercises' checks, the grading workflow) is
// whole. The reference marks those pieces with a pair of comments (see
// regions.go); no line of them, and no exercise's solution, reaches the
// copy.
//
//	go run ./tools/starter -o ../socketbook-starter              every lesson
//	go run ./tools/starter -o ../socketbook-starter -lessons 01,02   only these
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

const usage = `usage: go run ./tools/starter -o DIR [-lessons 01,02]

Writes the starter edition of the workbook to DIR, a new folder outside
this one: the marked pieces of each lesson become stubs that say what is
not written yet; exercises keep their checks but not their solutions.
DIR is ready for git init and a push as a template repository.

  go run ./tools/starter -o ../socketbook-starter
  go run ./tools/starter -o ../socketbook-starter -lessons 01,02   stub only these

`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("starter", flag.ContinueOnError)
	flags.Usage = func() { fmt.Fprint(flags.Output(), usage); flags.PrintDefaults() }
	out := flags.String("o", "", "the folder to write the starter to (new or empty)")
	only := flags.String("lessons", "", "stub only these lessons, by number or name, separated by commas; the others stay whole")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errors.New("bad flags: see -h")
	}
	if *out == "" || flags.NArg() > 0 {
		return errors.New("name the folder to write with -o DIR, and nothing else: see -h")
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := grade.Root(wd)
	if err != nil {
		return err
	}
	if grade.IsStarter(root) {
		return errors.New("this is a starter edition already: write a starter from the reference workbook")
	}
	lessons, err := grade.Lessons(root)
	if err != nil {
		return err
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	chosen, err := grade.Select(lessons, names)
	if err != nil {
		return err
	}
	dir, err := newFolder(root, *out)
	if err != nil {
		return err
	}
	ed, err := plan(root, chosen)
	if err != nil {
		return err
	}
	if err := ed.write(dir); err != nil {
		return err
	}
	if leaks := findLeaks(dir, ed.secret); len(leaks) > 0 {
		return fmt.Errorf("the starter in %s still holds solution lines, so do not hand it out:\n%s", dir, strings.Join(leaks, "\n"))
	}
	fmt.Printf("wrote the starter edition to %s: %d pieces to write in %s\n", dir, ed.pieces, grade.Names(chosen))
	fmt.Printf("next: cd %s && git init && git add -A && git commit -m starter   (docs/grading.md has the rest)\n", dir)
	return nil
}

// newFolder checks that the folder can take the starter: new or empty, and
// outside the workbook, since it becomes a repository of its own.
func newFolder(root, dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is inside the workbook: write the starter outside it, such as -o ../socketbook-starter", dir)
	}
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		return "", fmt.Errorf("%s is not empty: name a new folder, or remove this one first", dir)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}
