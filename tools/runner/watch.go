package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/socketbook/socketbook/internal/grade"
)

// defaultPoll is how often -watch looks at the lessons' files. Polling
// needs no dependency and works the same on every system; a lesson has a
// few dozen files, so a look costs next to nothing.
const defaultPoll = 500 * time.Millisecond

// watch runs the lessons once, then, each time a file of a lesson changes,
// runs that lesson again. A change in the middle of a run stops that run
// (grade kills its go test and every server it started) and starts again,
// so the report on the screen is always about the files as they are.
func watch(ctx context.Context, r *runner, lessons []grade.Lesson, e env) error {
	poll := e.poll
	if poll == 0 {
		poll = defaultPoll
	}
	changes := make(chan []grade.Lesson)
	go poller(ctx, lessons, poll, changes)

	target := lessons
	for {
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			_, err := r.run(runCtx, target)
			done <- err
		}()
		select {
		case changed := <-changes:
			cancel()
			<-done // the run stops and its processes are gone
			fmt.Fprintf(r.p.out, "\n--- %s changed while running: starting again ---\n\n", grade.Names(changed))
			target = changed
			continue
		case err := <-done:
			cancel()
			if err != nil && ctx.Err() == nil {
				return err
			}
		case <-ctx.Done():
			cancel()
			<-done
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		fmt.Fprintf(r.p.out, "\nWatching %s: save a file to run it again (Ctrl-C to stop).\n", grade.Names(lessons))
		if e.ready != nil {
			e.ready()
		}
		select {
		case changed := <-changes:
			fmt.Fprintf(r.p.out, "\n--- %s changed ---\n\n", grade.Names(changed))
			target = changed
		case <-ctx.Done():
			return nil
		}
	}
}

// poller sends the lessons whose files changed, each time some did.
func poller(ctx context.Context, lessons []grade.Lesson, every time.Duration, changes chan<- []grade.Lesson) {
	last := make([]map[string]stamp, len(lessons))
	for i, l := range lessons {
		last[i] = snapshot(l.Dir)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var changed []grade.Lesson
		for i, l := range lessons {
			now := snapshot(l.Dir)
			if !same(now, last[i]) {
				changed = append(changed, l)
				last[i] = now
			}
		}
		if len(changed) > 0 {
			select {
			case changes <- changed:
			case <-ctx.Done():
				return
			}
		}
	}
}

// A stamp is what tells that a file changed.
type stamp struct {
	size    int64
	modTime time.Time
}

// snapshot stamps every file of a lesson, skipping hidden files and
// editors' backups (.x.swp, x~), which change without the lesson changing.
func snapshot(dir string) map[string]stamp {
	files := map[string]stamp{}
	// The walk itself cannot fail: the function below skips what it cannot read.
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while we look: the next look sees it gone
		}
		name := d.Name()
		if path != dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			files[path] = stamp{info.Size(), info.ModTime()}
		}
		return nil
	})
	return files
}

func same(a, b map[string]stamp) bool {
	if len(a) != len(b) {
		return false
	}
	for path, s := range a {
		if t, ok := b[path]; !ok || !t.modTime.Equal(s.modTime) || t.size != s.size {
			return false
		}
	}
	return true
}
