#!/usr/bin/env python3
"""Interop with Postfix as a submission server (STARTTLS required, SASL AUTH
through Dovecot's auth socket, passwd-file users), delivering by virtual(8)
into a maildir. Each delivered file must end with exactly the submitted
message (Postfix prepends Return-Path, Delivered-To and Received; the
maildir stores LF line endings)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (Servers, check, finish, make_cert, raw_message, recipients, require, seed_args, send,
                             text_body)  # noqa: E402
from postfix_dovecot import PostfixDovecot  # noqa: E402

USER, PASSWORD = "bob@interop.test", "p4ssw0rd"


def first_difference(got, want):
    """Where the delivered file stops matching the submitted message, from the end."""
    i = 0
    while i < min(len(got), len(want)) and got[-1 - i] == want[-1 - i]:
        i += 1
    return "last %d octets match; then delivered %r vs submitted %r" % (
        i, got[max(0, len(got) - i - 80):len(got) - i], want[max(0, len(want) - i - 80):len(want) - i])


def main():
    require("postfix", "dovecot", "openssl")
    if os.geteuid() != 0:
        print("skipped: a private Postfix instance needs root")
        sys.exit(77)
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        server = PostfixDovecot(s.dir("postfix"), cert, key, USER, PASSWORD)
        pw = os.path.join(s.tmp, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        try:
            server.start()
            common = ["--server", "localhost:%d" % server.port, "--ca-file", cert, "--user", USER,
                      "--password-file", pw]
            delivered = 0
            for auth in ["plain", "login"]:
                for n, label, size in [(1, "text", 20000), (50, "text", 20000), (1, "5MiB", 5 * 1024 * 1024)]:
                    name = "postfix starttls auth=%s rcpt=%d %s" % (auth, n, label)
                    to, cc, bcc = recipients(n, "interop.test")
                    sent, expected = raw_message(to, cc, bcc, text_body(size))
                    args = common + ["--auth", auth, "-t", "-i"]
                    if n == 1 and label == "text":
                        args += seed_args("postfix-starttls-auth-" + auth)
                    code, err, secs = send(args, stdin=sent)
                    check(name + " exit 0", code == 0, err + server.log()[-3000:])
                    delivered += n
                    files = server.delivered(delivered)
                    mine = files[delivered - n:]
                    want = expected.replace(b"\r\n", b"\n")
                    check(name + " delivered to every recipient", len(mine) == n, "%d files\n%s" % (len(mine), server.log()[-2000:]))
                    check(name + " byte for byte", len(mine) == n and all(f.endswith(want) for f in mine),
                          first_difference(mine[0] if mine else b"", want))
                    print("     %.3f s" % secs)
            # --count 100: each next message submitted ahead (pipelined across
            # messages); every one delivered, byte for byte.
            to, cc, bcc = recipients(1, "interop.test")
            sent, expected = raw_message(to, cc, bcc, text_body(2000))
            code, err, secs = send(common + ["-t", "-i", "--count", "100"], stdin=sent)
            check("postfix --count 100 exit 0", code == 0, err + server.log()[-3000:])
            delivered += 100
            files = server.delivered(delivered, timeout=60)
            mine = files[delivered - 100:]
            want = expected.replace(b"\r\n", b"\n")
            check("postfix --count 100: every message delivered", len(mine) == 100, "%d files" % len(mine))
            check("postfix --count 100: byte for byte", len(mine) == 100 and all(f.endswith(want) for f in mine),
                  first_difference(mine[0] if mine else b"", want))
            print("     100 messages in %.3f s" % secs)
            # Wrong password: Dovecot says no, Postfix says 535, we exit 77.
            with open(pw, "w") as f:
                f.write("wrong\n")
            code, err, _ = send(common + ["--from", "x@interop.test", "--to", "user00@interop.test", "--body", "x"])
            check("postfix wrong password: exit 77", code == 77, err)
        finally:
            server.stop()
    finish()


if __name__ == "__main__":
    main()
