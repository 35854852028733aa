#!/usr/bin/env python3
"""bindings/c/examples/superloop.c against aiosmtpd on loopback: the C
superloop composes a message with the C MIME writer, delivers it, and it
arrives as composed."""
import email
import email.policy
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "interop"))
from interop_common import Servers, check, finish, require  # noqa: E402


def main():
    require("aiosmtpd")
    superloop = sys.argv[1]
    with Servers() as s:
        spool = s.dir("spool")
        port = s.aiosmtpd(spool)
        r = subprocess.run([superloop, "127.0.0.1", str(port), "device@example.org", "ops@example.net"],
                           capture_output=True, text=True, timeout=60)
        check("superloop exits 0", r.returncode == 0, r.stdout + r.stderr)
        check("superloop reports the recipient and the acceptance",
              "recipient ops@example.net: 250" in r.stdout and "accepted: 250" in r.stdout, r.stdout)
        eml = os.path.join(spool, "1.eml")
        content = open(eml, "rb").read() if os.path.exists(eml) else b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        check("the message arrived as composed by the C MIME writer",
              message["Subject"] == "sent from a C superloop" and message["To"] == "ops@example.net" and
              message.get_content().replace("\r\n", "\n") == "Hello from the C ABI.\n", repr(content))
        env = open(os.path.join(spool, "1.env")).read().split() if os.path.exists(eml) else []
        check("the envelope arrived", env == ["device@example.org", "ops@example.net"], repr(env))
    finish()


if __name__ == "__main__":
    main()
