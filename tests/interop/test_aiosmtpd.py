#!/usr/bin/env python3
"""Interop matrix against aiosmtpd: plaintext / STARTTLS / implicit TLS x
AUTH PLAIN / LOGIN x 1 and 50 recipients (To, Cc, Bcc) x a text message
(sent raw with -t, compared byte for byte) and a 5 MiB attachment (composed,
compared after decoding). Certificates are verified with --ca-file."""
import email
import email.policy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (TLS_LIBRARY, Servers, check, finish, make_cert, raw_message, recipients, require, seed_args, send,  # noqa: E402
                            text_body)

USER, PASSWORD = "alice", "correct horse"


def envelope(path):
    with open(path) as f:
        return f.read().split()


def main():
    require("aiosmtpd", "openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        pw = os.path.join(s.tmp, "password")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        attachment = os.path.join(s.tmp, "big.bin")
        with open(attachment, "wb") as f:
            f.write(os.urandom(5 * 1024 * 1024))
        with open(attachment, "rb") as f:
            attachment_bytes = f.read()

        for tls in ["none", "starttls", "implicit"]:
            spool = s.dir("spool-" + tls)
            port = s.aiosmtpd(spool, tls, cert, key, USER, PASSWORD)
            count = 0
            for auth in ["plain", "login"]:
                for n in [1, 50]:
                    to, cc, bcc = recipients(n)
                    everyone = to + cc + bcc
                    common = ["--server", "127.0.0.1:%d" % port, "--tls", tls, "--ca-file", cert,
                              "--user", USER, "--password-file", pw, "--auth", auth]
                    if tls == "none":
                        common.append("--allow-plaintext-auth")

                    # A text message, raw through -t: arrives byte for byte (Bcc removed).
                    name = "aiosmtpd %s auth=%s rcpt=%d text" % (tls, auth, n)
                    sent, expected = raw_message(to, cc, bcc, text_body(20000))
                    seed = seed_args("aiosmtpd-%s-auth-%s" % (tls, auth)) if n == 1 else []
                    code, err, secs = send(common + ["-t", "-i"] + seed, stdin=sent)
                    count += 1
                    ok = code == 0
                    check(name + " exit 0", ok, err)
                    if ok:
                        with open(os.path.join(spool, "%d.eml" % count), "rb") as f:
                            got = f.read()
                        check(name + " byte for byte", got == expected,
                              "got %d octets, expected %d" % (len(got), len(expected)))
                        check(name + " envelope", envelope(os.path.join(spool, "%d.env" % count))
                              == ["sender@example.org"] + everyone)
                    print("     %.3f s" % secs)

                    # A 5 MiB attachment, composed by the MIME writer.
                    name = "aiosmtpd %s auth=%s rcpt=%d 5MiB" % (tls, auth, n)
                    args = common + ["--from", "sender@example.org", "--subject", "five MiB",
                                     "--body", "see attachment", "--attach", attachment]
                    for flag, lst in (("--to", to), ("--cc", cc), ("--bcc", bcc)):
                        for a in lst:
                            args += [flag, a]
                    code, err, secs = send(args)
                    count += 1
                    check(name + " exit 0", code == 0, err)
                    if code == 0:
                        with open(os.path.join(spool, "%d.eml" % count), "rb") as f:
                            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
                        parts = [p for p in msg.iter_attachments()]
                        check(name + " attachment intact", len(parts) == 1 and
                              parts[0].get_content() == attachment_bytes and parts[0].get_filename() == "big.bin")
                        check(name + " no Bcc header", msg["Bcc"] is None)
                        check(name + " envelope", envelope(os.path.join(spool, "%d.env" % count))
                              == ["sender@example.org"] + everyone)
                    print("     %.3f s (5 MiB)" % secs)
        # The backend under test is the one that ran: mbedTLS names its
        # suites "TLS-ECDHE-...-WITH-...", OpenSSL "ECDHE-...".
        spool = s.dir("spool-which")
        port = s.aiosmtpd(spool, "starttls", cert, key, USER, PASSWORD)
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--ca-file", cert, "--user", USER, "--password-file", pw,
                             "-v", "--from", "a@example.org",
                             "--to", "b@example.net", "--body", "x"])
        mbedtls_suite = "-WITH-" in err
        check("the TLS library is %s" % (TLS_LIBRARY or "openssl"),
              code == 0 and mbedtls_suite == (TLS_LIBRARY == "mbedtls"), err[-400:])
        # Without -i, sendmail's rule holds: a lone "." line ends the input.
        spool = s.dir("spool-dot")
        port = s.aiosmtpd(spool)
        code, err, _ = send(["--server", "127.0.0.1:%d" % port, "--tls", "none", "-t"],
                            stdin=b"From: a@example.org\r\nTo: b@example.net\r\n\r\nkept\r\n.\r\nnot sent\r\n")
        with open(os.path.join(spool, "1.eml"), "rb") as f:
            check("sendmail mode: lone dot ends input without -i", code == 0 and f.read().endswith(b"\r\n\r\nkept\r\n"))
    finish()


if __name__ == "__main__":
    main()
