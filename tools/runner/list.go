package main

import (
	"fmt"
	"strings"

	"github.com/socketbook/socketbook/internal/grade"
)

// list prints every lesson and scenario with its last result, without
// running anything.
func list(p *printer, lessons []grade.Lesson, st *state) {
	for _, l := range lessons {
		names, _ := grade.Scenarios(l)
		missing := grade.Missing(l)
		switch {
		case missing != "":
			fmt.Fprintf(p.out, "%s  %s\n", p.paint(bold, l.Name), missing)
			continue
		case st.Problems[l.Name] != "":
			fmt.Fprintf(p.out, "%s  %s %s\n", p.paint(bold, l.Name), p.paint(red, "could not run last time:"), firstLine(st.Problems[l.Name]))
		default:
			fmt.Fprintf(p.out, "%s\n", p.paint(bold, l.Name))
		}
		for _, name := range names {
			status, ran := st.Scenarios[l.Name+"/"+name]
			state := "    "
			if ran {
				state = p.mark(status)
			}
			fmt.Fprintf(p.out, "  %s  %s\n", state, name)
		}
		exercises, _ := grade.Exercises(l)
		for _, e := range exercises {
			var state string
			switch {
			case !e.Checked():
				state = "explore, then: -answer " + e.ID()
			case st.Exercises[e.ID()] == grade.Pass:
				state = p.paint(green, "done")
			default:
				state = "not yet: -exercise " + e.ID()
			}
			fmt.Fprintf(p.out, "  exercise %s  %s  (%s)\n", e.ID(), e.Title(), state)
		}
	}
	fmt.Fprintln(p.out, "\nPASS, FAIL and SKIP are each scenario's last result; a blank has not run yet.")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
