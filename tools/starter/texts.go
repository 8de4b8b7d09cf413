package main

import (
	"fmt"
	"path"
	"strings"
)

// standIns is the file each stubbed package gets: the functions its stubs
// call. The runner finds those calls to tell a student what is left.
func standIns(pkg string, need stubs) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	b.WriteString("// The starter edition leaves some pieces of this program for you to write\n")
	b.WriteString("// (../TODO.md lists them). Each is a stub that calls notWritten; when you\n")
	b.WriteString("// write a piece, its call goes. Delete this file when no call is left.\n\n")
	if need.sayNotWritten {
		b.WriteString("import (\n\t\"fmt\"\n\t\"os\"\n)\n\n")
	} else {
		b.WriteString("import \"fmt\"\n\n")
	}
	b.WriteString("// notWritten says which piece is missing and where the README teaches it.\n")
	b.WriteString("func notWritten(what, section string) error {\n")
	b.WriteString("\treturn fmt.Errorf(\"not written yet: %s, see the README section %q\", what, section)\n}\n")
	if need.sayNotWritten {
		b.WriteString("\n// sayNotWritten prints notWritten's error, for a piece that returns none.\n")
		b.WriteString("func sayNotWritten(what, section string) {\n")
		b.WriteString("\tfmt.Fprintln(os.Stderr, notWritten(what, section))\n}\n")
	}
	return []byte(b.String())
}

// todoList is a stubbed lesson's TODO.md: its pieces, one line each (the
// runner counts them), and how to check them.
func todoList(lesson string, items []string) []byte {
	number, _, _ := strings.Cut(path.Base(lesson), "-")
	return []byte(fmt.Sprintf(`# Lesson %s: the pieces you write

In this starter edition each piece below is a stub that says "not written
yet". Read the README section named beside it, write the piece, and check
your work from the repository's root:

    go run ./tools/runner %s

The scenarios start running as soon as one piece is written; each one that
passes is a point. Tick a piece off here when it is done.

%s
`, number, number, strings.Join(items, "\n")))
}

// myAnswer replaces an exploratory exercise's model answer: a page for the
// student's own.
func myAnswer(answer string) []byte {
	slug := path.Base(path.Dir(answer))
	return []byte(fmt.Sprintf(`# %s: my answer

Write here what you expected, what you saw, and why you think it happened.
The exercise is in the lesson's README under its number; your instructor
has the model answer.
`, slug))
}

// starterText is STARTER.md, the first page a student of the starter
// edition reads; it also marks the folder as a starter for the tools.
const starterText = `# The socket workbook: starter edition

This copy of the workbook leaves the heart of each lesson for you to write:
the echo loop, the accept loop, the datagram loop, the request parser, the
socket options. Everything around them is here and whole: the README that
teaches each lesson, the flags and start-up code, the scenarios that check
your programs, and the exercises.

For each lesson:

1. Read its README beside the code (lessons/01-echo/README.md first).
2. Open its TODO.md: the pieces to write, each a stub in the code that says
   "not written yet" and names the README section that teaches it.
3. Check from the repository's root: go run ./tools/runner 01 greets you
   with what is left, then runs the scenarios as soon as one piece is
   written. go test ./... checks every lesson at once, the way your
   instructor grades.

Exercises: go run ./tools/runner -exercise 01/1 checks one. The exploratory
ones have a my-answer.md for what you found; your instructor has the model
answers and the solutions.

Every push is graded by .github/workflows/classroom.yml: one point per
scenario.
`
