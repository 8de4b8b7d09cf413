package scenario

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
