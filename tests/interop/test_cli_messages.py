#!/usr/bin/env python3
"""Messages a person can act on, and the header options (issue 12; issue 10
item 15): the server's code and enhanced code shown, hints for STARTTLS not
offered, port 465 without --tls implicit and 530, EX_NOHOST, no stray
"Bye"; --header rules (Return-Path refused with the reason, Date and
Message-ID replacing the generated ones, Reply-To), --reply-to,
comma-separated address lists, address errors naming the value, and
quoted display names escaped once."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, parsed, run, server_args, spooled  # noqa: E402
from interop_common import HERE, PYTHON, Servers, check, finish, make_cert, require  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "s", "--body", "hi"]


def expect(name, got, want, err, text=None):
    check("%s: exit %d" % (name, want), got == want, "got %d: %s" % (got, err.strip()))
    if text:
        check("%s: says '%s'" % (name, text), text in err, err.strip())


def port465_free():
    try:
        probe = socket.socket()
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", 465))
        probe.close()
        return True
    except OSError:
        return False


def main():
    require("aiosmtpd", "openssl")
    with Servers() as s:
        cert, key = make_cert(s.tmp)
        pw = os.path.join(s.tmp, "pw")
        with open(pw, "w") as f:
            f.write("wrong\n")

        # 535 with its code and enhanced code, and no ": Bye" after it.
        port = s.aiosmtpd(s.dir("auth"), "none", user="alice", password="secret")
        code, _, err, _ = run(server_args(port) + ["--user", "alice", "--password-file", pw,
                                                   "--allow-plaintext-auth"] + BASE)
        expect("wrong password", code, 77, err, "535 5.7.8")
        check("wrong password: no stray ': Bye'", "Bye" not in err, err)

        # A message over the server's SIZE, refused before MAIL: the 221 to QUIT is not appended.
        port, _ = cli_server(s, "small", "--size-limit", "1000")
        code, _, err, _ = run(server_args(port) + ["--from", "a@example.org", "--to", "b@example.net", "--body", "x" * 5000])
        expect("over the server's SIZE", code, 69, err, "SIZE")
        check("over the server's SIZE: no stray ': Bye'", "Bye" not in err, err)

        # 550 5.1.1 per recipient.
        port = s.aiosmtpd(s.dir("refuse"), refuse="nobody")
        code, _, err, _ = run(server_args(port) + ["--from", "a@example.org", "--to", "nobody@example.net", "--body", "x"])
        expect("refused recipient", code, 69, err, "550 5.1.1")

        # 530: authentication required -> 77 and a hint naming --user.
        port, _ = cli_server(s, "needauth", "--auth-required")
        code, _, err, _ = run(server_args(port) + BASE)
        expect("530 authentication required", code, 77, err, "--user")
        check("530 shown with its code", "530" in err, err)

        # STARTTLS required but not offered: the hint names --tls none and --tls implicit.
        port, _ = cli_server(s, "plain")
        code, _, err, _ = run(["--server", "127.0.0.1:%d" % port] + BASE)
        expect("STARTTLS not offered", code, 76, err, "--tls none")
        check("STARTTLS not offered: suggests --tls implicit", "--tls implicit" in err, err)

        # --tls starttls to an implicit-TLS server on port 465 waits briefly, then suggests --tls implicit.
        # (Port 465 itself may be taken or privileged; the rule is tested with --timeout on any port.)
        port = s.aiosmtpd(s.dir("implicit"), "implicit", cert, key)
        code, _, err, secs = run(["--server", "127.0.0.1:%d" % port, "--ca-file", cert, "--timeout", "2"] + BASE)
        expect("STARTTLS against implicit TLS", code, 75, err, "--tls implicit")
        check("STARTTLS against implicit TLS: gave up within seconds", secs < 10, "%.1f s" % secs)

        # On port 465 itself (when this runner may bind it) no --timeout is needed: 5 s, then the hint.
        if port465_free():
            p = s.start([PYTHON, os.path.join(HERE, "aiosmtpd_server.py"), "--spool", s.dir("465"), "--tls", "implicit",
                         "--cert", cert, "--key", key, "--port", "465", "--lifetime", "60"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            if p.stdout.readline().startswith("READY"):
                code, _, err, secs = run(["--server", "127.0.0.1:465", "--ca-file", cert] + BASE, timeout=30)
                expect("--tls starttls against port 465", code, 75, err, "port 465 expects TLS from the first byte")
                check("--tls starttls against port 465: about 5 s, not 5 minutes", 4 < secs < 15, "%.1f s" % secs)
        else:
            print("port 465 cannot be bound here: its check is skipped (the --timeout case above holds the hint)")

        # Names that do not resolve: EX_NOHOST.
        code, _, err, _ = run(["--server", "no-such-host.invalid:587", "--tls", "none"] + BASE)
        expect("unknown host", code, 68, err, "no-such-host.invalid")

        # Headers.
        port, spool = cli_server(s, "headers")
        n = 0
        code, _, err, _ = run(server_args(port) + BASE + ["--header", "Return-Path: <x@example.org>"])
        expect("--header Return-Path", code, 64, err, "RFC 5321")
        allowed = ["In-Reply-To: <a1@example.org>", "References: <a0@example.org> <a1@example.org>",
                   "List-Id: <list.example.org>", "Auto-Submitted: auto-generated",
                   "X-Mailer-Test: yes", "Content-Language: en, de-CH", "Content-Description: a short note",
                   "Reply-To: Replies <r@example.org>",
                   "Date: Mon, 23 Nov 2026 10:00:00 +0100", "Message-ID: <given@example.org>"]
        args = []
        for h in allowed:
            args += ["--header", h]
        code, _, err, _ = run(server_args(port) + BASE + args + ["--reply-to", "other@example.org"])
        expect("allowed --header fields", code, 0, err)
        if code == 0:
            n += 1
            raw = spooled(spool, n)[0]
            m = parsed(raw)
            for h in allowed[:7]:
                name, value = h.split(": ", 1)
                check("--header %s arrives" % name, str(m[name]) == value, str(m[name]))
            check("--header Date replaces the generated one", raw.count(b"\r\nDate:") + raw.startswith(b"Date:") == 1
                  and str(m["Date"]) == "Mon, 23 Nov 2026 10:00:00 +0100", str(m["Date"]))
            check("--header Message-ID replaces the generated one", raw.count(b"Message-ID:") == 1 and
                  str(m["Message-ID"]) == "<given@example.org>", str(m["Message-ID"]))
            check("--reply-to and --header Reply-To", sorted(a.addr_spec for a in m["Reply-To"].addresses) ==
                  ["other@example.org", "r@example.org"], str(m["Reply-To"]))

        # Content-* other than Content-Language and Content-Description is the MIME writer's.
        code, _, err, _ = run(server_args(port) + BASE + ["--header", "Content-Type: text/html"])
        expect("--header Content-Type", code, 65, err, "Content-Type")

        # Sender, In-Reply-To and References go to the writer's own fields: message ids are never
        # encoded, even when "In-Reply-To: <id>" is longer than 78 columns, and the reply threads.
        long_id = "<" + "thread-" + "0123456789" * 4 + "@lists.example.org>"
        assert len(long_id) == 67
        code, _, err, _ = run(server_args(port) + BASE + ["--header", "Message-ID: " + long_id])
        expect("parent with a 67-character Message-ID", code, 0, err)
        n += 1 if code == 0 else 0
        parent = parsed(spooled(spool, n)[0]) if code == 0 else None
        code, _, err, _ = run(server_args(port) + BASE + ["--header", "Sender: Mailing Agent <agent@example.org>",
                                                          "--header", "In-Reply-To: " + long_id,
                                                          "--header", "References: <root@example.org>",
                                                          "--header", "References: " + long_id[1:-1]])
        expect("--header Sender/In-Reply-To/References", code, 0, err)
        if code == 0 and parent is not None:
            n += 1
            raw = spooled(spool, n)[0]
            m = parsed(raw)
            head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").replace(b"\r\n\t", b"\t")
            lines = {ln.split(b":", 1)[0].lower(): ln for ln in head.split(b"\r\n")}
            check("--header Sender arrives", m["Sender"] is not None and m["Sender"].address.addr_spec == "agent@example.org"
                  and m["Sender"].address.display_name == "Mailing Agent", str(m["Sender"]))
            check("67-character In-Reply-To arrives unencoded", lines.get(b"in-reply-to") == b"In-Reply-To: " + long_id.encode(),
                  repr(lines.get(b"in-reply-to")))
            check("References: every --header's ids, in order, unencoded",
                  lines.get(b"references", b"").split(b":", 1)[-1].split() == [b"<root@example.org>", long_id.encode()],
                  repr(lines.get(b"references")))
            check("the reply threads: In-Reply-To is the parent's Message-ID",
                  str(m["In-Reply-To"]).strip() == str(parent["Message-ID"]).strip() == long_id, str(m["In-Reply-To"]))
            check("the reply threads: References ends with the parent's Message-ID",
                  str(m["References"]).split()[-1] == str(parent["Message-ID"]).strip(), str(m["References"]))
        code, _, err, _ = run(server_args(port) + BASE + ["--header", "Sender: a@example.org, b@example.org"])
        expect("--header Sender with two mailboxes", code, 64, err, "one mailbox")

        # Comma-separated address lists; quoted commas stay inside the name.
        code, _, err, _ = run(server_args(port) + ["--from", "a@example.org", "--to", '"Doe, Jane" <j@example.net>, k@example.net',
                                                   "--cc", "c1@example.net,c2@example.net", "--bcc", "h1@example.net, h2@example.net",
                                                   "--body", "x"])
        expect("comma-separated lists", code, 0, err)
        if code == 0:
            n += 1
            raw, env, _ = spooled(spool, n)
            m = parsed(raw)
            check("address lists: envelope", sorted(env[1:]) == sorted(["j@example.net", "k@example.net", "c1@example.net",
                                                                          "c2@example.net", "h1@example.net", "h2@example.net"]), str(env))
            check("address lists: quoted comma kept in the name", m["To"].addresses[0].display_name == "Doe, Jane", str(m["To"]))
        code, _, err, _ = run(server_args(port) + ["--from", "a@example.org", "--to", "not-an-address", "--body", "x"])
        expect("bad address", code, 65, err, "not-an-address")

        # Issue 10 item 15: a quoted display name's backslash escapes are not escaped again.
        code, _, err, _ = run(server_args(port) + ["--from", r'"Jane \"JD\" Doe" <a@example.org>', "--to", "b@example.net",
                                                   "--body", "x"])
        expect("quoted display name", code, 0, err)
        if code == 0:
            n += 1
            m = parsed(spooled(spool, n)[0])
            check("quoted display name escaped once", m["From"].addresses[0].display_name == 'Jane "JD" Doe', str(m["From"]))
    finish()


if __name__ == "__main__":
    main()
