package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const echoSource = `package main

import (
	"io"
	"log"
	"net"
)

// echo sends back what it reads.
func echo(conn net.Conn) (int64, error) {
	// Solution: the echo loop (README: "The server").
	// Send back every byte until the client closes.
	return io.Copy(conn, conn)
	// End of solution: the echo loop.
}

func serve(ln net.Listener) {
	for {
		// Solution: the accept loop (README: "Accept").
		conn, err := ln.Accept()
		if err != nil {
			log.Print(err)
			return
		}
		go echo(conn)
		// End of solution: the accept loop.
	}
}
`

func TestFindRegions(t *testing.T) {
	regions, err := findRegions("echo.go", []byte(echoSource))
	require.NoError(t, err)
	require.Len(t, regions, 2)
	assert.Equal(t, "the echo loop", regions[0].what)
	assert.Equal(t, "The server", regions[0].section)
	assert.Equal(t, []string{"Send back every byte until the client closes."}, regions[0].todo)
	assert.Equal(t, []string{"\treturn io.Copy(conn, conn)"}, regions[0].code)
	assert.Equal(t, "the accept loop", regions[1].what)
}

func TestFindRegionsRefusesBadMarkers(t *testing.T) {
	for name, src := range map[string]string{
		"never ends":     "func f() {\n// Solution: x (README: \"A\").\n}\n",
		"end of another": "func f() {\n// Solution: x (README: \"A\").\n// End of solution: y.\n}\n",
		"end alone":      "func f() {\n// End of solution: x.\n}\n",
		"nested":         "func f() {\n// Solution: x (README: \"A\").\n// Solution: y (README: \"A\").\n}\n",
		"misspelled":     "func f() {\n// Solution: x, see README A\n}\n",
	} {
		_, err := findRegions("f.go", []byte(src))
		assert.Error(t, err, name)
	}
}

func TestStubRegions(t *testing.T) {
	regions, err := findRegions("echo.go", []byte(echoSource))
	require.NoError(t, err)
	regions = regions[:1] // the accept loop does not end its function
	got, need, err := stubRegions("echo.go", []byte(echoSource), regions)
	require.NoError(t, err)
	assert.True(t, need.notWritten)
	assert.False(t, need.sayNotWritten)
	assert.Contains(t, string(got), "\t// TODO: write the echo loop; the README's section \"The server\" shows how.\n"+
		"\t// Send back every byte until the client closes.\n"+
		"\treturn 0, notWritten(\"the echo loop\", \"The server\")\n}")
	assert.NotContains(t, string(got), "io.Copy")
	assert.NotContains(t, string(got), `"io"`, "an import only the solution used is dropped")
	assert.Contains(t, string(got), `"log"`)
}

func TestStubRegionsWantsTheEndOfAFunction(t *testing.T) {
	regions, err := findRegions("echo.go", []byte(echoSource))
	require.NoError(t, err)
	_, _, err = stubRegions("echo.go", []byte(echoSource), regions[1:])
	assert.ErrorContains(t, err, "must end its function")
}

func TestStubReturnsWhatTheFunctionReturns(t *testing.T) {
	for _, c := range []struct{ results, want string }{
		{"", `sayNotWritten("x", "A")`},
		{"error", `return notWritten("x", "A")`},
		{"(n int, err error)", `return 0, notWritten("x", "A")`},
		{"([]byte, string, bool, error)", `return nil, "", false, notWritten("x", "A")`},
		{"time.Duration", "sayNotWritten(\"x\", \"A\")\n\treturn *new(time.Duration)"},
	} {
		src := "package p\n\nimport \"time\"\n\nvar _ time.Time\n\nfunc f() " + c.results + " {\n\t// Solution: x (README: \"A\").\n\tpanic(1)\n\t// End of solution: x.\n}\n"
		regions, err := findRegions("p.go", []byte(src))
		require.NoError(t, err)
		got, _, err := stubRegions("p.go", []byte(src), regions)
		require.NoError(t, err, c.results)
		assert.Contains(t, string(got), c.want, c.results)
	}
}

func TestPackageName(t *testing.T) {
	for path, want := range map[string]string{
		"net": "net", "net/http": "http", "math/rand/v2": "rand", "gopkg.in/yaml.v3": "yaml",
		"golang.org/x/sys/unix": "unix",
	} {
		assert.Equal(t, want, packageName(path), path)
	}
}

func TestScrubReplacesQuotedSolutions(t *testing.T) {
	ed := &edition{secret: map[string]string{"return io.Copy(conn, conn)": "the echo loop (server/main.go)"}}
	md := "Text.\n\n```go\nfunc echo(conn net.Conn) (int64, error) {\n\treturn io.Copy(conn, conn)\n}\n```\n\n```console\n$ nc 127.0.0.1 1234\n```\n"
	got := string(ed.scrub([]byte(md)))
	assert.Equal(t, "Text.\n\n```go\n// Yours to write: the echo loop (server/main.go).\n```\n\n```console\n$ nc 127.0.0.1 1234\n```\n", got)
}
