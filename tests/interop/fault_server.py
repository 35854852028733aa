#!/usr/bin/env python3
"""A scripted SMTP server that dies in the middle of DATA, the way a killed
server or a crashed host looks to a client: it answers the envelope, says 354,
reads part of the body, then exits abruptly (os._exit: no reply, no QUIT).
Prints "READY <port>"; serves one connection."""
import os
import socket
import sys


def main():
    cut_after = int(sys.argv[1]) if len(sys.argv) > 1 else 65536
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    print("READY %d" % srv.getsockname()[1], flush=True)
    conn, _ = srv.accept()
    f = conn.makefile("rb")
    conn.sendall(b"220 fault.example ESMTP\r\n")
    while True:
        line = f.readline()
        if not line:
            os._exit(0)
        verb = line[:4].upper()
        if verb == b"EHLO":
            conn.sendall(b"250-fault.example\r\n250 PIPELINING\r\n")
        elif verb in (b"MAIL", b"RCPT"):
            conn.sendall(b"250 ok\r\n")
        elif verb == b"DATA":
            conn.sendall(b"354 go ahead\r\n")
            got = 0
            while got < cut_after:
                chunk = f.read1(65536)
                if not chunk:
                    break
                got += len(chunk)
            os._exit(0)  # killed mid-DATA
        else:
            conn.sendall(b"250 ok\r\n")


if __name__ == "__main__":
    main()
