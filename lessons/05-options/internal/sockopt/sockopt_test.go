package sockopt

// The lessons' tests use the standard library's testing alone, as the
// tests a student writes would; the workbook's own tools use testify.

import (
	"flag"
	"io"
	"testing"
)

// parse reads args into Settings the way the programs do.
func parse(t *testing.T, args ...string) *Settings {
	t.Helper()
	var s Settings
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &s
}

func TestDefaultsAreGos(t *testing.T) {
	s := parse(t)
	if !s.NoDelay {
		t.Error("TCP_NODELAY is off; Go turns it on")
	}
	if !s.KeepAlive {
		t.Error("keep-alive is off; Go turns it on")
	}
	if s.Linger != -1 {
		t.Errorf("linger is %d, want -1 (SO_LINGER off)", s.Linger)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

// The largest values the kernel takes pass: they are the ranges' ends.
func TestCheckTakesTheEnds(t *testing.T) {
	s := parse(t, "-keepidle", "32767s", "-keepintvl", "1s", "-keepcnt", "127", "-linger", "65535")
	if err := s.Check(); err != nil {
		t.Error(err)
	}
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
		switch {
		case err == nil:
			t.Errorf("%q: accepted, want %q", tc.args, tc.want)
		case err.Error() != tc.want:
			t.Errorf("%q:\n got %q\nwant %q", tc.args, err, tc.want)
		}
	}
}
