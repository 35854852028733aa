#!/usr/bin/env python3
"""A scripted SMTP server that misbehaves on purpose, for test_faults.py.
Serves one connection on 127.0.0.1, prints "READY <port>" first.

  die-in-data N   answers the envelope, says 354, reads N body octets, then
                  exits abruptly (os._exit: no reply, no QUIT) — what a killed
                  server looks like to the client
  inject          answers STARTTLS with "220" and, in the same write, a
                  plaintext "250" (response injection, CVE-2021-33515 kind)
  inject-late     answers STARTTLS with "220", then sends plaintext instead
                  of a TLS handshake
  silent          accepts the connection and never says anything
"""
import os
import socket
import sys
import time


def main():
    mode = sys.argv[1]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    print("READY %d" % srv.getsockname()[1], flush=True)
    conn, _ = srv.accept()
    if mode == "silent":
        time.sleep(30)
        os._exit(0)
    f = conn.makefile("rb")
    conn.sendall(b"220 fault.example ESMTP\r\n")
    while True:
        line = f.readline()
        if not line:
            os._exit(0)
        verb = line[:4].upper()
        if verb == b"EHLO":
            conn.sendall(b"250-fault.example\r\n250-STARTTLS\r\n250 PIPELINING\r\n")
        elif verb == b"STAR" and mode == "inject":
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n250 injected\r\n")
        elif verb == b"STAR" and mode == "inject-late":
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            time.sleep(0.2)
            conn.sendall(b"250 this is not TLS\r\n")
        elif verb == b"DATA":
            conn.sendall(b"354 go ahead\r\n")
            got, limit = 0, int(sys.argv[2])
            while got < limit:
                chunk = f.read1(65536)
                if not chunk:
                    break
                got += len(chunk)
            os._exit(0)  # killed mid-DATA
        else:
            conn.sendall(b"250 ok\r\n")


if __name__ == "__main__":
    try:
        main()
    except OSError:  # the client hung up first: expected in these scenarios
        pass
