#!/usr/bin/env python3
"""smtpcore-send's envelope extensions against a scripted server
(extension_server.py), since no Debian server has REQUIRETLS (RFC 8689):
REQUIRETLS offered and not, with and without TLS; DSN (RFC 3461) offered
and not, under both policies. A refusal must leave no MAIL on the wire."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import HERE, PYTHON, Servers, check, finish, make_cert, require, send  # noqa: E402


def scripted(servers, cert, key, offer, name):
    log = os.path.join(servers.tmp, name + ".log")
    p = servers.start([PYTHON, os.path.join(HERE, "extension_server.py"), "--cert", cert, "--key", key,
                       "--offer", offer, "--log", log], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError("extension_server did not start")
    return int(line[1]), log


def lines(log):
    with open(log) as f:
        return f.read().splitlines()


def main():
    require("openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        msg = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "x", "--body", "hello"]

        # REQUIRETLS offered after STARTTLS: the parameter goes on MAIL, over TLS.
        port, log = scripted(s, cert, key, "REQUIRETLS", "requiretls-offered")
        tls = ["--server", "localhost:%d" % port, "--tls", "starttls", "--ca-file", cert]
        code, err, _ = send(tls + ["--require-tls"] + msg)
        got = lines(log)
        check("REQUIRETLS offered: exit 0", code == 0, err)
        check("REQUIRETLS offered: MAIL FROM:<a@example.org> ... REQUIRETLS over TLS",
              any(l.startswith("tls: MAIL FROM:<a@example.org> ") and l.endswith(" REQUIRETLS") for l in got),
              "\n".join(got))
        check("REQUIRETLS offered: nothing but EHLO and STARTTLS in plaintext",
              [l for l in got if l.startswith("plain: ")] == ["plain: EHLO localhost", "plain: STARTTLS"], "\n".join(got))
        check("REQUIRETLS offered: the body was sent", any(l.startswith("body: ") for l in got), "\n".join(got))
        # The same server over plaintext: refused before MAIL (exit 76), no byte of the message.
        plain = ["--server", "localhost:%d" % port, "--tls", "none"]
        before = len(lines(log))
        code, err, _ = send(plain + ["--require-tls"] + msg)
        got = lines(log)[before:]
        check("REQUIRETLS without TLS: exit 76", code == 76, err)
        check("REQUIRETLS without TLS: no MAIL, no body", not any("MAIL" in l or l.startswith("body") for l in got),
              "\n".join(got))
        check("REQUIRETLS without TLS: the reason names REQUIRETLS", "REQUIRETLS" in err, err)
        code, err, _ = send(tls + ["--require-tls", "--insecure"] + msg)
        check("--require-tls with --insecure: usage error 64", code == 64, err)

        # Not offered: refused before MAIL (exit 69).
        port, log = scripted(s, cert, key, "", "requiretls-unoffered")
        tls = ["--server", "localhost:%d" % port, "--tls", "starttls", "--ca-file", cert]
        code, err, _ = send(tls + ["--require-tls"] + msg)
        got = lines(log)
        check("REQUIRETLS not offered: exit 69", code == 69, err)
        check("REQUIRETLS not offered: no MAIL, no body", not any("MAIL" in l or l.startswith("body") for l in got),
              "\n".join(got))
        # Without --require-tls the same server takes the message.
        code, err, _ = send(tls + msg)
        check("no --require-tls: delivered", code == 0 and any(l.startswith("body") for l in lines(log)), err)

        # DSN offered: the parameters as RFC 3461 writes them.
        port, log = scripted(s, cert, key, "DSN", "dsn-offered")
        tls = ["--server", "localhost:%d" % port, "--tls", "starttls", "--ca-file", cert]
        code, err, _ = send(tls + ["--dsn-notify", "success,delay", "--dsn-ret", "hdrs", "--dsn-envid", "id 1+2",
                                   "--dsn-orcpt"] + msg)
        got = lines(log)
        check("DSN offered: exit 0", code == 0, err)
        check("DSN offered: RET and ENVID (xtext) on MAIL",
              any(l.startswith("tls: MAIL FROM:<a@example.org> ") and l.endswith(" RET=HDRS ENVID=id+201+2B2")
                  for l in got), "\n".join(got))
        check("DSN offered: NOTIFY and ORCPT on RCPT",
              "tls: RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@example.net" in got, "\n".join(got))
        # sendmail's -N, -R, -V map to the same parameters.
        before = len(lines(log))
        raw = b"From: a@example.org\r\nTo: b@example.net\r\nSubject: t\r\n\r\nhi\r\n"
        code, err, _ = send(tls + ["-t", "-i", "-N", "failure", "-R", "full", "-VQQ314"], stdin=raw)
        got = lines(log)[before:]
        check("sendmail -N -R -V: exit 0", code == 0, err)
        check("sendmail -R full -V QQ314: RET=FULL ENVID=QQ314",
              any(l.startswith("tls: MAIL FROM:<a@example.org>") and l.endswith(" RET=FULL ENVID=QQ314") for l in got),
              "\n".join(got))
        check("sendmail -N failure: NOTIFY=FAILURE", "tls: RCPT TO:<b@example.net> NOTIFY=FAILURE" in got, "\n".join(got))
        # NOTIFY per recipient: --rcpt-notify applies to the next --to/--cc/--bcc, the others get --dsn-notify.
        before = len(lines(log))
        code, err, _ = send(tls + ["--from", "a@example.org", "--dsn-notify", "failure", "--rcpt-notify", "success,delay",
                                   "--to", "b@example.net,c@example.net", "--to", "d@example.net",
                                   "--rcpt-notify", "never", "--bcc", "e@example.net", "--subject", "x", "--body", "hi"])
        got = lines(log)[before:]
        check("--rcpt-notify: exit 0", code == 0, err)
        check("--rcpt-notify: each RCPT its own NOTIFY, the rest --dsn-notify's",
              [l for l in got if l.startswith("tls: RCPT")] ==
              ["tls: RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY", "tls: RCPT TO:<c@example.net> NOTIFY=SUCCESS,DELAY",
               "tls: RCPT TO:<d@example.net> NOTIFY=FAILURE", "tls: RCPT TO:<e@example.net> NOTIFY=NEVER"],
              "\n".join(got))
        code, err, _ = send(tls + msg + ["--rcpt-notify", "success"])
        check("--rcpt-notify with no address after it: usage error 64", code == 64 and "--rcpt-notify" in err, err)
        code, err, _ = send(tls + ["--rcpt-notify", "never,success"] + msg)
        check("--rcpt-notify never,success: usage error 64", code == 64, err)
        code, err, _ = send(tls + ["-t", "--rcpt-notify", "success", "--to", "c@example.net"], stdin=raw)
        check("--rcpt-notify with -t: usage error 64", code == 64 and "-t" in err, err)
        code, err, _ = send(tls + ["--dsn-envid", "bad\tid"] + msg)
        check("ENVID with a control character: exit 65, nothing sent", code == 65, err)

        # DSN not offered: dropped with a warning (default), or refused before MAIL.
        port, log = scripted(s, cert, key, "", "dsn-unoffered")
        tls = ["--server", "localhost:%d" % port, "--tls", "starttls", "--ca-file", cert]
        code, err, _ = send(tls + ["--dsn-notify", "success"] + msg)
        got = lines(log)
        check("DSN not offered, drop: exit 0", code == 0, err)
        check("DSN not offered, drop: the warning says so", "does not offer DSN" in err, err)
        check("DSN not offered, drop: no NOTIFY sent", not any("NOTIFY" in l for l in got), "\n".join(got))
        before = len(lines(log))
        code, err, _ = send(tls + ["--dsn-notify", "success", "--dsn-unoffered", "refuse"] + msg)
        got = lines(log)[before:]
        check("DSN not offered, refuse: exit 69", code == 69, err)
        check("DSN not offered, refuse: no MAIL", not any("MAIL" in l for l in got), "\n".join(got))
    finish()


if __name__ == "__main__":
    main()
