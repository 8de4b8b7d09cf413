package main

import "syscall"

// allowManyConnections raises this process's limit of open files to the
// most it may have, for the servers and clients it starts, which inherit
// it, to hold thousands of connections. (Go raises its own limit at start,
// but gives the programs it starts the old one back, unless the limit is
// set like this.)
func allowManyConnections() error {
	var limit syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &limit); err != nil {
		return err
	}
	limit.Cur = limit.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &limit)
}
