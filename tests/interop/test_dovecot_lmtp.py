#!/usr/bin/env python3
"""LMTP (RFC 2033) against Dovecot's LMTP server (dovecot-lmtpd), started
privately on a free 127.0.0.1 port with its own base_dir, a passwd-file
userdb of three users and maildirs under a temporary directory.

- One message to two existing users and one unknown user: the unknown one
  is refused at RCPT (550), the two others each get their own 250 after the
  end of data (RFC 2033 §4.2); each delivered maildir file is the message as
  sent, less the header fields Dovecot adds (Return-Path, Delivered-To,
  Received) and with Dovecot's LF line ends.
- A user over quota (the quota plugin, a 1 KiB limit): Dovecot accepts the
  RCPT and refuses that recipient after the end of data (552), while the
  other recipient takes the message; smtpcore-send reports each fate.
- Every recipient failing after the dot: the message is not sent (exit 69).
"""
import glob
import grp
import os
import pwd
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers, check, finish, free_port, raw_message, require, send, text_body, wait_for_port  # noqa: E402

DOMAIN = "lmtp.test"
USERS = ["alice", "bob", "carol"]  # carol has a 1 KiB quota

DOVECOT_CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/log
protocols = lmtp
ssl = no
listen = 127.0.0.1
hostname = {domain}
postmaster_address = postmaster@{domain}
auth_username_format = %n
mail_location = maildir:~/Maildir
mail_plugins = quota
lmtp_rcpt_check_quota = no
plugin {{
  quota = maildir:User quota
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/users
}}
userdb {{
  driver = passwd-file
  args = {d}/users
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {port}
  }}
  unix_listener lmtp {{
    mode = 0600
  }}
}}
"""


class DovecotLmtp:
    def __init__(self, directory):
        self.d = directory
        self.port = free_port()
        os.chmod(self.d, 0o755)
        for sub in ["run", "state", "home"]:
            os.makedirs(os.path.join(self.d, sub), exist_ok=True)
        nobody, nogroup = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
        with open(os.path.join(self.d, "users"), "w") as f:
            for user in USERS:
                home = os.path.join(self.d, "home", user)
                os.makedirs(home, exist_ok=True)
                os.chown(home, nobody, nogroup)
                extra = "userdb_quota_rule=*:storage=1K" if user == "carol" else ""
                f.write("%s:{PLAIN}secret:%d:%d::%s::%s\n" % (user, nobody, nogroup, home, extra))
        self.conf = os.path.join(self.d, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(DOVECOT_CONF.format(d=self.d, port=self.port, domain=DOMAIN))

    def start(self):
        with tempfile.TemporaryFile() as out:  # the daemon keeps its output open
            r = subprocess.run(["dovecot", "-c", self.conf], stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=30)
            if r.returncode != 0:
                out.seek(0)
                raise RuntimeError("dovecot did not start: " + out.read().decode(errors="replace"))
        wait_for_port(self.port, 20)

    def stop(self):
        subprocess.run(["doveadm", "-c", self.conf, "stop"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        pid_file = os.path.join(self.d, "run", "master.pid")
        for _ in range(100):  # doveadm stop returns before the master has gone
            if not os.path.exists(pid_file):
                break
            time.sleep(0.1)

    def mailbox(self, user):
        files = sorted(glob.glob(os.path.join(self.d, "home", user, "Maildir", "new", "*")), key=os.path.getmtime)
        out = []
        for path in files:
            with open(path, "rb") as f:
                out.append(f.read())
        return out

    def log(self):
        path = os.path.join(self.d, "log")
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()


ADDED = (b"return-path:", b"delivered-to:", b"received:")


def without_added_fields(stored):
    """The stored message less the header fields Dovecot puts in front."""
    lines = stored.split(b"\n")
    i = 0
    while i < len(lines):
        if lines[i].lower().startswith(ADDED):
            i += 1
            while i < len(lines) and lines[i][:1] in (b" ", b"\t"):  # folded continuation
                i += 1
        else:
            break
    return b"\n".join(lines[i:])


def main():
    require("dovecot", "doveadm")
    if not os.path.exists("/usr/lib/dovecot/lmtp"):
        print("skipped: dovecot-lmtpd is not installed (scripts/deps/lmtp.txt)")
        sys.exit(77)
    if os.geteuid() != 0:
        print("skipped: a private Dovecot delivering as its users needs root")
        sys.exit(77)
    with Servers() as s:
        server = DovecotLmtp(s.dir("dovecot"))
        try:
            server.start()
            common = ["--server", "127.0.0.1:%d" % server.port, "--tls", "none", "--lmtp", "-v"]

            # 1. Two users and an unknown one: 550 at RCPT, a 250 each after the dot.
            to = ["alice@" + DOMAIN, "nobody-here@" + DOMAIN, "bob@" + DOMAIN]
            sent, expected = raw_message(to, [], [], text_body(600))
            code, err, secs = send(common + ["-t", "-i"], stdin=sent)
            check("lmtp: LHLO on the wire", "LHLO " in err and "EHLO" not in err, err[-2000:])
            check("lmtp: partial delivery exits 69", code == 69, "exit %d\n%s\n%s" % (code, err[-3000:], server.log()[-2000:]))
            check("lmtp: accepted for 2 of 3 recipients", "accepted for 2 of 3 recipients" in err, err[-2000:])
            check("lmtp: the unknown user was refused at RCPT",
                  "  nobody-here@%s: 550" % DOMAIN in err, err[-2000:])
            for user in ["alice", "bob"]:
                check("lmtp: %s's own reply after the end of data" % user,
                      "  %s@%s: after the end of data: 250" % (user, DOMAIN) in err, err[-2000:])
            check("lmtp: one 250 per accepted recipient after the dot",
                  err.count("< 250 2.0.0 <") == 2, err[-3000:])
            want = expected.replace(b"\r\n", b"\n")
            for user in ["alice", "bob"]:
                box = server.mailbox(user)
                check("lmtp: %s has one message" % user, len(box) == 1, "%d\n%s" % (len(box), server.log()[-2000:]))
                if box:
                    got = without_added_fields(box[0])
                    check("lmtp: %s's copy is the message sent" % user, got == want,
                          "got %r...\nwant %r..." % (got[:300], want[:300]))
            print("     %.3f s" % secs)

            # 2. Over quota after the dot: RCPT accepted, 552 for carol, alice takes it.
            to = ["carol@" + DOMAIN, "alice@" + DOMAIN]
            sent, expected = raw_message(to, [], [], text_body(4000))
            code, err, secs = send(common + ["-t", "-i"], stdin=sent)
            check("lmtp: quota: carol accepted at RCPT", "RCPT TO:<carol@%s>" % DOMAIN in err, err[-2000:])
            check("lmtp: quota: exit 69 (one recipient refused for good)", code == 69,
                  "exit %d\n%s\n%s" % (code, err[-3000:], server.log()[-2000:]))
            check("lmtp: quota: carol refused after the end of data",
                  "  carol@%s: after the end of data: 552" % DOMAIN in err, err[-3000:])
            check("lmtp: quota: accepted for 1 of 2 recipients", "accepted for 1 of 2 recipients" in err, err[-2000:])
            check("lmtp: quota: carol's maildir stays empty", server.mailbox("carol") == [], server.log()[-2000:])
            box = server.mailbox("alice")
            check("lmtp: quota: alice has the second message", len(box) == 2 and
                  without_added_fields(box[-1]) == expected.replace(b"\r\n", b"\n"), server.log()[-2000:])
            print("     %.3f s" % secs)

            # 3. Every recipient refused after the dot: not sent.
            code, err, secs = send(common + ["-t", "-i"], stdin=raw_message(["carol@" + DOMAIN], [], [], text_body(4000))[0])
            check("lmtp: all refused after the dot: exit 69", code == 69, "exit %d\n%s" % (code, err[-3000:]))
            check("lmtp: all refused after the dot: not sent", "not sent: permanent failure: 552" in err, err[-2000:])
            print("     %.3f s" % secs)
        finally:
            server.stop()
    finish()


if __name__ == "__main__":
    main()
