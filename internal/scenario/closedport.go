package scenario

import (
	"fmt"

	"github.com/rogpeppe/go-internal/testscript"
)

// closedPort is the command "closedport VAR": it sets VAR to an address of
// 127.0.0.1 where nothing listens, for a scenario about a client with no
// server. A server started and stopped only to learn a free port would
// give the port back, and a scenario running beside this one could take it
// before the client dials; so the port is bound by a socket that never
// listens, held until the scenario ends. A connection to it is refused.
func closedPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: closedport VAR")
	}
	port, release, err := bindWithoutListening()
	if err != nil {
		ts.Fatalf("closedport: %v", err)
	}
	ts.Defer(release)
	ts.Setenv(args[0], fmt.Sprintf("127.0.0.1:%d", port))
}
