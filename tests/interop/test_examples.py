#!/usr/bin/env python3
"""The examples/ programs, run against aiosmtpd on loopback: what docs/adapters.md
shows must actually deliver mail."""
import email
import email.policy
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers, check, finish, make_cert, require  # noqa: E402


def main():
    require("aiosmtpd", "openssl")
    examples = os.environ.get("SMTPCORE_EXAMPLES")
    if not examples:
        print("skipped: SMTPCORE_EXAMPLES not set")
        sys.exit(77)
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        spool = s.dir("spool")
        port = s.aiosmtpd(spool, "starttls", cert, key, "dev", "pw")
        env = dict(os.environ, SMTP_USER="dev", SMTP_PASSWORD="pw", SMTP_CA_FILE=cert)
        server = "localhost:%d" % port
        log = os.path.join(s.tmp, "device.log")
        with open(log, "w") as f:
            f.write("line one\nline two\n")

        def run(name, args, stdin=None):
            r = subprocess.run([os.path.join(examples, name)] + args, env=env, capture_output=True, timeout=60,
                               input=stdin)
            check("example %s exits 0" % name, r.returncode == 0, r.stderr.decode(errors="replace"))

        def arrived(n):
            with open(os.path.join(spool, "%d.eml" % n), "rb") as f:
                return email.message_from_bytes(f.read(), policy=email.policy.default)

        run("send_basic", [server, "me@example.org", "you@example.net"])
        check("send_basic arrived", "sent by smtpcore" in arrived(1).get_body().get_content())
        run("send_attachment", [server, "me@example.org", "you@example.net", log])
        parts = list(arrived(2).iter_attachments())
        check("send_attachment arrived with the file", len(parts) == 1 and
              parts[0].get_content() in (b"line one\nline two\n", "line one\nline two\n"))
        run("diagnostics_to_support", [server, "device@example.org", "support@example.net", log,
                                       "echo diagnostics-output; sleep 0.3; echo done"])
        names = [p.get_filename() for p in arrived(3).iter_attachments()]
        check("diagnostics_to_support arrived with both attachments", names == ["diagnostics.txt", "device.log"],
              repr(names))
        check("diagnostics_to_support streamed the slow command's output",
              "done" in list(arrived(3).iter_attachments())[0].get_content())
        plain = s.dir("spool-plain")
        port2 = s.aiosmtpd(plain)
        run("poll_loop", ["127.0.0.1:%d" % port2, "me@example.org", "you@example.net"], stdin=b"typed\n")
        check("poll_loop arrived", os.path.exists(os.path.join(plain, "1.eml")))
    finish()


if __name__ == "__main__":
    main()
