"""Lesson 03's upper-case server over UDP, as the classic Python socket
tutorials write a UDP server: one socket, bind, then recvfrom and sendto
in a loop, no thread and no connection. Like the lesson's server it
answers each datagram with its text in upper case, logs one line per
datagram to stderr, and says so when a reply would be too big to send.
The bench sets it beside the lesson's server (go run ./tools/bench 03).

    python3 lesson03_upper.py HOST PORT ADDRFILE

It binds HOST:PORT (port 0: any free one), writes the address it got to
ADDRFILE, and stops on Ctrl-C or SIGTERM.
"""

import os
import signal
import socket
import sys

# The most one UDP datagram carries over IPv4: 65,535 less the IP and UDP
# headers (20 and 8 bytes).
MAX_PAYLOAD = 65507


def upper(data):
    # As the Go server does: bytes that are not UTF-8 come back unchanged
    # (surrogateescape keeps them), and each letter becomes one letter.
    text = data.decode("utf-8", "surrogateescape")
    up = text.upper()
    if len(up) == len(text):
        return up.encode("utf-8", "surrogateescape")
    # Python's upper() made some letter several (German ß is SS there);
    # Go's unicode.ToUpper maps one letter to one, and keeps ß. Go letter
    # by letter, then: slow, but only for such rare text.
    out = []
    for c in text:
        u = c.upper()
        out.append(u if len(u) == 1 else c)
    return "".join(out).encode("utf-8", "surrogateescape")


def main():
    host, port, addrfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # Ctrl-C (SIGINT) and SIGTERM stop the server. SIGINT is set here too:
    # a program started in the background of a script inherits it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: sys.exit(0))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, port))
        # Write, then rename: whoever waits for the file never reads half.
        with open(addrfile + ".tmp", "w") as f:
            f.write("%s:%d\n" % s.getsockname())
        os.replace(addrfile + ".tmp", addrfile)
        while True:
            # recvfrom(n) cuts a longer datagram to n bytes without a
            # word: 64 KiB holds any datagram, where the tutorials' 1024
            # would cut the bench's big ones.
            data, addr = s.recvfrom(65536)
            reply = upper(data)
            note = ""
            if len(reply) > MAX_PAYLOAD:
                note = ": the reply would be %d, over %d: told so" % (len(reply), MAX_PAYLOAD)
                reply = b"error: the reply would be %d bytes, over the %d one UDP datagram can carry over IPv4" % (
                    len(reply), MAX_PAYLOAD)
            print("%s:%d sent %d bytes%s" % (addr[0], addr[1], len(data), note), file=sys.stderr)
            s.sendto(reply, addr)


if __name__ == "__main__":
    main()
