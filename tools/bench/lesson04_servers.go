package main

import (
	"fmt"
	"net"
	"os"
	"os/user"
	"path/filepath"
)

// The four file servers lesson 04 compares, each started on a free port
// of 127.0.0.1, serving one folder, in a process of its own.

const httpInstallNginx = "on Debian or Ubuntu: sudo apt-get install nginx; on macOS: brew install nginx"

// An httpServer is one of them: its name in the tables, and how to start
// it serving root (under strace -f -c with count). start gives no server
// and no error when the program is not installed: its cells stay empty.
type httpServer struct {
	name  string
	start func(r *run, root string, count bool) (*server, error)
}

var (
	httpOurs       = httpServer{"ours", startHTTPOurs}
	httpNet        = httpServer{"net/http", startHTTPNet}
	httpNginx      = httpServer{"nginx", startHTTPNginx}      // a worker per core
	httpNginxAlone = httpServer{"nginx", startHTTPNginxAlone} // one process
	httpPython     = httpServer{"python3 -m http.server", startHTTPPython}
)

// startHTTPOurs starts the lesson's server. Its log goes to the bench,
// which keeps it in memory until the server stops.
func startHTTPOurs(r *run, root string, count bool) (*server, error) {
	bin, err := r.build("./lessons/04-http/server")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(r.dir, "ours-")
	if err != nil {
		return nil, err
	}
	addrFile := filepath.Join(dir, "addr")
	return r.startServer("ours", []string{bin, "-addr", "127.0.0.1:0", "-addrfile", addrFile, "-root", root}, "", addrFile, count)
}

// startHTTPNet starts net/http's file server, a program of a few lines
// in tools/bench/nethttp: http.FileServer(http.Dir(root)).
func startHTTPNet(r *run, root string, count bool) (*server, error) {
	bin, err := r.build("./tools/bench/nethttp")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(r.dir, "nethttp-")
	if err != nil {
		return nil, err
	}
	addrFile := filepath.Join(dir, "addr")
	return r.startServer("nethttp", []string{bin, "-root", root, "-addrfile", addrFile}, "", addrFile, count)
}

// nginxConfig serves root on addr, all of nginx's files in dir: in the
// foreground, the files sent with sendfile, as many requests on a
// kept-open connection as the client likes (nginx's default closes it
// after 1,000), and the access log written to a file in batches, at most
// 64 KiB or 100 ms apart, as our logWriter does. Its temporary folders
// are in dir too, so that it needs no root.
const nginxConfig = `daemon off;
%[4]s
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {
	worker_connections 1024;
}
http {
	access_log %[1]s/access.log combined buffer=64k flush=100ms;
	sendfile on;
	keepalive_requests 1000000;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	server {
		listen %[2]s;
		root %[3]s;
	}
}
`

// nginx, measured for its rate, runs as it is deployed: a master process
// and a worker per core, as the Go servers use every core. For counting
// its system calls and reading its memory, it runs as one process that
// does it all, the master's work and one worker's.
const (
	nginxWorkers = "worker_processes auto;"
	nginxAlone   = "master_process off;\nworker_processes 1;"
)

func startHTTPNginx(r *run, root string, count bool) (*server, error) {
	return startNginx(r, root, nginxWorkers, count)
}

func startHTTPNginxAlone(r *run, root string, count bool) (*server, error) {
	return startNginx(r, root, nginxAlone, count)
}

func startNginx(r *run, root, processes string, count bool) (*server, error) {
	nginx, ok := r.peer("nginx", httpInstallNginx)
	if !ok {
		return nil, nil
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(r.dir, "nginx-")
	if err != nil {
		return nil, err
	}
	// Started by root, nginx's workers become the user nobody, who may not
	// read the run's folder: they stay root.
	if os.Geteuid() == 0 {
		group, err := user.LookupGroupId("0") // root on Linux, wheel on macOS
		if err != nil {
			return nil, err
		}
		processes += "\nuser root " + group.Name + ";"
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(nginxConfig, dir, addr, root, processes)), 0o644); err != nil {
		return nil, err
	}
	// Until it has read the configuration, nginx writes errors to the log
	// it was built with, and says so on stderr if it cannot open it;
	// -e would name another, but only nginx 1.19.5 and later know it.
	argv := []string{nginx, "-p", dir, "-c", conf}
	return r.startServer("nginx", argv, addr, "", count)
}

// startHTTPPython starts Python's file server as its documentation says
// to, a thread per connection. It logs every request to the bench.
func startHTTPPython(r *run, root string, count bool) (*server, error) {
	python, ok := r.peer("python3", installPython3)
	if !ok {
		return nil, nil
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(addr) // freeAddr's is always host:port
	argv := []string{python, "-m", "http.server", "--bind", host, port, "--directory", root}
	return r.startServer("python", argv, addr, "", count)
}
