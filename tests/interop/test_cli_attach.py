#!/usr/bin/env python3
"""Attachments and bodies as they arrive (issue 12 items 3 and 7): every
attached file decodes to exactly its bytes, whatever its line ends and
charset, checked with Python's email package and with ripmime and munpack
(Debian); charset= only names what the bytes are; --attach-type and
--attach-name apply to the next --attach; a non-UTF-8 file name is refused
with a hint; bodies are scanned once to pick 7bit/8bit/base64/QP and SIZE=
is never below what is sent."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, parsed, run, server_args, size_param, spooled  # noqa: E402
from interop_common import Servers, check, finish, require  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "files", "--body", "see attached"]

FILES = {
    "unix.txt": b"line one\nline two\n\nlast line without newline",
    "dos.log": b"first\r\nsecond\r\n",
    "mixed.csv": b"a,b\r\nc,d\ne,f\rg,h\n",
    "page.html": "<p>caf\u00e9 \u2014 ok</p>\n".encode("utf-8"),
    "utf16.txt": "h\u00e9llo\nw\u00f6rld\n".encode("utf-16"),
    "latin1.txt": "caf\u00e9 cr\u00e8me\n".encode("latin-1"),
    "blob.bin": bytes(range(256)) * 64,
    "dots.txt": b".\r\n..\r\n.hidden\r\n--=_not a boundary\r\n",
}


def decoded_with(tool, raw, tmp, name):
    """The bytes `tool` extracts for attachment `name`, or None."""
    work = os.path.join(tmp, tool)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    eml = os.path.join(work, "msg.eml")
    with open(eml, "wb") as f:
        f.write(raw)
    if tool == "ripmime":
        subprocess.run(["ripmime", "-i", eml, "-d", work, "--no-nameless"], capture_output=True)
    else:
        subprocess.run(["munpack", "-q", "-t", eml], cwd=work, capture_output=True)
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def main():
    require("aiosmtpd", "ripmime", "munpack")
    with Servers() as s:
        port, spool = cli_server(s, "attach")
        n = 0
        for name, content in FILES.items():
            path = os.path.join(s.tmp, name)
            with open(path, "wb") as f:
                f.write(content)
            code, _, err, _ = run(server_args(port) + BASE + ["--attach", path])
            check("%s: exit 0" % name, code == 0, err)
            if code != 0:
                continue
            n += 1
            raw = spooled(spool, n)[0]
            parts = list(parsed(raw).iter_attachments())
            part = parts[0] if parts else None
            got = part.get_payload(decode=True) if part is not None else None
            check("%s: Python email decodes exactly its bytes" % name, got == content, repr(got)[:200])
            check("%s: ripmime decodes exactly its bytes" % name, decoded_with("ripmime", raw, s.tmp, name) == content)
            # munpack rewrites line ends of text/* parts by design; it is exact for everything else.
            if part is not None and part.get_content_maintype() != "text":
                check("%s: munpack decodes exactly its bytes" % name, decoded_with("munpack", raw, s.tmp, name) == content)
            charset = part.get_param("charset") if part is not None else None
            # charset= is on every text/* part, base64 ones too, and names what the bytes are
            # (the scan's label: RFC 2046 §4.1.2); other types carry none.
            honest = {"unix.txt": "us-ascii", "dos.log": "us-ascii", "mixed.csv": "us-ascii", "page.html": "utf-8",
                      "utf16.txt": "utf-16", "latin1.txt": "unknown-8bit", "dots.txt": "us-ascii"}.get(name)
            check("%s: charset label is there and honest (%s)" % (name, charset), charset == honest,
                  "%s, not %s" % (charset, honest))

        # --body TEXT is labelled by what its octets are, like a scanned file (an argument may come
        # from a Latin-1 locale): never utf-8 for octets that are not UTF-8.
        for label, text, want in [("ASCII", b"plain words", "us-ascii"), ("UTF-8", "caf\u00e9".encode(), "utf-8"),
                                  ("Latin-1", "caf\u00e9".encode("latin-1"), "unknown-8bit")]:
            args = [a.encode() for a in server_args(port) + ["--from", "a@example.org", "--to", "b@example.net"]]
            code, _, err, _ = run(args + [b"--body", text])
            check("--body %s: exit 0" % label, code == 0, err)
            if code == 0:
                n += 1
                body = parsed(spooled(spool, n)[0]).get_body(("plain",))
                check("--body %s: charset=%s" % (label, want), body.get_param("charset") == want, str(body["Content-Type"]))
                check("--body %s: its octets arrive" % label, body.get_payload(decode=True).rstrip(b"\r\n") == text,
                      repr(body.get_payload(decode=True)))

        # --attach-type / --attach-name apply to the next --attach only.
        plain = os.path.join(s.tmp, "latin1.txt")
        code, _, err, _ = run(server_args(port) + BASE + ["--attach-type", "text/plain; charset=iso-8859-1",
                                                          "--attach-name", "caf\u00e9.txt", "--attach", plain,
                                                          "--attach", os.path.join(s.tmp, "blob.bin")])
        check("--attach-type/--attach-name: exit 0", code == 0, err)
        if code == 0:
            n += 1
            parts = list(parsed(spooled(spool, n)[0]).iter_attachments())
            check("--attach-name names the part", parts[0].get_filename() == "caf\u00e9.txt", str(parts[0].get_filename()))
            check("--attach-type sets type and charset", parts[0].get_content_type() == "text/plain" and
                  parts[0].get_param("charset") == "iso-8859-1", str(parts[0]["Content-Type"]))
            check("--attach-type text: bytes still exact", parts[0].get_payload(decode=True) == FILES["latin1.txt"])
            check("--attach-type applies to the next --attach only",
                  parts[1].get_content_type() == "application/octet-stream" and parts[1].get_filename() == "blob.bin",
                  str(parts[1]["Content-Type"]))
        code, _, err, _ = run(server_args(port) + BASE + ["--attach-name", "x.txt"])
        check("--attach-name without a following --attach: exit 64", code == 64, "%d: %s" % (code, err))

        # A file name that is not UTF-8: refused, the message names the file and suggests --attach-name.
        bad = os.path.join(s.tmp.encode(), b"caf\xe9.txt")
        with open(bad, "wb") as f:
            f.write(b"x\n")
        code, _, err, _ = run([a.encode() for a in server_args(port) + BASE] + [b"--attach", bad])
        check("non-UTF-8 file name: refused", code == 65, "%d: %s" % (code, err))
        check("non-UTF-8 file name: names the file and suggests --attach-name", "caf" in err and "--attach-name" in err, err)

        # 7. SIZE= never below what is sent; each body costs what its content needs.
        cases = [("clean ASCII", b"".join(b"ascii line %d of the body\n" % i for i in range(40000)), ("7bit",)),
                 ("random octets", os.urandom(1024 * 1024), ("base64",)),
                 ("mostly ASCII UTF-8", ("caf\u00e9 ascii text line\n" * 30000).encode(), ("8bit", "quoted-printable"))]
        for name, content, encodings in cases:
            path = os.path.join(s.tmp, "body-" + name.replace(" ", "-"))
            with open(path, "wb") as f:
                f.write(content)
            code, _, err, _ = run(server_args(port) + ["--from", "a@example.org", "--to", "b@example.net",
                                                       "--body-file", path])
            check("body %s: exit 0" % name, code == 0, err)
            if code != 0:
                continue
            n += 1
            raw, _, mail = spooled(spool, n)
            declared = size_param(mail)
            wire = len(raw) + raw.count(b"\n.")  # dot-stuffing adds one octet per line starting with "."
            check("body %s: SIZE=%s not below the %d octets sent" % (name, declared, wire),
                  declared is not None and declared >= wire, mail)
            check("body %s: SIZE= within 10%% of what is sent" % name,
                  declared is not None and declared <= wire * 1.1 + 4096, "%s vs %d" % (declared, wire))
            cte = parsed(raw)["Content-Transfer-Encoding"]
            check("body %s: %s chosen (%s)" % (name, "/".join(encodings), cte), str(cte).lower() in encodings, str(cte))
            check("body %s: at most 1.4x its size on the wire" % name, len(raw) <= len(content) * 1.4 + 4096,
                  "%d for %d" % (len(raw), len(content)))
    finish()


if __name__ == "__main__":
    main()
