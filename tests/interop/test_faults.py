#!/usr/bin/env python3
"""Faults and refusals, each with the exit code docs/cli.md promises:
a server killed mid-DATA (75, not sent), 421 (75), a connection lost after
the end of data (75, outcome unknown), refused recipients (69, per-recipient
report), a certificate that does not verify (76, nothing sent), bad
credentials (77), insecure AUTH (77), no STARTTLS (76), and usage/input
errors (64, 65, 66) that never connect."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import PYTHON, HERE, Servers, check, finish, make_cert, require, seed_args, send  # noqa: E402


def main():
    require("aiosmtpd", "smtp-sink", "openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        other_cert, other_key = make_cert(s.tmp, "other.example", "DNS:other.example")
        pw = os.path.join(s.tmp, "pw")
        with open(pw, "w") as f:
            f.write("secret\n")
        big = os.path.join(s.tmp, "big.bin")
        with open(big, "wb") as f:
            f.write(os.urandom(5 * 1024 * 1024))
        base = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "fault", "--body", "hello"]

        def expect(name, code, err, want, text=None):
            check("%s: exit %d" % (name, want), code == want, "got %d: %s" % (code, err.strip()))
            if text:
                check("%s: says '%s'" % (name, text), text in err, err.strip())

        # Killed mid-DATA: the end of data was never sent, so it was not delivered.
        def scripted(*mode):
            p = s.start([PYTHON, os.path.join(HERE, "fault_server.py")] + list(mode), stdout=subprocess.PIPE, text=True)
            return int(p.stdout.readline().split()[1])

        port = scripted("die-in-data", "100000")
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "--attach", big] + base)
        expect("server killed mid-DATA", code, err, 75, "not sent")

        # STARTTLS response injection: plaintext after the 220 never reaches the engine as a reply.
        port = scripted("inject")
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--insecure"] + base)
        expect("plaintext injected with the STARTTLS 220", code, err, 76)
        port = scripted("inject-late")
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--insecure"] + base)
        expect("plaintext instead of a TLS handshake", code, err, 76, "TLS")

        # A server that never greets: --timeout bounds the wait.
        port = scripted("silent")
        code, err, secs = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "--timeout", "1"] + base)
        expect("silent server with --timeout 1", code, err, 75, "timeout")
        check("silent server: gave up after about a second", 0.9 < secs < 5, "%.2f s" % secs)

        # smtp-sink misbehaving on cue: (name, flags, exit code, words on stderr).
        sink_cases = [
            ("421 to RCPT", ["-Q", "RCPT"], 75, "421"),
            ("421 to end of data", ["-Q", "."], 75, "421"),
            ("421 greeting", ["-Q", "CONNECT"], 75, None),
            # The connection drops after the end of data: the outcome is unknown.
            ("dropped after end of data", ["-q", "."], 75, "may have been delivered"),
            ("5xx to end of data", ["-f", "."], 69, "permanent failure"),
            ("4xx to MAIL", ["-r", "MAIL"], 75, "temporary failure"),
        ]
        for name, flags, want, text in sink_cases:
            port = s.smtp_sink(flags)
            seed = seed_args("smtp-sink-" + name.replace(" ", "-"))
            code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--tls", "none"] + base + seed)
            expect(name, code, err, want, text)

        # Some recipients refused: delivered to the rest, reported one by one.
        spool = s.dir("spool-refuse")
        port = s.aiosmtpd(spool, refuse="nobody")
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "--from", "a@example.org",
                             "--to", "b@example.net", "--cc", "nobody@example.net", "--bcc", "c@example.net",
                             "--body", "hi"] + seed_args("aiosmtpd-one-recipient-refused"))
        expect("one recipient of three refused", code, err, 69, "nobody@example.net: 550")
        check("one recipient of three refused: others delivered", os.path.exists(os.path.join(spool, "1.eml")))
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "--from", "a@example.org",
                             "--to", "nobody@example.net", "--body", "hi"])
        expect("every recipient refused", code, err, 69, "not sent")

        # Certificates that do not verify: nothing is sent.
        spool = s.dir("spool-tls")
        port = s.aiosmtpd(spool, "starttls", cert, key, "alice", "secret")
        auth = ["--user", "alice", "--password-file", pw]
        code, err, _ = send(["--server", "localhost:%d" % port] + auth + base)
        expect("untrusted certificate (STARTTLS)", code, err, 76, "certificate verification failed")
        code, err, _ = send(["--server", "localhost:%d" % port, "--ca-file", other_cert] + auth + base)
        expect("certificate for another CA/name", code, err, 76, "certificate")
        check("nothing was delivered without verification", not os.listdir(spool))
        code, err, _ = send(["--server", "localhost:%d" % port, "--insecure"] + auth + base)
        expect("--insecure skips verification", code, err, 0)
        spool2 = s.dir("spool-name")
        port2 = s.aiosmtpd(spool2, "implicit", other_cert, other_key)
        code, err, _ = send(["--server", "localhost:%d" % port2, "--tls", "implicit", "--ca-file", other_cert] + base)
        expect("host name mismatch (implicit TLS)", code, err, 76, "certificate")
        check("nothing delivered on a name mismatch", not os.listdir(spool2))

        # Authentication.
        with open(pw, "w") as f:
            f.write("wrong\n")
        code, err, _ = send(["--server", "localhost:%d" % port, "--ca-file", cert] + auth + base)
        expect("wrong password", code, err, 77)
        port3 = s.aiosmtpd(s.dir("spool-plain"), "none", user="alice", password="secret")
        code, err, _ = send(["--server", "127.0.0.1:%d" % port3, "--tls", "none"] + auth + base)
        expect("AUTH over plaintext refused", code, err, 77)
        sink = s.smtp_sink()
        code, err, _ = send(["--server", "127.0.0.1:%d" % sink] + base)
        expect("STARTTLS required, not offered", code, err, 76)

        # Refused before connecting.
        code, err, _ = send(base)
        expect("no --server", code, err, 64)
        code, err, _ = send(["--server", "127.0.0.1:%d" % sink, "--tls", "none", "--attach", "/nonexistent/file"] + base)
        expect("missing attachment", code, err, 66)
        code, err, _ = send(["--server", "127.0.0.1:%d" % sink, "--tls", "none", "--header", "X-A: a\r\nBcc: evil@x"] + base)
        expect("CR LF in a header value", code, err, 65)
        code, err, _ = send(["--server", "127.0.0.1:%d" % sink, "--tls", "none", "--from", "a@example.org",
                             "--to", "b@example.net\r\nRCPT TO:<evil@x>", "--body", "x"])
        expect("CR LF in an address", code, err, 65)
        code, err, _ = send(["--server", "127.0.0.1:%d" % free_closed_port(), "--tls", "none"] + base)
        expect("connection refused", code, err, 75)
    finish()


def free_closed_port():
    from interop_common import free_port
    return free_port()


if __name__ == "__main__":
    main()
