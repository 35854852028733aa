#!/usr/bin/env python3
"""The msmtp-style configuration (issue 12): a file in msmtp's syntax with
defaults and accounts, found by --config, $SMTPCORE_CONFIG,
~/.config/smtpcore/config then ~/.msmtprc; -a NAME; the command line wins;
a file holding a password that others can read is refused; passwordeval and
--password-command; and invocation as `sendmail` (a cron job's
`sendmail -t -oi -FCron -oem`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import parsed, run, spooled  # noqa: E402
from interop_common import SEND, Servers, check, finish, make_cert, require  # noqa: E402

MSG = ["--to", "b@example.net", "--subject", "cfg", "--body", "hi"]


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def main():
    require("aiosmtpd", "openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        spool_plain = s.dir("plain")
        plain = s.aiosmtpd(spool_plain, "none")
        spool_tls = s.dir("tls")
        tls = s.aiosmtpd(spool_tls, "starttls", cert, key, "alice", "secret")
        config = os.path.join(s.tmp, "conf", "smtpcore")
        write(config, """# msmtp syntax
defaults
tls_trust_file %s
timeout 20

account local
host 127.0.0.1
port %d
tls off
from local@example.org
domain client.example

account work
host localhost
port %d
tls on
tls_starttls on
auth on
user alice
password secret
from alice@example.org

account evalled : work
password
passwordeval printf 'secret\\n'

account default : local
""" % (cert, plain, tls))

        def sent(spool):
            return len([f for f in os.listdir(spool) if f.endswith(".eml")])

        code, _, err, _ = run(["--config", config] + MSG)
        check("--config: the default account: exit 0", code == 0, err)
        got = spooled(spool_plain, 1)
        check("--config: default account's host, port and from", got is not None and got[1][0] == "local@example.org",
              str(got and got[1]))
        code, _, err, _ = run(["--config", config, "-a", "work"] + MSG)
        check("-a work: STARTTLS, AUTH, the trust file: exit 0", code == 0, err)
        check("-a work: delivered there", sent(spool_tls) == 1)
        code, _, err, _ = run(["--config", config, "--account", "evalled"] + MSG)
        check("passwordeval: exit 0", code == 0, err)
        code, _, err, _ = run(["--config", config, "-a", "work", "--from", "override@example.org"] + MSG)
        check("the command line wins over the file",
              code == 0 and spooled(spool_tls, sent(spool_tls))[1][0] == "override@example.org", err)
        code, _, err, _ = run(["--config", config, "-a", "nosuch"] + MSG)
        check("unknown account: exit 78", code == 78 and "nosuch" in err, "%d: %s" % (code, err))
        bad = os.path.join(s.tmp, "conf", "bad")
        write(bad, "account x\nhost 127.0.0.1\nfrobnicate yes\n")
        code, _, err, _ = run(["--config", bad] + MSG)
        check("unknown setting: exit 78 naming the line", code == 78 and "bad:3" in err, "%d: %s" % (code, err))

        # A password in a file others can read is refused (msmtp's rule).
        os.chmod(config, 0o644)
        code, _, err, _ = run(["--config", config, "-a", "work"] + MSG)
        check("password file readable by others: exit 78", code == 78 and "chmod 600" in err, "%d: %s" % (code, err))
        os.chmod(config, 0o600)

        # Where the file is looked for: $SMTPCORE_CONFIG, ~/.config/smtpcore/config, ~/.msmtprc.
        home = s.dir("home")
        code, _, err, _ = run(MSG, env={"SMTPCORE_CONFIG": config, "HOME": home})
        check("$SMTPCORE_CONFIG is read", code == 0, err)
        write(os.path.join(home, ".msmtprc"), "account m\nhost 127.0.0.1\nport %d\ntls off\nfrom msmtprc@example.org\n" % plain)
        code, _, err, _ = run(MSG, env={"HOME": home, "SMTPCORE_CONFIG": ""})
        n = sent(spool_plain)
        check("~/.msmtprc is read", code == 0 and spooled(spool_plain, n)[1][0] == "msmtprc@example.org", err)
        write(os.path.join(home, ".config", "smtpcore", "config"),
              "account c\nhost 127.0.0.1\nport %d\ntls off\nfrom xdg@example.org\n" % plain)
        code, _, err, _ = run(MSG, env={"HOME": home, "SMTPCORE_CONFIG": ""})
        n = sent(spool_plain)
        check("~/.config/smtpcore/config before ~/.msmtprc", code == 0 and spooled(spool_plain, n)[1][0] == "xdg@example.org", err)

        # --password-command (no configuration file in this HOME).
        home = s.dir("empty-home")
        code, _, err, _ = run(["--server", "localhost:%d" % tls, "--ca-file", cert, "--user", "alice",
                               "--password-command", "echo secret", "--from", "a@example.org"] + MSG, env={"HOME": home})
        check("--password-command: exit 0", code == 0, err)
        code, _, err, _ = run(["--server", "localhost:%d" % tls, "--ca-file", cert, "--user", "alice",
                               "--password-command", "exit 3", "--from", "a@example.org"] + MSG, env={"HOME": home})
        check("--password-command failing: exit 66", code == 66 and "exit 3" in err, "%d: %s" % (code, err))

        # Invoked as sendmail (a link, like msmtp's): -t implied; a cron job's command line.
        link = os.path.join(s.tmp, "bin", "sendmail")
        os.makedirs(os.path.dirname(link))
        os.symlink(SEND, link)
        before = sent(spool_plain)
        code, _, err, _ = run(["-t", "-oi", "-FCron", "-oem"], argv0=link, env={"SMTPCORE_CONFIG": config},
                              stdin=b"To: root@example.net\nSubject: cron output\n\nall done\n")
        check("sendmail -t -oi -FCron -oem (a link): exit 0", code == 0, err)
        code, _, err, _ = run(["root@example.net"], argv0=link, env={"SMTPCORE_CONFIG": config},
                              stdin=b"Subject: no -t\n\nrecipient from the operand\n")
        check("sendmail RECIPIENT (a link, -t implied): exit 0", code == 0, err)
        if sent(spool_plain) == before + 2:
            m = parsed(spooled(spool_plain, before + 1)[0])
            check("sendmail link: From from the account and -F", m["From"].addresses[0].addr_spec == "local@example.org"
                  and m["From"].addresses[0].display_name == "Cron", str(m["From"]))
        else:
            check("sendmail link: both delivered", False, str(os.listdir(spool_plain)))
    finish()


if __name__ == "__main__":
    main()
