//go:build unix

package scenario

import "syscall"

// closeSocket closes a socket made with syscall.Socket: on Unix a socket is
// a file descriptor like any other.
func closeSocket(fd int) error { return syscall.Close(fd) }
