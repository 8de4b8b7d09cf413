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
)

// resolve turns a request target such as "/docs/caf%C3%A9.html?x=1" into
// a file name under root, or refuses it with a *statusError.
func resolve(root, target string) (string, error) {
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
}

// openFile opens the file a request names. root must already be absolute
// with its own symlinks resolved (see realRoot). A directory means its
// index.html. The path is checked again after the symlinks in it are
// followed, so a link that points out of the root is refused.
//
// (A link could still be swapped between this check and the open. Go 1.24's
// os.Root closes that gap; this workbook keeps to Go 1.23.)
func openFile(root, target string) (*os.File, fs.FileInfo, error) {
	name, err := resolve(root, target)
	if err != nil {
		return nil, nil, err
	}
	name, err = inside(root, name)
	if err != nil {
		return nil, nil, err
	}
	info, err := os.Stat(name)
	if err == nil && info.IsDir() {
		if name, err = inside(root, filepath.Join(name, "index.html")); err != nil {
			return nil, nil, err
		}
		info, err = os.Stat(name)
	}
	if err != nil {
		return nil, nil, openError(err, root, name)
	}
	// Regular files only, checked before opening: opening a FIFO (a named
	// pipe) waits for a writer that may never come, and a device file can
	// be anything.
	if !info.Mode().IsRegular() {
		return nil, nil, notFound(root, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, openError(err, root, name)
	}
	info, err = f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, notFound(root, name)
	}
	return f, info, nil
}

// inside follows every symlink in name and checks that the real path is
// still under root. A link that leads out gets the very answer a missing
// file gets, 404: a different one (403, say) would tell a stranger which
// names exist outside the root, one guess at a time.
func inside(root, name string) (string, error) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return "", openError(err, root, name)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || !filepath.IsLocal(rel) {
		return "", notFound(root, name)
	}
	return real, nil
}

// openError turns a failure to find or open a file into the status a
// client should see.
func openError(err error, root, name string) error {
	if errors.Is(err, fs.ErrPermission) {
		return refuse(403, "no permission to read %s", underRoot(root, name))
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

// realRoot makes the root absolute and resolves its own symlinks, so that
// the paths inside() compares start the same way.
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
