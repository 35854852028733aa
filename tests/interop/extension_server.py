#!/usr/bin/env python3
"""A scripted ESMTP server for the envelope extensions no Debian server has
(REQUIRETLS, RFC 8689) and for DSN offered or not: STARTTLS with the given
certificate, then whatever EHLO keywords --offer names (REQUIRETLS, DSN).
Every command line it receives is appended to --log, one per line, as
"plain: ..." or "tls: ..."; message bodies are not logged, their size is
("body: N octets"). Prints "READY <port>"; serves connections one after
another until killed or --lifetime seconds pass. Loopback only."""
import argparse
import socket
import ssl
import sys
import threading


def serve(conn, context, offer, log):
    tls = False
    f = conn.makefile("rb")

    def reply(text):
        conn.sendall(text.encode() + b"\r\n")

    def ehlo_reply():
        keys = ["PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"]
        keys += ["STARTTLS"] if not tls else []
        keys += offer
        lines = ["mx.extension.test"] + keys
        return "\r\n".join(("250-" if i + 1 < len(lines) else "250 ") + l for i, l in enumerate(lines))

    reply("220 mx.extension.test ESMTP scripted")
    while True:
        line = f.readline()
        if not line:
            return
        text = line.rstrip(b"\r\n").decode("utf-8", "replace")
        log.write(("tls: " if tls else "plain: ") + text + "\n")
        log.flush()
        verb = text.split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            reply(ehlo_reply())
        elif verb == "STARTTLS" and not tls:
            reply("220 2.0.0 go ahead")
            conn = context.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
            tls = True
        elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
            reply("250 2.1.0 ok")
        elif verb == "DATA":
            reply("354 go ahead")
            size = 0
            while True:
                body = f.readline()
                if not body or body == b".\r\n":
                    break
                size += len(body)
            log.write("body: %d octets\n" % size)
            log.flush()
            reply("250 2.0.0 queued")
        elif verb == "QUIT":
            reply("221 2.0.0 bye")
            return
        else:
            reply("502 5.5.1 not implemented")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--offer", default="", help="comma-separated EHLO keywords, e.g. REQUIRETLS,DSN")
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=120)
    a = p.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(a.cert, a.key)
    offer = [k for k in a.offer.split(",") if k]
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.settimeout(a.lifetime)
    print("READY %d" % s.getsockname()[1], flush=True)
    threading.Timer(a.lifetime, lambda: sys.exit(0)).start()
    with open(a.log, "a") as log:
        while True:
            try:
                conn, _ = s.accept()
            except socket.timeout:
                return
            conn.settimeout(30)
            try:
                serve(conn, context, offer, log)
            except (OSError, ssl.SSLError) as e:
                log.write("connection error: %s\n" % e)
                log.flush()
            finally:
                conn.close()


if __name__ == "__main__":
    main()
