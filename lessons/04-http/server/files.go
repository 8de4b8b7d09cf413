package main

// From a request's path to a file on disk, without ever leaving the root.
// This is where toy file servers go wrong: "/../../etc/passwd" is a path
// too, and so are its disguises (%2e%2e, backslashes, a symlink that points
// out of the folder). Every one of them must be refused.

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// resolve turns a request target such as "/docs/caf%C3%A9.html?x=1" into
// a file name under root, or refuses it with a *statusError.
func resolve(root, target string) (string, error) {
	// Solution: the path check (README: "What a toy server gets wrong").
	// Turn the target into a file name under root: drop the query, decode the
	// percent-encoding, and refuse (400) a NUL, a backslash, any ".." part, or
	// anything filepath.IsLocal does not accept.

	p, _, _ := strings.Cut(target, "?") // the query means nothing to a file server
	p, err := url.PathUnescape(p)       // "%20" is a space, "%2e" a dot
	if err != nil {
		return "", refuse(400, "bad percent-encoding in the path")
	}
	// Check after decoding, or "%2e%2e" would slip past as three harmless
	// characters. Refuse outright rather than clean up: a browser never
	// sends "..", so whoever does is not asking for a page.
	if strings.ContainsAny(p, "\x00\\") {
		return "", refuse(400, "the path holds a NUL byte or a backslash")
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", refuse(400, "the path may not go up with ..")
		}
	}
	rel := strings.TrimPrefix(path.Clean(p), "/")
	if rel == "" {
		rel = "."
	}
	// IsLocal is the last word: no "..", no absolute path, and on Windows
	// no drive letter or reserved name such as NUL.
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", refuse(400, "the path leads outside the root")
	}
	return filepath.Join(root, filepath.FromSlash(rel)), nil
	// End of solution: the path check.
}

// openFile opens the file a request names. root must already be absolute
// with its own symlinks resolved (see realRoot). A folder means its
// index.html. Only a regular file is served: a FIFO (a named pipe) or a
// device file is a name in a folder too, but not a page.
//
// (A link could still be swapped between the check in inside and the open.
// Go 1.24's os.Root closes that gap; this workbook keeps to Go 1.23.)
func openFile(root, target string) (*os.File, fs.FileInfo, error) {
	name, err := resolve(root, target)
	if err != nil {
		return nil, nil, err
	}
	name, found, err := inside(root, name)
	if err == nil && found.IsDir() {
		name, _, err = inside(root, filepath.Join(name, "index.html"))
	}
	if err != nil {
		return nil, nil, err
	}
	// O_NONBLOCK, because opening a FIFO for reading waits for a writer,
	// perhaps for ever; with the flag it opens at once, and Stat below
	// refuses it. (It also spares Go four fcntl calls, to make the file
	// non-blocking and back, which it makes when the flag is missing.)
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, openError(err, root, name)
	}
	info, err := f.Stat() // the size for Content-Length: the file's we send
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, notFound(root, name)
	}
	return f, info, nil
}

// inside checks that name, a path under root, stays under root once the
// symlinks in it are followed, and returns the real path and what Lstat
// says of it. A symbolic link may point anywhere, so each part of the path
// below the root is looked at with Lstat, which tells a link from what it
// points to. With no link on the way, the path is already real. The parts
// of the root's own path are not looked at again on every request: realRoot
// resolved them once, at start.
func inside(root, name string) (string, fs.FileInfo, error) {
	rel, err := filepath.Rel(root, name)
	if err != nil || !filepath.IsLocal(rel) {
		return "", nil, notFound(root, name) // resolve lets none through: this is a second guard
	}
	var info fs.FileInfo
	at := root
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		at = filepath.Join(at, part)
		if info, err = os.Lstat(at); err != nil {
			return "", nil, openError(err, root, name)
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return followLinks(root, name)
		}
	}
	return name, info, nil
}

// followLinks follows every symlink in name and checks that the real path
// is still under root. A link that leads out, or nowhere, gets the very
// answer a missing file gets, 404: any other (403, say) would tell a
// stranger which names exist outside the root, one guess at a time.
func followLinks(root, name string) (string, fs.FileInfo, error) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return "", nil, notFound(root, name)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || !filepath.IsLocal(rel) {
		return "", nil, notFound(root, name)
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", nil, notFound(root, name)
	}
	return real, info, nil
}

// openError turns a failure to find or open a file into the status a
// client should see.
func openError(err error, root, name string) error {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return refuse(403, "no permission to read %s", underRoot(root, name))
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		// Out of file descriptors: the file is there, the server is busy.
		return refuse(503, "the server is too busy to open a file; try again shortly")
	}
	return notFound(root, name) // e.g. it does not exist
}

// notFound is the 404 for name, a path under root.
func notFound(root, name string) error {
	return refuse(404, "no file at %s", underRoot(root, name))
}

// underRoot is name as the client sees it: "/docs/a.html", not the path
// on this machine.
func underRoot(root, name string) string {
	rel, _ := filepath.Rel(root, name)
	return path.Join("/", filepath.ToSlash(rel))
}

// realRoot makes the root absolute and resolves its own symlinks, once, at
// start: inside then looks only at the parts of a path below the root, and
// followLinks compares real paths that start the same way.
func realRoot(root string) (string, error) {
	info, err := os.Stat(root)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errors.New("no such folder")
	}
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		return "", errors.New("not a folder")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// contentTypes maps a file's extension to its Content-Type. The table is
// our own rather than the mime package's, which reads the machine's
// /etc/mime.types and so answers differently on different machines. Text
// says charset=utf-8, or a browser might guess another encoding and show
// Chinese as mojibake.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".ico":  "image/x-icon",
	".pdf":  "application/pdf",
}

// contentType names the kind of file; unknown kinds are just bytes.
func contentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(filepath.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}
