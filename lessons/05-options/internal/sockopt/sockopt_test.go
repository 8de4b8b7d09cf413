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

func TestCheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-keepidle", "-1s"}, "-keepidle must not be negative (got -1s; 0 means Go's default)"},
		{[]string{"-keepintvl", "300ms"}, "-keepintvl must be at least 1s (got 300ms): the kernel counts it in seconds"},
		{[]string{"-keepcnt", "-3"}, "-keepcnt must not be negative (got -3; 0 means the default)"},
		{[]string{"-sndbuf", "-1"}, "-sndbuf must not be negative (got -1; 0 means the default)"},
		{[]string{"-linger", "-2"}, "-linger must be -1 (off), 0 (close with RST) or a number of seconds (got -2)"},
	} {
		err := parse(t, tc.args...).Check()
		if assert.Error(t, err, tc.args) {
			assert.Equal(t, tc.want, err.Error())
		}
	}
}
