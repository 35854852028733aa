#!/usr/bin/env python3
"""BDAT (RFC 3030 CHUNKING) against Postfix: the private Postfix + Dovecot
instance of test_postfix.py offers CHUNKING (Postfix 3.4 and later do by
default). Each message goes out with --chunking always, so a Postfix without
CHUNKING fails the test instead of silently using DATA; the -v transcript
shows the BDAT lines (a chunk ends mid-line, so the next BDAT is glued to it); each delivered file must end with exactly the submitted
message. BINARYMIME: Postfix does not offer it (checked below from its EHLO
reply), so the binary case cannot run against it."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import check, finish, make_cert, raw_message, recipients, require, send, text_body, Servers  # noqa: E402
from postfix_dovecot import PostfixDovecot  # noqa: E402

USER, PASSWORD = "bob@interop.test", "p4ssw0rd"


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
                      "--password-file", pw, "-t", "-i"]
            delivered = 0
            # Sizes around the CLI's chunk size (32 KiB): one chunk, several, and 5 MiB.
            for label, size in [("small", 200), ("40 KiB", 40000), ("5 MiB", 5 * 1024 * 1024)]:
                name = "postfix BDAT %s" % label
                to, cc, bcc = recipients(3, "interop.test")
                sent, expected = raw_message(to, cc, bcc, text_body(size))
                verbose = ["-v"] if label != "5 MiB" else []
                code, err, secs = send(common + ["--chunking", "always"] + verbose, stdin=sent)
                check(name + " exit 0", code == 0, err[-2000:] + server.log()[-3000:])
                if verbose:
                    check(name + ": the server offers CHUNKING", "250-CHUNKING" in err or "250 CHUNKING" in err, err[-2000:])
                    check(name + ": BDAT LAST on the wire, no DATA", re.search(r"BDAT \d+ LAST", err) is not None
                          and "> DATA" not in err, err[-2000:])
                    if label == "40 KiB":
                        check(name + ": a full 32 KiB chunk, then the rest with LAST",
                              re.search(r"> BDAT 32768$", err, re.M) is not None and
                              re.search(r"BDAT \d+ LAST", err) is not None, err[:2000])
                    offers_binarymime = "BINARYMIME" in err
                    print("     Postfix offers BINARYMIME: %s" % ("yes" if offers_binarymime else
                                                                "no (the binary case cannot run against it)"))
                delivered += 3
                files = server.delivered(delivered)
                mine = files[delivered - 3:]
                want = expected.replace(b"\r\n", b"\n")
                check(name + " delivered to every recipient", len(mine) == 3, "%d files" % len(mine))
                check(name + " byte for byte", len(mine) == 3 and all(f.endswith(want) for f in mine),
                      repr(mine[0][-200:] if mine else b"") + " vs " + repr(want[-200:]))
                print("     %.3f s" % secs)
            # Twenty messages, each next one submitted ahead of the previous
            # outcome: every one delivered, byte for byte.
            to, cc, bcc = recipients(1, "interop.test")
            sent, expected = raw_message(to, cc, bcc, text_body(3000))
            code, err, secs = send(common + ["--chunking", "always", "--count", "20"], stdin=sent)
            check("postfix BDAT --count 20 exit 0", code == 0, err[-2000:] + server.log()[-3000:])
            delivered += 20
            files = server.delivered(delivered, timeout=60)
            mine = files[delivered - 20:]
            want = expected.replace(b"\r\n", b"\n")
            check("postfix BDAT --count 20: every message delivered", len(mine) == 20, "%d files" % len(mine))
            check("postfix BDAT --count 20: byte for byte", len(mine) == 20 and all(f.endswith(want) for f in mine))
            print("     20 messages in %.3f s" % secs)
            # Several messages in flight (SendOptions::messages_in_flight, 8 by
            # default): the next message's MAIL and BDAT LAST leave before the
            # first message's final reply arrives; every message still delivered.
            code, err, _ = send(common + ["--chunking", "always", "--count", "3", "-v"], stdin=sent)
            check("postfix BDAT --count 3 -v exit 0", code == 0, err[-2000:] + server.log()[-3000:])
            # The first message's replies are the first three after its MAIL
            # (MAIL, RCPT, BDAT LAST); Postfix takes milliseconds to queue it,
            # the client microseconds to write the next message.
            lines = err[err.find("> MAIL FROM"):].split("\n")
            replies = [i for i, line in enumerate(lines) if line.startswith("<")]
            before_final = "\n".join(lines[:replies[2]] if len(replies) >= 3 else lines)
            check("postfix BDAT --count 3: the second message's BDAT LAST leaves before the first one's final reply",
                  before_final.count("> MAIL FROM") >= 2 and len(re.findall(r"BDAT \d+ LAST", before_final)) >= 2,
                  before_final[-2000:])
            delivered += 3
            files = server.delivered(delivered, timeout=60)
            check("postfix BDAT --count 3: every message delivered", len(files) >= delivered, "%d files" % len(files))
            # --chunking never: DATA although CHUNKING is offered.
            to, cc, bcc = recipients(1, "interop.test")
            sent, expected = raw_message(to, cc, bcc, text_body(500))
            code, err, _ = send(common + ["--chunking", "never", "-v"], stdin=sent)
            check("postfix --chunking never: exit 0, DATA and no BDAT", code == 0 and "> DATA" in err and "> BDAT" not in err,
                  err[-2000:])
            delivered += 1
            files = server.delivered(delivered)
            check("postfix --chunking never: byte for byte", len(files) == delivered and
                  files[-1].endswith(expected.replace(b"\r\n", b"\n")))
        finally:
            server.stop()
    finish()


if __name__ == "__main__":
    main()
