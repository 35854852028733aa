#!/usr/bin/env python3
"""smtpcore-send's inputs (issue 12 items 1, 2, 8; issue 9 item 11): the body
from piped standard input, pipes and process substitution streamed once (and
spooled once for --count), directories and unreadable files refused before
connecting with exit 66, and malformed --server values as usage errors."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, parsed, run, server_args, spooled  # noqa: E402
from interop_common import Servers, check, finish, free_port, require  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "s"]


def body_of(spool, n=1):
    got = spooled(spool, n)
    if got is None:
        return None
    msg = parsed(got[0])
    part = msg.get_body(("plain",))
    # Body text is canonical CRLF on the wire (RFC 2049 §4); compare its lines.
    return part.get_content().replace("\r\n", "\n") if part is not None else None


def attachment_of(spool, n=1):
    got = spooled(spool, n)
    if got is None:
        return None
    parts = list(parsed(got[0]).iter_attachments())
    return parts[0].get_payload(decode=True) if parts else None


def main():
    require("aiosmtpd")
    with Servers() as s:
        # 1. Piped stdin is the body when neither --body nor --body-file is given, and with --body-file -.
        port, spool = cli_server(s, "stdin")
        code, _, err, _ = run(server_args(port) + BASE, stdin=b"hi from a pipe\n")
        check("piped stdin becomes the body: exit 0", code == 0, err)
        check("piped stdin becomes the body", body_of(spool, 1) == "hi from a pipe\n", repr(body_of(spool, 1)))
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", "-"], stdin=b"dash body\n")
        check("--body-file - reads stdin: exit 0", code == 0, err)
        check("--body-file - reads stdin", body_of(spool, 2) == "dash body\n", repr(body_of(spool, 2)))
        code, _, err, _ = run(server_args(port) + BASE + ["--body", "given"], stdin=b"ignored\n")
        check("--body wins over stdin", code == 0 and body_of(spool, 3) == "given\n", repr(body_of(spool, 3)))
        # /dev/null (cron, scripts) beside an attachment: no empty text part.
        att = os.path.join(s.tmp, "a.bin")
        with open(att, "wb") as f:
            f.write(b"\x00\x01")
        code, _, err, _ = run(server_args(port) + BASE + ["--attach", att])
        got = spooled(spool, 4)
        check("stdin /dev/null and --attach: exit 0, no text part", code == 0 and got is not None and
              parsed(got[0]).get_body(("plain",)) is None, err)

        code, _, err, _ = run(server_args(port) + BASE + ["--body", "see", "--attach", "-"], stdin=b"attached from stdin\n")
        check("--attach - reads stdin: exit 0", code == 0, err)
        check("--attach - reads stdin", attachment_of(spool, 5) == b"attached from stdin\n", repr(attachment_of(spool, 5)))

        # 2. Non-seekable inputs stream once.
        port, spool = cli_server(s, "pipes")
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", "/dev/stdin"], stdin=b"through /dev/stdin\n")
        check("--body-file /dev/stdin (a pipe): exit 0", code == 0, err)
        check("--body-file /dev/stdin (a pipe): body arrives", body_of(spool, 1) == "through /dev/stdin\n",
              repr(body_of(spool, 1)))
        line = '"$SEND" %s --attach <(printf "made by a command\\n") --body see' % " ".join(server_args(port) + BASE)
        code, _, err, _ = run(line, shell=True)
        check("--attach <(cmd): exit 0", code == 0, err)
        check("--attach <(cmd): attachment arrives", attachment_of(spool, 2) == b"made by a command\n",
              repr(attachment_of(spool, 2)))
        fifo = os.path.join(s.tmp, "fifo")
        os.mkfifo(fifo)
        line = '(printf "fifo body\\n" > %s &) ; "$SEND" %s --body-file %s' % (fifo, " ".join(server_args(port) + BASE), fifo)
        code, _, err, _ = run(line, shell=True)
        check("--body-file FIFO: exit 0", code == 0, err)
        check("--body-file FIFO: body arrives", body_of(spool, 3) == "fifo body\n", repr(body_of(spool, 3)))
        # --count 2 with a pipe: spooled once to a private temporary file, both copies whole.
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", "-", "--count", "2"], stdin=b"twice\n")
        check("--count 2 with a pipe: exit 0", code == 0, err)
        check("--count 2 with a pipe: both copies whole", body_of(spool, 4) == "twice\n" and body_of(spool, 5) == "twice\n",
              "%r %r" % (body_of(spool, 4), body_of(spool, 5)))

        # A pipe's charset= names what its octets are. One that ends within the 64 KiB read ahead
        # before connecting is scanned like a file (label, encoding, SIZE=); a longer one is labelled
        # from its first 64 KiB (not utf-8 when they prove it, else utf-8).
        n = 5
        long_utf8 = ("x" * 65535 + "\u00e9" + " caf\u00e9\n" * 100).encode()  # an \u00e9 across the 64 KiB mark
        cases = [("short Latin-1 pipe", "caf\u00e9\n".encode("latin-1"), "unknown-8bit"),
                 ("short ASCII pipe", b"just ascii\n", "us-ascii"),
                 ("long Latin-1 pipe", ("caf\u00e9 " * 20000).encode("latin-1"), "unknown-8bit"),
                 ("long UTF-8 pipe", long_utf8, "utf-8")]
        for name, content, want in cases:
            code, _, err, _ = run(server_args(port) + BASE + ["--body-file", "-"], stdin=content)
            check("%s: exit 0" % name, code == 0, err)
            if code != 0:
                continue
            n += 1
            raw, _, mail = spooled(spool, n)
            part = parsed(raw).get_body(("plain",))
            check("%s: charset=%s" % (name, want), part.get_param("charset") == want, str(part["Content-Type"]))
            got = part.get_payload(decode=True).replace(b"\r\n", b"\n")
            check("%s: its octets arrive" % name, got == content, repr(got[:80]))
            if name == "short ASCII pipe":
                check("short ASCII pipe: 7bit and SIZE= declared like a file",
                      str(part["Content-Transfer-Encoding"]) == "7bit" and "SIZE=" in mail.upper(), mail)
        code, _, err, _ = run(server_args(port) + BASE + ["--body", "see", "--attach-type", "text/plain", "--attach", "-"],
                              stdin="caf\u00e9\n".encode("latin-1"))
        check("text attachment from a pipe: exit 0", code == 0, err)
        if code == 0:
            n += 1
            part = list(parsed(spooled(spool, n)[0]).iter_attachments())[0]
            check("text attachment from a pipe: charset=unknown-8bit", part.get_param("charset") == "unknown-8bit",
                  str(part["Content-Type"]))

        # 8. Directories are refused before connecting (nothing listens: connecting would be 75).
        nowhere = ["--server", "127.0.0.1:%d" % free_port(), "--tls", "none"]
        d = s.dir("a-directory")
        for what, args in (("--body-file", ["--body-file", d]), ("--attach", ["--attach", d]),
                           ("--password-file", ["--user", "u", "--password-file", d, "--allow-plaintext-auth"])):
            code, _, err, _ = run(nowhere + BASE + args)
            check("directory as %s: exit 66" % what, code == 66, "%d: %s" % (code, err))
            check("directory as %s: says so" % what, "directory" in err, err)

        # Issue 9 item 11: --ca-file that is a directory or not PEM: 66; a malformed --server: 64.
        notpem = os.path.join(s.tmp, "not.pem")
        with open(notpem, "w") as f:
            f.write("this is not a certificate\n")
        for what, path in (("a directory", d), ("not PEM", notpem)):
            code, _, err, _ = run(["--server", "127.0.0.1:%d" % free_port(), "--ca-file", path] + BASE + ["--body", "x"])
            check("--ca-file %s: exit 66" % what, code == 66, "%d: %s" % (code, err))
        for server in ("[::1", "[::1]x", "host:", "127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:smtp"):
            code, _, err, _ = run(["--server", server, "--tls", "none"] + BASE + ["--body", "x"])
            check("--server %s: exit 64" % server, code == 64, "%d: %s" % (code, err))
        code, _, err, _ = run(["--server", "::1:25", "--tls", "none"] + BASE + ["--body", "x"])
        check("bare IPv6 --server: exit 64", code == 64, "%d: %s" % (code, err))
        check("bare IPv6 --server: suggests brackets", "[::1]:25" in err, err)
    finish()


if __name__ == "__main__":
    main()
