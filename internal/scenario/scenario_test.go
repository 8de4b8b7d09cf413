package scenario

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVisible(t *testing.T) {
	assert.Equal(t, "    a\\tb\\r↵\n    c\\x00  (no newline at the end)\n", Visible("a\tb\r\nc\x00"))
	assert.Equal(t, "    (nothing)\n", Visible(""))
	// The diff is made of these lines, so a CR shows there too.
	assert.Equal(t, "stopped\\r↵\n", spell("stopped\r\n"))
}

func TestMentions(t *testing.T) {
	assert.True(t, mentions([]string{"-addrfile", "addr"}, "addr"))
	assert.True(t, mentions([]string{"-addrfile=addr"}, "addr"))
	assert.True(t, mentions([]string{"-addrfile", "/tmp/x/addr"}, "addr"))
	assert.False(t, mentions([]string{"-addr", "127.0.0.1:0"}, "addr"))
}

func TestStopsAt(t *testing.T) {
	start := time.Unix(0, 0)
	// 5% grace, twice, before the deadline; at least 100ms each.
	assert.Equal(t, start.Add(90*time.Second), stopsAt(start, start.Add(100*time.Second)))
	assert.Equal(t, start.Add(800*time.Millisecond), stopsAt(start, start.Add(time.Second)))
}

func TestWireVariants(t *testing.T) {
	dir := t.TempDir()
	script := "# hello\n# wire: split merge\nexec client\n-- want.txt --\nhi\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hello.txtar"), []byte(script), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain.txtar"), []byte("exec client\n"), 0o644))

	files, err := withVariants(t, dir)
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	assert.ElementsMatch(t, []string{"hello.txtar", "plain.txtar", "hello.split.txtar", "hello.merge.txtar"}, names)

	// The variant is the script unchanged, line for line, with its mode
	// as one more file at the end.
	split, err := os.ReadFile(files[2])
	require.NoError(t, err)
	assert.Equal(t, script+"-- .wire --\nsplit\n", string(split))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.txtar"), []byte("# wire: sideways\n"), 0o644))
	_, err = withVariants(t, dir)
	assert.ErrorContains(t, err, `unknown wire mode "sideways"`)
}

// The two accesses of a race report, past the runtime's own frames.
func TestAccesses(t *testing.T) {
	report := `==================
WARNING: DATA RACE
Write at 0x00c0000a4930 by goroutine 11:
  runtime.mapdelete()
      /usr/local/go/src/runtime/map.go:135 +0x0
  main.(*server).leave()
      /w/server/clients.go:67 +0x70

Previous read at 0x00c0000a4930 by goroutine 12:
  main.(*server).count()
      /w/server/clients.go:40 +0x70
`
	assert.Equal(t, []string{
		"Write by goroutine 11 in main.(*server).leave() at /w/server/clients.go:67",
		"Previous read by goroutine 12 in main.(*server).count() at /w/server/clients.go:40",
	}, accesses(report))
}

// What a hung program was doing, from the stack dump of SIGQUIT.
func TestLastDid(t *testing.T) {
	out := `hello
SIGQUIT: quit
PC=0x47e1a1 m=0 sigcode=0

goroutine 1 [IO wait]:
internal/poll.runtime_pollWait(0x7f, 0x72)
	/usr/local/go/src/runtime/netpoll.go:351 +0x85
main.roundTrip(...)
	/w/client/main.go:98 +0x1c
main.main()
	/w/client/main.go:40 +0x1c

goroutine 5 [syscall]:
os/signal.signal_recv()
	/usr/local/go/src/runtime/sigqueue.go:152 +0x29
`
	assert.Equal(t, "IO wait in main.roundTrip (/w/client/main.go:98)", lastDid(out))
	assert.Equal(t, "hello\n", withoutDump(out))
	assert.Equal(t, "", lastDid("no dump here"))
}

func TestHexWindow(t *testing.T) {
	data := []byte("0123456789abcdefGHIJKLMNOPQRSTUVwxyz")
	assert.Equal(t, "    00000000  30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  |0123456789abcdef|\n"+
		"    00000010  47 48 49 4a 4b 4c 4d 4e 4f 50 51 52 53 54 55 56  |GHIJKLMNOPQRSTUV|\n"+
		"    00000020  77 78 79 7a                                      |wxyz|\n", hexWindow(data, 20))
	assert.Equal(t, "    (the data ends before this)\n", hexWindow(data[:4], 100))
}

func TestAwaited(t *testing.T) {
	assert.Equal(t, "`client` to exit", awaited("exec client -addr $ADDR hello"))
	assert.Equal(t, "`client` to exit", awaited("! exec client -addr $ADDR"))
	assert.Equal(t, "`server` to exit (after it was told to stop, it did not)", awaited("wait server"))
}
