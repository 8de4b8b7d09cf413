"""Lesson 02's greeting server in Python, a thread per connection, in the
style of the classic socket tutorials: the peer tools/bench measures the Go
server against.

    python3 lesson02_threads.py 127.0.0.1:0 ADDRFILE

It speaks lesson 02's protocol: a welcome line with the number of clients
online, then a reply to every line, "Hello, NAME!", and "Bye!" to exit,
after which it hangs up. It writes the address it listens on to ADDRFILE
and stops on Ctrl-C (SIGINT) or SIGTERM.

Unlike the Go server it sets no time-out: conn.settimeout() would make
Python wait in poll() before every recv(), and the classic tutorial's
blocking recv() is what is being compared.
"""

import os
import signal
import socket
import sys
import threading

MAX_LINE = 1024  # the Go server's -max-line, newline included

lock = threading.Lock()  # guards online: every handler thread changes it
online = 0


def welcome(count):
    return ("Welcome! Clients online: %d (you included). "
            "Send your name, or exit to leave." % count)


def answer(line):
    """The reply to one line, and whether the client said goodbye."""
    if line == b"exit":
        return "Bye!", True
    if line == b"":
        return "error: empty line; send your name, or exit", False
    try:
        name = line.decode("utf-8")
    except UnicodeDecodeError:
        return "error: not UTF-8 text; send your name in UTF-8", False
    return "Hello, " + name + "!", False


def handle(conn):
    """Serves one client, in a thread of its own."""
    global online
    # Ctrl-C is for the main thread, waiting in accept(): a signal that
    # came to a handler thread would not wake it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    with lock:
        online += 1
        count = online
    try:
        with conn, conn.makefile("rb") as lines:
            conn.sendall((welcome(count) + "\n").encode())
            while True:
                line = lines.readline(MAX_LINE)
                if len(line) == MAX_LINE and not line.endswith(b"\n"):
                    reply = "error: line longer than %d bytes; closing" % MAX_LINE
                    conn.sendall((reply + "\n").encode())
                    return
                if not line.endswith(b"\n"):
                    return  # the client hung up
                line = line.removesuffix(b"\n").removesuffix(b"\r")
                reply, bye = answer(line)
                conn.sendall((reply + "\n").encode())
                if bye:
                    return
    except OSError:
        pass  # reset, or gone: its problem, not the other clients'
    finally:
        with lock:
            online -= 1


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    addr_file = sys.argv[2]
    # Ctrl-C raises KeyboardInterrupt, even if this process was started
    # with SIGINT ignored (in the background of a script); SIGTERM too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(socket.SOMAXCONN)
    host, port = listener.getsockname()
    with open(addr_file + ".tmp", "w") as f:  # write, then rename: never half an address
        f.write("%s:%d\n" % (host, port))
    os.rename(addr_file + ".tmp", addr_file)

    try:
        while True:
            conn, _ = listener.accept()
            # daemon: a thread still talking does not keep the server alive
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


if __name__ == "__main__":
    main()
