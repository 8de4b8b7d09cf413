package sockopt

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parse reads args into Settings the way the programs do.
func parse(t *testing.T, args ...string) *Settings {
	t.Helper()
	var s Settings
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.AddFlags(fs)
	require.NoError(t, fs.Parse(args))
	return &s
}

func TestDefaultsAreGos(t *testing.T) {
	s := parse(t)
	assert.True(t, s.NoDelay, "Go turns TCP_NODELAY on")
	assert.True(t, s.KeepAlive, "Go turns keep-alive on")
	assert.Equal(t, -1, s.Linger, "SO_LINGER off")
	assert.NoError(t, s.Check())
}

// The largest values the kernel takes pass: they are the ranges' ends.
func TestCheckTakesTheEnds(t *testing.T) {
	s := parse(t, "-keepidle", "32767s", "-keepintvl", "1s", "-keepcnt", "127", "-linger", "65535")
	assert.NoError(t, s.Check())
}

func TestCheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-keepidle", "-1s"}, "-keepidle -1s is out of range (use 0 for Go's 15s, or whole seconds from 1s to 32767s)"},
		{[]string{"-keepintvl", "300ms"}, "-keepintvl 300ms is out of range (use 0 for Go's 15s, or whole seconds from 1s to 32767s)"},
		{[]string{"-keepintvl", "1500ms"}, "-keepintvl 1.5s is out of range (use 0 for Go's 15s, or whole seconds from 1s to 32767s)"},
		{[]string{"-keepidle", "32768s"}, "-keepidle 9h6m8s is out of range (use 0 for Go's 15s, or whole seconds from 1s to 32767s)"},
		{[]string{"-keepcnt", "-3"}, "-keepcnt -3 is out of range (use 0 for Go's 9, or 1 to 127)"},
		{[]string{"-keepcnt", "128"}, "-keepcnt 128 is out of range (use 0 for Go's 9, or 1 to 127)"},
		{[]string{"-sndbuf", "-1"}, "-sndbuf -1 is out of range (use 0 for the kernel's default, or 1 to 2147483647 bytes)"},
		{[]string{"-rcvbuf", "2147483648"}, "-rcvbuf 2147483648 is out of range (use 0 for the kernel's default, or 1 to 2147483647 bytes)"},
		{[]string{"-linger", "-2"}, "-linger -2 is out of range (use -1 for off, 0 to close with RST, or 1 to 65535 seconds)"},
		{[]string{"-linger", "65536"}, "-linger 65536 is out of range (use -1 for off, 0 to close with RST, or 1 to 65535 seconds)"},
	} {
		err := parse(t, tc.args...).Check()
		if assert.Error(t, err, tc.args) {
			assert.Equal(t, tc.want, err.Error())
		}
	}
}
