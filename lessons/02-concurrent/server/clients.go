package main

import (
	"net"
	"sync"
	"time"
)

// server holds the limits, from the flags, and the one thing every
// connection's goroutine shares: the set of clients online.
type server struct {
	maxClients int           // the most clients served at once
	idle       time.Duration // how long a client may stay silent
	maxLine    int           // the longest line a client may send, newline included
	grace      time.Duration // at shutdown, how long before connections are cut

	// Many goroutines read and change online at the same moment, so each
	// does it holding mu. Without the lock, two clients joining at once
	// could both write the map (Go stops the program: "concurrent map
	// writes"), or read a count that is already wrong. `go test -race`
	// and `go run -race` catch such mistakes; the README shows one.
	mu     sync.Mutex
	online map[net.Conn]bool
}

// join adds conn to the clients online and returns how many there are
// now, unless the server is full: then conn is not added, and ok is false.
// Checking and adding happen under one lock, so two clients can never
// both take the last place.
func (s *server) join(conn net.Conn) (online int, ok bool) {
	// Solution: the shared count (README: "Shared state and the race detector").
	// Add conn to s.online and say how many are online, unless s.maxClients are
	// online already: then add nothing and return false. Many goroutines call
	// this at once: hold s.mu while you look and change.

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.online) >= s.maxClients {
		return len(s.online), false
	}
	if s.online == nil {
		s.online = make(map[net.Conn]bool)
	}
	s.online[conn] = true
	return len(s.online), true
	// End of solution: the shared count.
}

// leave removes conn from the clients online.
func (s *server) leave(conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.online, conn)
}

// closeAll closes every client's connection, which wakes any goroutine
// blocked reading or writing it, and says how many it closed. It is the
// last resort of a shutdown whose grace period is over.
func (s *server) closeAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for conn := range s.online {
		conn.Close()
	}
	return len(s.online)
}
