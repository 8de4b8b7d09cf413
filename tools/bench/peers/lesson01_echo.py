"""An echo server as the classic Python socket tutorials write it: a
thread per connection, recv(1024), sendall. The bench sets lesson 01's
server beside it (go run ./tools/bench 01/peers).

    python3 lesson01_echo.py HOST PORT ADDRFILE

It listens on HOST:PORT (port 0: any free one), writes the address it got
to ADDRFILE, and stops on Ctrl-C or SIGTERM.
"""

import os
import signal
import socket
import sys
import threading


def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:  # an empty read: the client closed its side
                break
            conn.sendall(data)


def main():
    host, port, addrfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # SIGTERM stops the server as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen()
        # Write, then rename: whoever waits for the file never reads half.
        with open(addrfile + ".tmp", "w") as f:
            f.write("%s:%d\n" % s.getsockname())
        os.replace(addrfile + ".tmp", addrfile)
        while True:
            conn, _ = s.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
