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
