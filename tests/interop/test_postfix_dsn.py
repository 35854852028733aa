#!/usr/bin/env python3
"""DSN (RFC 3461) and SMTPUTF8 (RFC 6531/6532) against a private Postfix
(postfix_dovecot.py, here with smtputf8_enable = yes): the parameters are
recorded and honoured (NOTIFY=SUCCESS brings a delivery report back to the
sender, which lives in the same virtual domain, so the report lands in the
same maildir: it is read and checked), and an internationalized address
travels end to end, raw in the envelope and in the header fields."""
import email
import email.policy
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers, check, finish, make_cert, require, send  # noqa: E402
from postfix_dovecot import PostfixDovecot  # noqa: E402

USER, PASSWORD = "bob@interop.test", "p4ssw0rd"
INTL = "j\u00f6ran@interop.test"  # "jöran": a UTF-8 local part (RFC 6531 §3.3)


def reports(files):
    """The delivery reports (multipart/report; report-type=delivery-status, RFC 3464) among the files."""
    out = []
    for raw in files:
        m = email.message_from_bytes(raw, policy=email.policy.default)
        if m.get_content_type() == "multipart/report":
            out.append((m, raw))
    return out


def status_fields(raw):
    """The message/delivery-status part's text (RFC 3464 §2), or for an
    internationalized message message/global-delivery-status (RFC 6533 §6)."""
    m = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in m.walk():
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            payload = part.get_payload()
            if isinstance(payload, list):
                return "\n".join(p.as_string() for p in payload)
            return str(payload)
    return ""


def main():
    require("postfix", "dovecot", "openssl")
    if os.geteuid() != 0:
        print("skipped: a private Postfix instance needs root")
        sys.exit(77)
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        server = PostfixDovecot(s.dir("postfix"), cert, key, USER, PASSWORD)
        main_cf = os.path.join(server.d, "etc", "main.cf")
        with open(main_cf) as f:
            conf = f.read().replace("smtputf8_enable = no", "smtputf8_enable = yes")
        with open(main_cf, "w") as f:
            f.write(conf)
        pw = os.path.join(s.tmp, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        try:
            server.start()
            common = ["--server", "localhost:%d" % server.port, "--ca-file", cert, "--user", USER, "--password-file", pw,
                      "--from", USER, "--subject", "dsn", "--body", "hello"]

            # NOTIFY=SUCCESS with ENVID, RET and ORCPT: the message, then Postfix's report of its delivery.
            # The body goes by BDAT (RFC 3030): the DSN parameters ride on MAIL/RCPT either way.
            code, err, _ = send(common + ["--to", "user01@interop.test", "--dsn-notify", "success", "--dsn-ret", "hdrs",
                                          "--dsn-envid", "QQ314159", "--dsn-orcpt", "--chunking", "always", "-v"])
            check("postfix DSN: exit 0", code == 0, err + server.log()[-2000:])
            check("postfix DSN with CHUNKING: the body went as BDAT ... LAST, no DATA",
                  re.search(r"BDAT \d+ LAST", err) is not None and "> DATA" not in err, err)
            check("postfix DSN: the parameters went out",
                  "RET=HDRS ENVID=QQ314159" in err and "NOTIFY=SUCCESS ORCPT=rfc822;user01@interop.test" in err, err)
            files = server.delivered(2)
            found = reports(files)
            check("postfix DSN: the message and a delivery report arrived", len(files) == 2 and len(found) == 1,
                  "%d files, %d reports\n%s" % (len(files), len(found), server.log()[-3000:]))
            if found:
                report, raw = found[0]
                fields = status_fields(raw)
                check("postfix DSN: the report goes to the sender", USER in str(report.get("To", "")), str(report))
                check("postfix DSN: Original-Envelope-Id is the ENVID (RFC 3464 §2.2.1)",
                      "Original-Envelope-Id: QQ314159" in fields, fields)
                check("postfix DSN: Action: delivered for the recipient (RFC 3464 §2.3.3)",
                      "Action: delivered" in fields and "user01@interop.test" in fields, fields)
                check("postfix DSN: Original-Recipient is the ORCPT (RFC 3464 §2.3.1)",
                      "Original-Recipient: rfc822;user01@interop.test" in fields, fields)
                text = raw.decode("utf-8", "replace")
                check("postfix DSN: RET=HDRS returns the headers only",
                      "text/rfc822-headers" in text and "\nhello" not in text.split("delivery-status", 1)[-1], text[-1500:])

            # NOTIFY=NEVER: delivered, and no report.
            code, err, _ = send(common + ["--to", "user02@interop.test", "--dsn-notify", "never"])
            check("postfix NOTIFY=NEVER: exit 0", code == 0, err)
            files = server.delivered(3)
            check("postfix NOTIFY=NEVER: delivered, no new report", len(files) == 3 and len(reports(files)) == 1,
                  "%d files\n%s" % (len(files), server.log()[-2000:]))

            # SMTPUTF8 (smtputf8_enable = yes): an internationalized recipient end to end, with a UTF-8 ORCPT.
            code, err, _ = send(common + ["--to", "J\u00f6ran <%s>" % INTL, "--dsn-notify", "success", "--dsn-orcpt",
                                          "-v"])
            check("postfix SMTPUTF8: exit 0", code == 0, err + server.log()[-2000:])
            check("postfix SMTPUTF8: SMTPUTF8 on MAIL and the address raw on RCPT",
                  " SMTPUTF8" in err and ("RCPT TO:<%s>" % INTL) in err, err)
            check("postfix SMTPUTF8: ORCPT in RFC 6533 utf-8 form",
                  ("ORCPT=utf-8;%s" % INTL) in err, err)
            files = server.delivered(5)
            # The report quotes the message's header fields too: look at the messages only.
            mine = [f for f in files if ("To: J\u00f6ran <%s>" % INTL).encode() in f and b"report-type=" not in f]
            heads = "\n----\n".join(f.split(b"\n\n")[0].decode("utf-8", "replace") for f in files)
            check("postfix SMTPUTF8: delivered with the UTF-8 To field raw (RFC 6532)", len(mine) == 1, heads)
            check("postfix SMTPUTF8: no encoded-word in the address fields",
                  len(mine) == 1 and b"To: =?" not in mine[0], heads)
            found = reports(files)
            check("postfix SMTPUTF8: the delivery report for the UTF-8 recipient arrived", len(found) == 2,
                  "%d reports\n%s" % (len(found), server.log()[-3000:]))
            if len(found) == 2:
                fields = status_fields(found[-1][1])
                check("postfix SMTPUTF8: a global delivery status (RFC 6533 §6)",
                      b"message/global-delivery-status" in found[-1][1], found[-1][1][-1500:].decode("utf-8", "replace"))
                # The status fields are raw UTF-8 (8bit): compare the octets.
                check("postfix SMTPUTF8: Original-Recipient is the UTF-8 ORCPT (RFC 6533 §3)",
                      ("Original-Recipient: utf-8;%s" % INTL).encode() in found[-1][1], fields)
        finally:
            server.stop()
    finish()


if __name__ == "__main__":
    main()
