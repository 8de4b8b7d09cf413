package scenario

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Programs built with the race detector write each report to a file of
// their own, race.PID in the script's race folder (GORACE=log_path, set in
// Run). A report names two accesses to the same memory, at least one a
// write, from goroutines with nothing to order them:
//
//	WARNING: DATA RACE
//	Write at 0x00c000014098 by goroutine 8:
//	  main.(*clients).add()
//	      /.../server/clients.go:30 +0x44
//	  ...
//	Previous read at 0x00c000014098 by goroutine 7:
//	  ...

// raceReport returns, for the first report in dir, the two accesses in two
// lines followed by the start of the report; "" when no program raced.
func raceReport(dir string, procs []*exec.Cmd, keep func(name string, data []byte) string) string {
	files, _ := filepath.Glob(filepath.Join(dir, "race.*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil || len(data) == 0 {
			continue
		}
		who := "a program"
		if pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Ext(file), ".")); err == nil {
			for _, cmd := range procs {
				if cmd.Process != nil && cmd.Process.Pid == pid {
					who = filepath.Base(cmd.Args[0])
				}
			}
		}
		report := string(data)
		var b strings.Builder
		fmt.Fprintf(&b, "Data race in %s: two goroutines used the same memory, one of them writing, with nothing to order them (a mutex, a channel, an atomic).\n", who)
		for _, access := range accesses(report) {
			b.WriteString("    " + access + "\n")
		}
		b.WriteString("The race detector's report (the whole of it is kept in " + keep("race-"+who+".txt", data) + "):\n")
		b.WriteString(indentLines(firstLines(report, 30), "    "))
		return b.String()
	}
	return ""
}

// accesses picks the two accesses out of a report: "Write at ... by
// goroutine 8:" and, under it, the first function that is not the
// runtime's own, with its place.
func accesses(report string) []string {
	var out []string
	lines := strings.Split(report, "\n")
	for i, line := range lines {
		if !strings.Contains(line, " at 0x") || !strings.Contains(line, " by ") {
			continue
		}
		what, _, _ := strings.Cut(line, " at 0x")
		_, by, _ := strings.Cut(line, " by ")
		access := strings.TrimSpace(what) + " by " + strings.TrimSuffix(by, ":")
		// The stack: a function, then its file:line, until a blank line.
		for j := i + 1; j+1 < len(lines) && strings.TrimSpace(lines[j]) != ""; j += 2 {
			fn := strings.TrimSpace(lines[j])
			if strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/") || strings.HasPrefix(fn, "sync.") {
				continue
			}
			where := strings.TrimSpace(lines[j+1])
			if k := strings.LastIndex(where, " +0x"); k > 0 {
				where = where[:k]
			}
			access += " in " + fn + " at " + fromHere(where)
			break
		}
		out = append(out, access)
		if len(out) == 2 {
			break
		}
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

func indentLines(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by) + "\n"
}
