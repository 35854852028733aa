#!/usr/bin/env python3
"""How a session ends, as smtpcore-send reports it (docs/adapters.md
"Closing"): after the 250 to the end of data the message is delivered, and
whatever goes wrong with QUIT or the TLS close afterwards (a reset, a
malformed reply, TCP cut without close_notify) exits 0 with a warning, never
75/76; a TLS cut without close_notify mid-session is a lost connection
(75), not a TLS failure, on OpenSSL 1.1.1 and 3 alike; a clean TLS close
sends close_notify; a connection dropped in the TLS
handshake is temporary (75) whether it ends with FIN or RST; -v escapes the
server's control characters."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import HERE, PYTHON, Servers, check, finish, make_cert, require, send  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "close", "--body", "hello"]


def main():
    require("openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)

        def server(mode, tls="none"):
            args = [PYTHON, os.path.join(HERE, "close_server.py"), mode, "--tls", tls]
            if tls != "none":
                args += ["--cert", cert, "--key", key]
            p = s.start(args, stdout=subprocess.PIPE, text=True)
            return p, int(p.stdout.readline().split()[1])

        def run(mode, tls, extra=()):
            p, port = server(mode, tls)
            cli_tls = {"none": ["--tls", "none"], "starttls": ["--ca-file", cert],
                       "implicit": ["--tls", "implicit", "--ca-file", cert]}[tls]
            code, err, _ = send(["--server", "localhost:%d" % port] + cli_tls + list(extra) + BASE, timeout=30)
            try:
                out = p.communicate(timeout=10)[0]
            except subprocess.TimeoutExpired:
                p.kill()
                out = ""
            return code, err, out

        def expect(name, got, want, err):
            check("%s: exit %d" % (name, want), got == want, "got %d: %s" % (got, err.strip()))

        # Item 1: delivered, then the close goes wrong: exit 0 and a warning.
        for mode, tls in [("rst-on-quit", "none"), ("garbage-quit", "none"), ("rst-on-quit", "starttls"),
                          ("cut-after-250", "starttls"), ("cut-after-250", "implicit")]:
            name = "%s (%s)" % (mode, tls)
            code, err, _ = run(mode, tls)
            expect(name + ": delivered", code, 0, err)
            check(name + ": warns about the close", "warning: the session did not end cleanly" in err, err.strip())
            check(name + ": never says failed", "failed" not in err and "not sent" not in err, err.strip())

        # Item 4: a clean TLS close sends close_notify after the 221.
        for tls in ["starttls", "implicit"]:
            code, err, out = run("clean", tls)
            expect("clean close (%s)" % tls, code, 0, err)
            check("clean close (%s): no warning" % tls, "warning" not in err, err.strip())
            check("clean close (%s): the server got close_notify" % tls, "CLOSE_NOTIFY yes" in out, out.strip())

        # Item 5: TLS cut without close_notify mid-session (OpenSSL 3 calls it
        # "unexpected eof"): a lost connection, temporary, not a TLS failure.
        for tls in ["starttls", "implicit"]:
            code, err, _ = run("cut-in-session", tls)
            expect("cut without close_notify mid-session (%s)" % tls, code, 75, err)
            check("cut mid-session (%s): not called a TLS failure" % tls, "TLS failed" not in err, err.strip())

        # Item 8: a drop in the handshake is temporary, FIN or RST alike.
        for mode in ["fin-in-handshake", "rst-in-handshake"]:
            code, err, _ = run(mode, "starttls")
            expect(mode, code, 75, err)

        # Item 9: -v shows the server's control characters escaped.
        # (The engine then refuses the greeting for its control characters.)
        code, err, _ = run("escapes", "none", ["-v"])
        check("escapes: no ESC, BEL, CR or C1 reaches the terminal",
              not any(c in err for c in "\x1b\x07\r\x9b"), repr(err))
        check("escapes: shown as \\xNN", "\\x1b[2J" in err and "\\x07" in err and "\\x0dfake" in err, err)
        check("escapes: UTF-8 text stays", "ok \u00e9" in err, err)
    finish()


if __name__ == "__main__":
    main()
