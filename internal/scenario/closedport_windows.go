package scenario

import "syscall"

// closeSocket closes a socket made with syscall.Socket: on Windows a socket
// is not a file handle, and has a call of its own.
func closeSocket(fd syscall.Handle) error { return syscall.Closesocket(fd) }
