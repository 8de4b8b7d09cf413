package lesson_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBigFileMemory streams a 1 GiB file through the server and reads the
// server's peak resident memory (VmHWM in /proc/PID/status) afterwards.
// io.CopyN from the file to the connection uses sendfile on Linux, so the
// bytes never pass through the server's memory and the peak stays small
// however big the file. The file is sparse (made with Truncate), so it
// costs no disk and is never in git.
//
//	go test -run TestBigFileMemory -v .
func TestBigFileMemory(t *testing.T) {
	switch {
	case runtime.GOOS != "linux":
		t.Skip("reads /proc/PID/status, which only Linux has")
	case raceEnabled:
		t.Skip("the race detector's bookkeeping makes the memory figure meaningless")
	case testing.Short():
		t.Skip("streams 1 GiB; skipped with -short")
	}
	const size = 1 << 30
	const limit = 30 << 20 // the lesson's target: under 30 MB resident

	dir := t.TempDir()
	root := filepath.Join(dir, "www")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(root, "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()

	bin := filepath.Join(dir, "server")
	if out, err := exec.Command("go", "build", "-o", bin, "./server").CombinedOutput(); err != nil {
		t.Fatalf("go build ./server: %v\n%s", err, out)
	}
	addrFile := filepath.Join(dir, "addr")
	server := exec.Command(bin, "-addr", "127.0.0.1:0", "-addrfile", addrFile, "-root", root)
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = server.Process.Signal(os.Interrupt)
		_ = server.Wait()
	})
	addr := waitAddr(t, addrFile)

	resp, err := http.Get("http://" + addr + "/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != size {
		t.Fatalf("got %d bytes and %v, want %d bytes", n, err, size)
	}

	peak := peakMemory(t, server.Process.Pid)
	t.Logf("server's peak resident memory after streaming 1 GiB: %.1f MiB (VmHWM)", float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak resident memory %d bytes, want under %d: is the file read into memory?", peak, limit)
	}
}

// waitAddr waits until the server has written its address to file.
func waitAddr(t *testing.T, file string) string {
	t.Helper()
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); {
		if data, err := os.ReadFile(file); err == nil && len(data) > 0 {
			return strings.TrimSpace(string(data))
		}
		time.Sleep(10 * time.Millisecond) // poll for the file; the wait ends as soon as it exists
	}
	t.Fatalf("the server never wrote its address to %s", file)
	return ""
}

// peakMemory reads a process's peak resident set size, VmHWM ("high
// water mark"), from /proc/PID/status, where it is given in kB.
func peakMemory(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if value, ok := strings.CutPrefix(lines.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("cannot read VmHWM %q", value)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM line in /proc/PID/status")
	return 0
}
