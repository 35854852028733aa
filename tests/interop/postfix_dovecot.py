"""A private Postfix submission server with Dovecot SASL, for the interop
tests: everything (config, queue, data, maildir, Dovecot's sockets and logs)
lives in one temp dir; Postfix listens on 127.0.0.1 only; both are stopped
on exit. Needs root (Postfix's master runs as root and drops to the
`postfix` user, as installed by the Debian package).

Mail for @interop.test is delivered by virtual(8) into one maildir, so the
test can compare each delivered file with what it submitted."""
import glob
import os
import pwd
import grp
import subprocess
import tempfile
import time

from interop_common import free_port, wait_for_port

MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
maillog_file = {d}/maillog
# postlogd writes only under these prefixes (default /var, /dev/stdout).
maillog_file_prefixes = {d}
mail_owner = postfix
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.interop.test
mydomain = interop.test
mydestination =
relay_domains =
alias_maps =
alias_database =
smtputf8_enable = no
message_size_limit = 52428800
virtual_mailbox_limit = 0
virtual_mailbox_domains = interop.test
virtual_mailbox_base = {d}/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
virtual_minimum_uid = 1
smtpd_tls_cert_file = {cert}
smtpd_tls_key_file = {key}
smtpd_sasl_type = dovecot
smtpd_sasl_path = {d}/dovecot/run/auth-postfix
smtpd_banner = $myhostname ESMTP Postfix (interop)
"""

DOVECOT_CONF = """\
base_dir = {d}/dovecot/run
state_dir = {d}/dovecot/state
log_path = {d}/dovecot/log
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/dovecot/users
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


class PostfixDovecot:
    def __init__(self, directory, cert, key, user, password):
        self.d = directory
        self.port = free_port()
        os.chmod(self.d, 0o755)
        for sub in ["etc", "queue", "data", "mail", "dovecot", "dovecot/run", "dovecot/state"]:
            os.makedirs(os.path.join(self.d, sub), exist_ok=True)
        postfix = pwd.getpwnam("postfix")
        os.chown(os.path.join(self.d, "data"), postfix.pw_uid, postfix.pw_gid)
        nobody = pwd.getpwnam("nobody")
        nogroup = grp.getgrnam("nogroup")
        os.chown(os.path.join(self.d, "mail"), nobody.pw_uid, nogroup.gr_gid)
        with open(os.path.join(self.d, "dovecot", "users"), "w") as f:
            f.write("%s:{PLAIN}%s\n" % (user, password))
        with open(os.path.join(self.d, "dovecot", "dovecot.conf"), "w") as f:
            f.write(DOVECOT_CONF.format(d=self.d))
        with open(os.path.join(self.d, "etc", "main.cf"), "w") as f:
            f.write(MAIN_CF.format(d=self.d, cert=cert, key=key, uid=nobody.pw_uid, gid=nogroup.gr_gid))
        with open(os.path.join(self.d, "etc", "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))
        self.maildir = os.path.join(self.d, "mail", "inbox")

    def start(self):
        run(["dovecot", "-c", os.path.join(self.d, "dovecot", "dovecot.conf")])
        # postfix start: "postfix check" fixes queue ownership, then master starts.
        run(["postfix", "-c", os.path.join(self.d, "etc"), "start"])
        wait_for_port(self.port, 20)

    def stop(self):
        for args in (["postfix", "-c", os.path.join(self.d, "etc"), "stop"],
                     ["doveadm", "-c", os.path.join(self.d, "dovecot", "dovecot.conf"), "stop"]):
            subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # postfix stop returns before master has exited: wait for its pid file to go.
        pid_file = os.path.join(self.d, "queue", "pid", "master.pid")
        for _ in range(100):
            if not os.path.exists(pid_file):
                break
            time.sleep(0.1)

    def delivered(self, count, timeout=30):
        """Waits until `count` messages are in the maildir; returns their contents, oldest first."""
        end = time.time() + timeout
        while True:
            files = sorted(glob.glob(os.path.join(self.maildir, "new", "*")), key=os.path.getmtime)
            if len(files) >= count or time.time() > end:
                out = []
                for path in files:
                    with open(path, "rb") as f:
                        out.append(f.read())
                return out
            time.sleep(0.1)

    def log(self):
        text = ""
        for path in [os.path.join(self.d, "maillog"), os.path.join(self.d, "dovecot", "log")]:
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += f.read()
        return text


def run(args):
    # Both daemonize, and the daemons keep stdout/stderr open: send those to
    # a file, or waiting for the command's output would wait for the daemon.
    with tempfile.TemporaryFile() as out:
        r = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=60)
        if r.returncode != 0:
            out.seek(0)
            raise RuntimeError("%s failed: %s" % (" ".join(args), out.read().decode(errors="replace")))
