#!/usr/bin/env python3
"""Interop of every SASL mechanism with Dovecot 2.3 as the SASL server,
behind the private Postfix submission instance (postfix_dovecot.py, its auth
socket): PLAIN, LOGIN, SCRAM-SHA-256 and CRAM-MD5 against a passwd-file;
XOAUTH2 and OAUTHBEARER through Dovecot's oauth2 passdb, which asks a token
introspection server (oauth_introspection_server.py, RFC 7662) that this test
starts on 127.0.0.1. A wrong token must give the error flow: the JSON status
challenge answered, then 535 with the status in the message. Dovecot 2.3.19
does not implement SCRAM-SHA-256-PLUS (channel binding came with 2.4): the
test checks that it is not offered and that Auto then uses SCRAM-SHA-256
with the "y" flag (a binding was available), which the server accepts."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import PYTHON, Servers, check, finish, make_cert, raw_message, require, send, text_body  # noqa: E402
from postfix_dovecot import PostfixDovecot  # noqa: E402

USER, PASSWORD = "bob@interop.test", "p4ssw0rd"
GOOD_TOKEN, BAD_TOKEN = "ya29.good-token", "ya29.expired-token"

# The helper's Dovecot configuration with every mechanism and two passdbs:
# the passwd-file first (PLAIN scheme: Dovecot derives the SCRAM and
# CRAM-MD5 credentials from it), then oauth2 for the bearer tokens.
DOVECOT_CONF = """\
base_dir = {d}/dovecot/run
state_dir = {d}/dovecot/state
log_path = {d}/dovecot/log
auth_verbose = yes
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login scram-sha-256 cram-md5 xoauth2 oauthbearer
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/dovecot/users
}}
passdb {{
  driver = oauth2
  args = {d}/dovecot/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0666
  }}
}}
"""

OAUTH2_CONF = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""


def start_introspection(s):
    p = s.start([PYTHON, os.path.join(os.path.dirname(os.path.abspath(__file__)), "oauth_introspection_server.py"),
                 "--token", GOOD_TOKEN, "--username", USER, "--lifetime", "300"],
                stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError("the introspection server did not start")
    return int(line[1])


def main():
    require("postfix", "dovecot", "openssl")
    if os.geteuid() != 0:
        print("skipped: a private Postfix instance needs root")
        sys.exit(77)
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        oauth_port = start_introspection(s)
        server = PostfixDovecot(s.dir("postfix"), cert, key, USER, PASSWORD)
        with open(os.path.join(server.d, "dovecot", "dovecot.conf"), "w") as f:
            f.write(DOVECOT_CONF.format(d=server.d))
        with open(os.path.join(server.d, "dovecot", "oauth2.conf.ext"), "w") as f:
            f.write(OAUTH2_CONF.format(port=oauth_port))
        secrets = {}
        for name, value in [("pw", PASSWORD), ("good", GOOD_TOKEN), ("bad", BAD_TOKEN)]:
            secrets[name] = os.path.join(s.tmp, name)
            with open(secrets[name], "w") as f:
                f.write(value + "\n")
        try:
            server.start()
            common = ["--server", "localhost:%d" % server.port, "--ca-file", cert, "--user", USER, "-v"]
            delivered = 0

            def attempt(label, extra, want_exit=0):
                nonlocal delivered
                to, cc, bcc = [USER], [], []
                sent, _ = raw_message(to, cc, bcc, text_body(2000))
                code, err, secs = send(common + extra + ["-t", "-i"], stdin=sent)
                check(label + " exit %d" % want_exit, code == want_exit, "exit %d\n%s\n%s" % (code, err[-3000:], server.log()[-2000:]))
                if want_exit == 0 and code == 0:
                    delivered += 1
                    check(label + " delivered", len(server.delivered(delivered)) == delivered, server.log()[-2000:])
                print("     %.3f s" % secs)
                return err

            password = ["--password-file", secrets["pw"]]
            for auth in ["plain", "login", "cram-md5", "scram-sha-256"]:
                err = attempt("dovecot auth=%s" % auth, password + ["--auth", auth])
                check("dovecot auth=%s on the wire" % auth, ("AUTH " + auth.upper()) in err, err[-2000:])

            # Auto: SCRAM-SHA-256 is the best Dovecot 2.3 offers. OpenSSL over
            # TLS 1.3 exports a binding, so the gs2 flag is "y" (we could bind,
            # the server cannot): base64 "eSws" opens the client-first message.
            err = attempt("dovecot auto picks SCRAM-SHA-256", password)
            check("dovecot does not offer SCRAM-SHA-256-PLUS", "SCRAM-SHA-256-PLUS" not in err.split("AUTH SCRAM")[0], err[-2000:])
            # The transcript masks the response, so the flag is seen through
            # its effect: TLS 1.3 means a binding was exported, so the client
            # sent "y" (tests/unit/test_sasl_dialogues.cpp holds the bytes),
            # and the server accepted it.
            check("dovecot auto: TLS 1.3 exported a binding and the y flag was accepted",
                  "TLSv1.3" in err and "235 2.7.0" in err, err[-2000:])
            err = attempt("dovecot wrong password over SCRAM", ["--password-file", secrets["good"], "--auth", "scram-sha-256"], 77)

            # OAuth through the oauth2 passdb and the introspection server.
            err = attempt("dovecot auto with a token picks OAUTHBEARER", ["--oauth-token-file", secrets["good"]])
            check("dovecot OAUTHBEARER on the wire", "AUTH OAUTHBEARER" in err, err[-2000:])
            err = attempt("dovecot auth=xoauth2", ["--oauth-token-file", secrets["good"], "--auth", "xoauth2"])
            check("dovecot XOAUTH2 on the wire", "AUTH XOAUTH2" in err, err[-2000:])
            # Dovecot 2.3's statuses: RFC 7628's "invalid_token" for
            # OAUTHBEARER, Google's HTTP-style "401" for XOAUTH2.
            for auth, status in [("oauthbearer", "invalid_token"), ("xoauth2", "401")]:
                err = attempt("dovecot %s wrong token" % auth,
                              ["--oauth-token-command", "cat " + secrets["bad"], "--auth", auth], 77)
                check("dovecot %s wrong token: 535 with the JSON status" % auth,
                      "535" in err and ("OAuth status: " + status) in err, err[-2000:])
                for line in err.splitlines():
                    if "334 " in line or "OAuth status" in line or line.startswith("smtpcore-send:"):
                        print("     " + line)
        finally:
            server.stop()
    finish()


if __name__ == "__main__":
    main()
