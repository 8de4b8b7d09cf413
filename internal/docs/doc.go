// Package docs keeps the READMEs true: it runs the terminal sessions they
// show against the programs built from source and compares what comes
// with what the text says, checks that the code they quote is the source
// and that their links lead where they say. Its test, run by the root's
// `go test ./...`, fails with the block's file:line, the command and a
// diff when a README has drifted from the code:
//
//	go test -run 'TestDocs/lessons/01-echo/README.md' ./internal/docs
//	go test -run TestDocs ./internal/docs -docs FILE.md  any other markdown file(s), from the root
//	go test -v -run TestDocs ./internal/docs -update     rewrite what differs, and say what
//
// # Notes
//
// Every block of commands (```console, ```sh) and every Go block in a
// checked file says how it is checked, in an HTML comment on the line
// just above it, which GitHub does not show:
//
//	<!-- check -->                                   run it and compare
//	<!-- check: with go run ./lessons/01-echo/server -->   ... with that server in another terminal
//	<!-- check names: a measurement -->              not run (say why), but what its commands name
//	                                                 must exist: folders, packages, tests, benchmarks,
//	                                                 fuzz targets, scenarios, lessons, exercises; and a
//	                                                 line go test shows for a t.Log ("x_test.go:77: ...")
//	                                                 must name the line of that call
//	<!-- not checked: needs a browser -->            why it cannot run: a reason a reader would accept
//	<!-- code: lessons/02-concurrent/server join -->  a Go block: the source it quotes
//
// The same names are checked in the commands of a paragraph's code spans,
// such as `go run ./tools/runner -exercise 01/1`, typed from the root or
// from the file's own folder.
//
// A check note may add clauses, separated by semicolons or one per line:
//
//	with COMMAND           a program running before the first command, as in another terminal
//	from N with COMMAND    ... started before the Nth command only
//	typed TEXT             a line the reader types (typed alone: an empty line); it is fed to
//	                       the command it is shown under, and not expected from the program
//	ctrl-c, ctrl-c N       the reader stops the last (the Nth) command with Ctrl-C once it has
//	                       printed what is shown
//	needs nc               skip the block unless nc is installed (also: linux, ipv6, /a/file)
//
// A text block just below a checked console block can show the log of a
// program the block left running: <!-- check: log of server --> compares
// it with what that program printed after its first lines while the
// block ran.
//
// A Go block's note is "code: PATH SYMBOL", PATH a Go file or a package's
// folder from the root, SYMBOL a func, type, var or const (or a method,
// as Type.Method), quoted with its doc comment; or "code: PATH region
// NAME", the lines between "// region NAME" and "// endregion NAME". A Go
// block noted "check" is a whole program, which must compile.
//
// # How a block runs
//
// A console block is a reader's terminal, typed from the root of the
// repository: each "$ " line is a command, the lines under it what it
// prints, standard output and error together. It runs in bash, in a
// fresh folder that stands in for the root (the workbook's files linked
// in), with `go run ./PKG` running PKG built once from source, which
// prints "exit status N" after a program that fails, as go run does.
// Each command runs in a terminal of its own, and either ends, or is a
// server, which prints "listening on ADDR" and is left running (only the
// lines shown under it are compared) until the block ends and it is
// stopped with Ctrl-C, as its reader would, and must exit 0. A block
// whose commands keep state in the shell (exec 3<>/dev/tcp/...) runs them
// one after another in one bash.
//
// Ports: the block shows the usual ones (1234, 8080), the check uses free
// ones. A server started on a port not yet in use by the block listens on
// port 0, and the port it got becomes that port; any other port the block
// shows (a client's -local, a port where nothing listens) becomes a free
// port below the range the kernel picks from, where no other program is
// given one meanwhile. A command that leaves out a program's -addr is given its default
// address, so that it too goes to the real port. Paths under /tmp move to
// the block's folder.
//
// Before comparing, both sides are normalised, and nothing else is: the
// real ports are shown as the block shows them, the port of any other
// loopback address (a client's, which the kernel picks) as PORT, HTTP
// dates as DATE and wiretap's times as +TIME; a CR before a newline (a
// terminal shows none) and blank lines at the end of a command's output
// are dropped; a line "..." in the block stands for any lines.
//
// The check runs on Linux, with bash (the READMEs' sessions are Linux
// terminals: ss, /proc, the kernel's error messages); elsewhere only the
// notes, the quoted code and the links are checked.
package docs
