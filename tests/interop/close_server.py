#!/usr/bin/env python3
"""A scripted SMTP server for test_close.py: a normal dialogue that goes
wrong at the end of the session (or in the TLS handshake) on cue. Serves one
connection on 127.0.0.1 and prints "READY <port>" first; in TLS modes it
prints "CLOSE_NOTIFY yes" or "CLOSE_NOTIFY no" at the end: did the client's
close_notify arrive before its TCP close? TLS runs over memory BIOs, so that
answer is exact whatever the Python version does with "ragged" EOFs.

  close_server.py MODE [--tls none|starttls|implicit] [--cert C --key K]

  clean           221 to QUIT; over TLS then reads on until the client closes
  rst-on-quit     the 250 to the end of data, then a TCP reset instead of 221
  garbage-quit    answers QUIT with a malformed reply
  cut-after-250   over TLS: closes TCP without close_notify right after the 250
  cut-in-session  over TLS: closes TCP without close_notify instead of answering EHLO
  fin-in-handshake / rst-in-handshake
                  says 220 to STARTTLS, then closes (FIN) or resets (RST)
  escapes         the greeting carries ESC sequences, BEL, a bare CR and C1 bytes
"""
import argparse
import os
import socket
import ssl
import struct


class Conn:
    """Lines in, bytes out, over TCP or over TLS on memory BIOs."""

    def __init__(self, sock):
        self.sock, self.tls, self.buf = sock, None, b""
        self.close_notify = False

    def start_tls(self, ctx):
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.inc, self.out, server_side=True)
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self._flush()
                if not self._fill():
                    raise OSError("closed in handshake")
        self._flush()

    def _flush(self):
        data = self.out.read()
        if data:
            self.sock.sendall(data)

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            self.inc.write_eof()
            return False
        self.inc.write(data)
        return True

    def recv(self):
        if self.tls is None:
            return self.sock.recv(65536)
        while True:
            try:
                data = self.tls.read(65536)
                # b"" before we saw the TCP close can only be close_notify.
                self.close_notify = self.close_notify or (not data and not self.inc.eof)
                return data
            except ssl.SSLZeroReturnError:  # the peer's close_notify
                self.close_notify = True
                return b""
            except ssl.SSLWantReadError:
                if not self._fill():
                    return b""
            except ssl.SSLError:  # EOF without close_notify, or a broken record
                return b""

    def sendall(self, data):
        if self.tls is None:
            return self.sock.sendall(data)
        self.tls.write(data)
        self._flush()

    def readline(self):
        while b"\n" not in self.buf:
            data = self.recv()
            if not data:
                line, self.buf = self.buf, b""
                return line
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line + b"\n"


def reset(sock):
    """Close with a TCP RST: SO_LINGER on, timeout 0."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
    os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("--tls", default="none")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    ctx = None
    if a.tls != "none":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    print("READY %d" % srv.getsockname()[1], flush=True)
    sock, _ = srv.accept()
    sock.settimeout(10)
    c = Conn(sock)
    if a.tls == "implicit":
        c.start_tls(ctx)
    greeting = b"220 close.example ESMTP\r\n"
    if a.mode == "escapes":
        greeting = b"220 close.example \x1b[2J\x1b]0;owned\x07 \rfake \xc2\x9b31m ok \xc3\xa9\r\n"
    c.sendall(greeting)
    while True:
        line = c.readline()
        if not line:
            break
        verb = line[:4].upper()
        if verb == b"EHLO" and a.mode == "cut-in-session" and c.tls is not None:
            sock.close()  # waiting for our reply, the client reads a bare TCP close
            os._exit(0)
        if verb == b"EHLO":
            starttls = a.tls == "starttls" and c.tls is None
            c.sendall(b"250-close.example\r\n" + (b"250-STARTTLS\r\n" if starttls else b"") + b"250 8BITMIME\r\n")
        elif verb == b"STAR":
            c.sendall(b"220 2.0.0 go ahead\r\n")
            if a.mode == "fin-in-handshake":
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                os._exit(0)
            if a.mode == "rst-in-handshake":
                reset(sock)
            c.start_tls(ctx)
        elif verb == b"DATA":
            c.sendall(b"354 go ahead\r\n")
            while c.readline() not in (b".\r\n", b""):
                pass
            c.sendall(b"250 2.0.0 queued as C1\r\n")
            if a.mode == "cut-after-250":
                sock.close()  # no close_notify: a bare TCP close
                os._exit(0)
        elif verb == b"QUIT":
            if a.mode == "rst-on-quit":
                reset(sock)
            if a.mode == "garbage-quit":
                c.sendall(b"2x1 what\r\n")
                sock.close()
                os._exit(0)
            c.sendall(b"221 2.0.0 bye\r\n")
            if c.tls is not None:
                while c.recv():  # until the client's close_notify or its TCP close
                    pass
                print("CLOSE_NOTIFY %s" % ("yes" if c.close_notify else "no"), flush=True)
            os._exit(0)
        else:
            c.sendall(b"250 ok\r\n")
    os._exit(0)


if __name__ == "__main__":
    try:
        main()
    except OSError:  # the client hung up first: expected in some modes
        os._exit(0)
