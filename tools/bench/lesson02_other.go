//go:build !linux

package main

// allowManyConnections does nothing here: the memory figures that need
// it are read from /proc, which only Linux has.
func allowManyConnections() error { return nil }
