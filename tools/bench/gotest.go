package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// testBinary compiles a package's tests (a path from the root, like
// ./lessons/05-options) once per run, for its benchmarks.
func (r *run) testBinary(pkg string) (string, error) {
	key := "test:" + pkg
	if bin, ok := r.built[key]; ok {
		return bin, nil
	}
	bin := filepath.Join(r.dir, fileName(pkg)+".test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c %s: %v\n%s", pkg, err, out)
	}
	r.built[key] = bin
	return bin, nil
}

// benchmark runs one benchmark of a test binary once (name is the full
// name, like Nagle/nagle-one-write) and returns the metrics of its result
// line by unit ("ns/op", "MB/s" and any the benchmark reports itself) and
// the processor time the whole test process used, user and system.
func benchmark(bin, name, benchtime string, extra ...string) (map[string]float64, time.Duration, error) {
	pattern := "^Benchmark" + strings.ReplaceAll(name, "/", "$/^") + "$"
	args := append([]string{"-test.run", "^$", "-test.bench", pattern, "-test.benchtime", benchtime}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = filepath.Dir(bin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, 0, fmt.Errorf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	used := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, 0, fmt.Errorf("benchmark %s: cannot read %q in %q", name, f[i], line)
			}
			metrics[f[i+1]] = v
		}
		return metrics, used, nil
	}
	return nil, 0, fmt.Errorf("benchmark %s printed no result:\n%s", name, out)
}
