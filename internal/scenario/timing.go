package scenario

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Every wait in a scenario has a deadline, so that a program that hangs is
// reported in seconds, as a hang, rather than after minutes of silence.
// None of them is a timing assertion: a correct program is done long
// before, on any machine. Two sizes cover what the scripts wait for:
//
//   - a script as a whole gets scriptLimit (or the "# limit:" of its
//     header, for one that moves a lot of data); `exec` and `wait` run
//     under it;
//   - one wait of a script command of ours (an address to appear, a reply
//     on a connection) gets patience, or what is left of the script's
//     limit if that is less.
//
// Both are stretched by one factor: SOCKETBOOK_TIME_SCALE (say 3 on a slow
// machine), times half as much again for programs built with the race
// detector, which run slower, times how overloaded the machine is when the
// script starts (on Linux, from its load average, up to 2; see overload):
// on a machine busy with other work every program runs slower, and a slow
// program is not a hung one.
const (
	scriptLimit = 15 * time.Second
	patience    = 5 * time.Second
)

// scale is the factor every limit is stretched by.
func scale(race bool) float64 {
	f := 1.0
	if v, err := strconv.ParseFloat(os.Getenv("SOCKETBOOK_TIME_SCALE"), 64); err == nil && v >= 1 {
		f = v
	}
	if race {
		f *= 1.5
	}
	return f
}

// overload says how much slower than usual the machine runs programs,
// from the load average of the last minute: 1 until there is twice as
// much work waiting as there are cores, then more, up to 2; 1 where the
// system does not say. A lesson's own scenarios keep a couple of tasks
// per core busy, so only other work on the machine stretches the limits.
func overload() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 1
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 1
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return 1
	}
	return min(2, max(1, load/float64(2*runtime.NumCPU())))
}

func stretch(d time.Duration, by float64) time.Duration {
	return time.Duration(float64(d) * by)
}

// timing is one script's time limit.
type timing struct {
	scale    float64       // how much every time of the script is stretched
	limit    time.Duration // as stretched, to name it in messages
	patience time.Duration // for one wait, as stretched
	deadline time.Time     // testscript's Deadline for the script
	end      time.Time     // when testscript starts stopping the programs
}

// newTiming starts the clock of a script whose header asked for limit (zero
// for the default). go test's own -timeout, if sooner, wins.
func newTiming(limit time.Duration, by float64, t *testing.T) timing {
	if limit == 0 {
		limit = scriptLimit
	}
	by *= overload()
	w := timing{scale: by, limit: stretch(limit, by), patience: stretch(patience, by)}
	start := time.Now()
	w.deadline = start.Add(w.limit)
	if d, ok := t.Deadline(); ok && d.Before(w.deadline) {
		w.deadline = d
	}
	w.end = stopsAt(start, w.deadline)
	return w
}

// stopsAt is when testscript starts stopping a script's programs: it keeps
// two grace periods of 5% of the time (at least 100ms each) before the
// deadline, to stop them and to report.
func stopsAt(start, deadline time.Time) time.Time {
	grace := deadline.Sub(start) / 20
	if grace < 100*time.Millisecond {
		grace = 100 * time.Millisecond
	}
	return deadline.Add(-2 * grace)
}

// Patience returns the deadline for one wait of a script command: patience
// from now, or the script's end if that comes first. It also records what
// the command is waiting for, so that a wait that runs out is reported as a
// hang naming it. A lesson's own commands use it for every deadline they
// set:
//
//	conn.SetReadDeadline(scenario.Patience(ts, "a reply from the server"))
func Patience(ts *testscript.TestScript, what string) time.Time {
	rec := scriptRecord(ts)
	deadline := time.Now().Add(rec.when.patience)
	if rec.when.end.Before(deadline) {
		deadline = rec.when.end
	}
	rec.waitingFor(what)
	return deadline
}

// Stretch returns d stretched as the script's time limits are. A lesson's
// command that waits on purpose before acting (a peer that lets a client
// in only after a while) uses it, so that on a slow or busy machine the
// programs still have time to do their part first.
func Stretch(ts *testscript.TestScript, d time.Duration) time.Duration {
	return stretch(d, scriptRecord(ts).when.scale)
}

// Stretched returns d stretched as a script's limits are, for a wait
// outside any script (the READMEs' check runs programs built without the
// race detector): by SOCKETBOOK_TIME_SCALE and how overloaded the
// machine is now.
func Stretched(d time.Duration) time.Duration {
	return stretch(d, scale(false)*overload())
}

// raceWanted reports whether to build the programs with the race
// detector: when the test itself runs under it, or when SOCKETBOOK_RACE=1
// asks (the grader does, wherever the detector works); SOCKETBOOK_RACE=0
// turns it off.
func raceWanted() bool {
	switch os.Getenv("SOCKETBOOK_RACE") {
	case "1":
		return true
	case "0":
		return false
	}
	return raceEnabled
}
