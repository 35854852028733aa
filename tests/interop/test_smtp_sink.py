#!/usr/bin/env python3
"""Interop against Postfix's smtp-sink, with PIPELINING announced and not
(-p): 1 and 50 recipients x a text message and a 5 MiB text body, sent raw
with -t and found intact in smtp-sink's dump. Also measures --count runs, and
checks that --count 100 (pipelined across messages) delivers all 100."""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers, check, finish, raw_message, recipients, require, seed_args, send, text_body  # noqa: E402


def dumped(dump_dir):
    data = b""
    for path in sorted(glob.glob(os.path.join(dump_dir, "*"))):
        with open(path, "rb") as f:
            data += f.read()
    return data


def main():
    require("smtp-sink")
    with Servers() as s:
        for pipelining in [True, False]:
            for n in [1, 50]:
                for label, size in [("text", 20000), ("5MiB", 5 * 1024 * 1024)]:
                    name = "smtp-sink pipelining=%s rcpt=%d %s" % ("on" if pipelining else "off", n, label)
                    dump = s.dir(name.replace(" ", "_").replace("=", "-"))
                    port = s.smtp_sink([] if pipelining else ["-p"], dump_dir=dump)
                    to, cc, bcc = recipients(n)
                    sent, expected = raw_message(to, cc, bcc, text_body(size))
                    seed = seed_args("smtp-sink-%spipelining-%d-rcpt" % ("" if pipelining else "no-", n)) \
                        if label == "text" else []
                    code, err, secs = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "-t", "-i"] + seed,
                                           stdin=sent)
                    check(name + " exit 0", code == 0, err)
                    # smtp-sink writes lines ending in LF, dot-unstuffed.
                    got = dumped(dump)
                    check(name + " content intact", expected.replace(b"\r\n", b"\n") in got,
                          "dump has %d octets" % len(got))
                    print("     %.3f s" % secs)

        # Many messages over one connection (like smtp-source -m).
        for pipelining in [True, False]:
            port = s.smtp_sink([] if pipelining else ["-p"])
            sent, _ = raw_message(["a@example.net"], [], [], text_body(2000))
            code, err, secs = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "-t", "-i", "--count", "500"],
                                   stdin=sent)
            check("smtp-sink --count 500 pipelining=%s" % ("on" if pipelining else "off"), code == 0, err)
            print("     500 messages in %.3f s: %.3f ms per message" % (secs, secs * 1000 / 500))

        # --count 100, each next message submitted ahead (its envelope behind
        # the previous body, RFC 2920 3.1): every message must be in the dump.
        dump = s.dir("count-100")
        port = s.smtp_sink([], dump_dir=dump)
        sent, expected = raw_message(["a@example.net"], [], [], text_body(2000))
        code, err, secs = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "-t", "-i", "--count", "100"],
                               stdin=sent)
        check("smtp-sink --count 100 exit 0", code == 0, err)
        got = dumped(dump)
        copies = got.count(expected.replace(b"\r\n", b"\n"))
        check("smtp-sink --count 100: every message accounted for", copies == 100, "%d intact copies" % copies)
    finish()


if __name__ == "__main__":
    main()
