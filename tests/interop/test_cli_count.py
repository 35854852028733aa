#!/usr/bin/env python3
"""smtpcore-send --count N: every copy is the whole message with its own
Message-ID (RFC 5322 §3.6.4). After a first copy sent whole, the copies are
replayed from memory with a fresh Message-ID written over the old one
(tools/smtpcore-send/copy_replay.hpp); a message over the recording limit is
composed again for every copy. Both paths must give copies that differ only
in the Message-ID, and a Message-ID the user gave stays in every copy."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, parsed, run, server_args, spooled  # noqa: E402
from interop_common import Servers, check, finish, require  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "copies"]
ID_LINE = re.compile(rb"^Message-ID: <([^>]*)>\r\n", re.M)


def copies(spool, first, n):
    out = []
    for k in range(first, first + n):
        got = spooled(spool, k)
        out.append(got[0] if got else None)
    return out


def check_copies(name, raws, body, attachment=None, fixed_id=None):
    check(name + ": every copy arrived", all(r is not None for r in raws), repr([r is None for r in raws]))
    if not all(r is not None for r in raws):
        return
    ids = [ID_LINE.findall(r) for r in raws]
    check(name + ": one Message-ID per copy", all(len(i) == 1 for i in ids), repr(ids))
    ids = [i[0] if i else b"" for i in ids]
    if fixed_id is None:
        check(name + ": Message-IDs all different", len(set(ids)) == len(ids), repr(ids))
        check(name + ": Message-IDs well formed", all(re.fullmatch(rb"[0-9a-f]{24}@example\.org", i) for i in ids),
              repr(ids))
    else:
        check(name + ": the given Message-ID in every copy", all(i == fixed_id for i in ids), repr(ids))
    # aiosmtpd's spool may add a trace header at the top: compare from Date on.
    rest = [ID_LINE.sub(b"", r[r.find(b"Date:"):]) for r in raws]
    check(name + ": copies identical but for the Message-ID", all(r == rest[0] for r in rest))
    for k, raw in enumerate(raws):
        msg = parsed(raw)
        text = msg.get_body(("plain",))
        got = text.get_content().replace("\r\n", "\n") if text is not None else None
        check("%s: copy %d body" % (name, k + 1), got == body, repr(got)[:80])
        if attachment is not None:
            parts = list(msg.iter_attachments())
            check("%s: copy %d attachment" % (name, k + 1),
                  len(parts) == 1 and parts[0].get_payload(decode=True) == attachment)


def main():
    require("aiosmtpd")
    with Servers() as s:
        port, spool = cli_server(s, "count")
        body_path = os.path.join(s.tmp, "body.txt")
        body = "".join("line %d of a short text body\n" % i for i in range(20))
        with open(body_path, "w") as f:
            f.write(body)
        att = os.path.join(s.tmp, "data.bin")
        attachment = bytes(range(256)) * 4
        with open(att, "wb") as f:
            f.write(attachment)

        # 1. A small message (replayed after the first copy): text only, then with an attachment.
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", body_path, "--count", "4"])
        check("--count 4, text: exit 0", code == 0, err)
        check_copies("--count 4, text", copies(spool, 1, 4), body)
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", body_path, "--attach", att, "--count", "3"])
        check("--count 3, multipart: exit 0", code == 0, err)
        check_copies("--count 3, multipart", copies(spool, 5, 3), body, attachment)

        # 2. A Message-ID given with --header stays in every copy.
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", body_path, "--count", "3",
                                                          "--header", "Message-ID: <fixed.1@example.org>"])
        check("--count 3, given Message-ID: exit 0", code == 0, err)
        check_copies("--count 3, given Message-ID", copies(spool, 8, 3), body, fixed_id=b"fixed.1@example.org")

        # 3. Over the recording limit (256 KiB): composed again for every copy.
        big = "".join("%06d a longer body line, composed again for each copy\n" % i for i in range(6000))
        big_path = os.path.join(s.tmp, "big.txt")
        with open(big_path, "w") as f:
            f.write(big)
        code, _, err, _ = run(server_args(port) + BASE + ["--body-file", big_path, "--count", "2"])
        check("--count 2, 330 KB body: exit 0", code == 0, err)
        check_copies("--count 2, 330 KB body", copies(spool, 11, 2), big)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
