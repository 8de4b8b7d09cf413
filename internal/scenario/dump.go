package scenario

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// When a script's time runs out, testscript stops the program it waits for
// with SIGQUIT, and a Go program answers that by printing the stack of
// every goroutine and exiting. That dump says what the program was doing
// when it hung: lastDid keeps the part a student needs, the functions of
// their own package main, and the log shows what came before the dump.

// quitMark starts the dump in a program's stderr.
const quitMark = "SIGQUIT: quit"

// withoutDump returns a program's output without its stack dump.
func withoutDump(out string) string {
	if i := strings.Index(out, quitMark); i >= 0 {
		return out[:i]
	}
	return out
}

// lastDid summarises a stack dump, one line per goroutine that was in
// package main: its state and the innermost function of main, with file
// and line. It returns "" when out holds no dump.
func lastDid(out string) string {
	i := strings.Index(out, quitMark)
	if i < 0 {
		return ""
	}
	var said []string
	for _, block := range strings.Split(out[i:], "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		head := lines[0]
		if !strings.HasPrefix(head, "goroutine ") {
			continue
		}
		state := ""
		if a, b := strings.Index(head, "["), strings.Index(head, "]"); a >= 0 && b > a {
			state = head[a+1 : b]
		}
		for j := 1; j+1 < len(lines); j++ {
			fn := lines[j]
			if !strings.HasPrefix(fn, "main.") {
				continue
			}
			if k := strings.LastIndex(fn, "("); k > 0 {
				fn = fn[:k]
			}
			where := strings.TrimSpace(lines[j+1])
			if k := strings.LastIndex(where, " +0x"); k > 0 {
				where = where[:k]
			}
			said = append(said, fmt.Sprintf("%s in %s (%s)", state, fn, fromHere(where)))
			break
		}
		if len(said) == 6 {
			said = append(said, "…")
			break
		}
	}
	if len(said) == 0 {
		return "stopped with SIGQUIT; no goroutine was in package main"
	}
	return strings.Join(said, "\n")
}

// fromHere shortens file:line to a path from the current folder.
func fromHere(where string) string {
	wd, err := os.Getwd()
	if err != nil {
		return where
	}
	if rel, err := filepath.Rel(wd, where); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return where
}
