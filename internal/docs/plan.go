package docs

import (
	"fmt"
	"strconv"
	"strings"
)

// A plan is how a checked block runs, read from its note.
type plan struct {
	with  []started // programs the reader has running in other terminals
	typed []string  // lines the reader types, in order
	needs []string  // what the block needs of the machine
	ctrlC int       // the command the reader stops with Ctrl-C, 0 for none
	logOf string    // for a text block: the program whose log it shows
}

// started is a program left running before one of the block's commands.
type started struct {
	before  int    // the command it starts before, from 1
	command string // such as "go run ./lessons/01-echo/server"
}

// readPlan reads a check note's clauses, one per line or separated by
// semicolons:
//
//	with go run ./lessons/01-echo/server         running before the first command
//	from 2 with go run ./lessons/01-echo/server  running before the second
//	typed hi there                               a line the reader types ("typed" alone: an empty one)
//	ctrl-c                                       the reader stops the last command with Ctrl-C
//	ctrl-c 2                                     ... the second one
//	needs nc                                     skip unless nc is installed (or ipv6, linux, /some/file)
//	log of server                                (a text block) what server printed while the block above ran
func readPlan(text string) (plan, error) {
	var p plan
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
		clause = strings.TrimSpace(clause)
		word, rest, _ := strings.Cut(clause, " ")
		rest = strings.TrimSpace(rest)
		switch word {
		case "":
		case "with":
			p.with = append(p.with, started{before: 1, command: rest})
		case "from":
			n, cmd, ok := strings.Cut(rest, " with ")
			before, err := strconv.Atoi(n)
			if !ok || err != nil || before < 1 {
				return p, fmt.Errorf("%q: want from N with COMMAND", clause)
			}
			p.with = append(p.with, started{before: before, command: strings.TrimSpace(cmd)})
		case "typed":
			p.typed = append(p.typed, rest)
		case "needs":
			p.needs = append(p.needs, strings.Fields(rest)...)
		case "ctrl-c":
			p.ctrlC = -1 // the last command
			if rest != "" {
				n, err := strconv.Atoi(rest)
				if err != nil || n < 1 {
					return p, fmt.Errorf("%q: want ctrl-c, or ctrl-c N for the Nth command", clause)
				}
				p.ctrlC = n
			}
		case "log":
			name, ok := strings.CutPrefix(rest, "of ")
			if !ok || name == "" {
				return p, fmt.Errorf("%q: want log of PROGRAM", clause)
			}
			p.logOf = strings.TrimSpace(name)
		default:
			return p, fmt.Errorf("%q: unknown clause (want with, from N with, typed, ctrl-c, needs or log of)", clause)
		}
	}
	return p, nil
}

// A command is one "$ " line of a console block and what is shown under it.
type command struct {
	n     int      // its number in the block, from 1
	line  int      // its line in the markdown file
	text  string   // the command, without the prompt
	shown []string // every line under it, as shown
	want  []string // what it prints: the lines shown, without those typed
	typed []string // the lines the reader types into it
}

// commands splits a console block into its commands and hands each the
// lines typed into it: a typed line is the first shown line equal to it,
// after the previous typed line. A block of plain shell commands (sh,
// bash) is one command per line, none with output.
func commands(b *Block, p plan) ([]*command, error) {
	var cmds []*command
	for i, line := range b.Body {
		text, ok := strings.CutPrefix(line, "$ ")
		if !ok && b.Lang != "console" {
			text, ok = line, strings.TrimSpace(line) != ""
		}
		if ok {
			cmds = append(cmds, &command{n: len(cmds) + 1, line: b.Line + 1 + i, text: text})
			continue
		}
		if len(cmds) == 0 {
			return nil, fmt.Errorf("the block's first line is not a command (a console block starts with \"$ \")")
		}
		c := cmds[len(cmds)-1]
		c.shown = append(c.shown, line)
	}
	typed := p.typed
	for _, c := range cmds {
		for _, line := range c.shown {
			if len(typed) > 0 && line == typed[0] {
				c.typed = append(c.typed, line)
				typed = typed[1:]
				continue
			}
			c.want = append(c.want, line)
		}
	}
	if len(typed) > 0 {
		return nil, fmt.Errorf("typed %q: no such line under the commands (in order)", typed[0])
	}
	if p.ctrlC > len(cmds) {
		return nil, fmt.Errorf("ctrl-c %d: the block has %d commands", p.ctrlC, len(cmds))
	}
	for _, w := range p.with {
		if w.before > len(cmds) {
			return nil, fmt.Errorf("from %d with: the block has %d commands", w.before, len(cmds))
		}
	}
	return cmds, nil
}
