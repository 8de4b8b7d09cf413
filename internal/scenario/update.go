package scenario

import (
	"flag"
	"fmt"
	"os"
	"slices"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
)

// After a deliberate change to a program's output, a scenario's author
// can have the expected sections rewritten rather than edit them by hand:
//
//	go test -run TestScenarios/hello . -update
//	go run ./tools/runner -update 01
//
// A comparison of ours (cmpnorm, and a lesson's own through Mismatch) whose
// expected side is a file of the script's archive then writes what came
// into that file, in the script in testdata, and passes; testscript's own
// cmp does the same. Only the script as written is rewritten, not its wire
// variants, and never by default: a grader must not rewrite the contract.
var update = flag.Bool("update", false, "rewrite the expected sections of scenarios that differ with what came (for authors, after a deliberate change)")

// Updated starts each line the harness prints for a section it rewrote.
const Updated = "updated "

// rewrite keeps got as the new text of the archive file called name, if
// the script as written has one and -update asks; it reports whether it
// did. The script is written when it ends (see applyUpdates).
func rewrite(ts *testscript.TestScript, name, got string) bool {
	rec := scriptRecord(ts)
	if !*update || rec.file != rec.orig {
		return false
	}
	archive, err := txtar.ParseFile(rec.orig)
	if err != nil || !slices.ContainsFunc(archive.Files, func(f txtar.File) bool { return f.Name == name }) {
		return false
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.updates == nil {
		rec.updates = map[string]string{}
	}
	rec.updates[name] = got
	return true
}

// applyUpdates writes the rewritten sections into the script, and says
// which on standard output, where go test shows them.
func (r *record) applyUpdates() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.updates) == 0 {
		return nil
	}
	archive, err := txtar.ParseFile(r.orig)
	if err != nil {
		return err
	}
	for i, f := range archive.Files {
		if got, ok := r.updates[f.Name]; ok {
			archive.Files[i].Data = []byte(got)
			fmt.Printf("%s%s: %s\n", Updated, relative(r.orig), f.Name)
		}
	}
	return os.WriteFile(r.orig, txtar.Format(archive), 0o666)
}
