#!/usr/bin/env python3
"""sendmail -t as msmtp users know it (issue 12 items 4, 5, 6 and the
sendmail flags): recipients from --to/--cc/--bcc and operands added to the
header's, From/Date/Message-ID added when missing, the message streamed
(memory bounded whatever its size), 8-bit input refused before MAIL by a
server without 8BITMIME, and sendmail's flags accepted."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, parsed, run, server_args, spooled  # noqa: E402
from interop_common import SEND, Servers, check, finish, require  # noqa: E402


def main():
    require("aiosmtpd")
    with Servers() as s:
        port, spool = cli_server(s, "sendmail")
        srv = server_args(port)
        n = 0

        # 4. -t --bcc X: X is a recipient too, and appears in no header.
        msg = b"From: a@example.org\nTo: b@example.net\nSubject: t\n\nbody\n"
        code, _, err, _ = run(srv + ["-t", "--bcc", "hidden@example.net", "--cc", "c@example.net", "op@example.net"],
                              stdin=msg)
        check("-t --bcc: exit 0", code == 0, err)
        if code == 0:
            n += 1
            raw, env, _ = spooled(spool, n)
            check("-t --bcc/--cc/operand: all in the envelope",
                  sorted(env[1:]) == sorted(["b@example.net", "hidden@example.net", "c@example.net", "op@example.net"]),
                  str(env))
            check("-t --bcc: not in any header", b"hidden@example.net" not in raw, raw.decode(errors="replace"))

        # A header address without a domain is refused by name, never dropped.
        code, _, err, _ = run(srv + ["-t"], stdin=b"From: a@example.org\nTo: root, b@example.net\n\nbody\n")
        check("-t To: root: refused naming it (65)", code == 65 and "'root'" in err, "%d: %s" % (code, err))

        # 5. Missing From, Date, Message-ID are added (From from -f and -F).
        code, _, err, _ = run(srv + ["-t", "-f", "cron@example.org", "-F", "Cron Daemon"],
                              stdin=b"To: admin@example.net\nSubject: disk\n\n/var at 97%\n")
        check("-t adds headers: exit 0", code == 0, err)
        if code == 0:
            n += 1
            m = parsed(spooled(spool, n)[0])
            check("-t adds From from -f/-F", m["From"] is not None and m["From"].addresses[0].addr_spec == "cron@example.org"
                  and m["From"].addresses[0].display_name == "Cron Daemon", str(m["From"]))
            check("-t adds Date", m["Date"] is not None and m["Date"].datetime is not None, str(m["Date"]))
            check("-t adds Message-ID", m["Message-ID"] is not None and "@" in str(m["Message-ID"]), str(m["Message-ID"]))
            # The same rules as the writer's own fields (one implementation): 128 random bits at the
            # sender's domain, and the Date within a minute of now in RFC 5322 §3.3 form.
            left, _, right = str(m["Message-ID"]).strip("<>").partition("@")
            check("-t Message-ID: 128 random bits at the sender's domain",
                  len(left) == 32 and all(c in "0123456789abcdef" for c in left) and right == "example.org",
                  str(m["Message-ID"]))
            when = m["Date"].datetime if m["Date"] is not None else None
            check("-t Date: now, with the local offset", when is not None and when.tzinfo is not None and
                  abs(when.timestamp() - time.time()) < 60, str(m["Date"]))
            check("-t keeps the body", m.get_content().replace("\r\n", "\n") == "/var at 97%\n", repr(m.get_content()))
        # Existing fields are kept, not duplicated.
        code, _, err, _ = run(srv + ["-t"], stdin=b"From: x@example.org\nTo: y@example.net\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n"
                                                   b"Message-ID: <kept@example.org>\n\nb\n")
        if code == 0:
            n += 1
            raw = spooled(spool, n)[0]
            check("-t keeps a given Date and Message-ID, once", raw.count(b"Date:") == 1 and raw.count(b"Message-ID:") == 1
                  and b"<kept@example.org>" in raw, raw.decode(errors="replace"))
        else:
            check("-t with all fields: exit 0", False, err)

        # 5. -t streams: a 64 MiB message with a bounded resident set (the kernel's high-water
        # mark, VmHWM, read until the process exits).
        big = os.path.join(s.tmp, "big.eml")
        with open(big, "wb") as f:
            f.write(b"From: a@example.org\nTo: b@example.net\nSubject: big\n\n")
            line = b"x" * 70 + b"\n"
            for _ in range(64 * 1024 * 1024 // len(line) // 1024):
                f.write(line * 1024)

        def peak_kb(p):
            peak = 0
            while p.poll() is None:
                try:
                    with open("/proc/%d/status" % p.pid) as status:
                        for field in status:
                            if field.startswith("VmHWM:"):
                                peak = max(peak, int(field.split()[1]))
                except OSError:
                    pass
                time.sleep(0.005)
            return peak

        for how in ("a file", "a pipe"):
            if how == "a file":
                with open(big, "rb") as f:
                    p = subprocess.Popen([SEND] + srv + ["-t", "-i"], stdin=f, stderr=subprocess.DEVNULL)
                    kb = peak_kb(p)
            else:
                cat = subprocess.Popen(["cat", big], stdout=subprocess.PIPE)
                p = subprocess.Popen([SEND] + srv + ["-t", "-i"], stdin=cat.stdout, stderr=subprocess.DEVNULL)
                cat.stdout.close()
                kb = peak_kb(p)
                cat.wait()
            n += 1 if p.returncode == 0 else 0
            check("-t 64 MiB from %s: exit 0" % how, p.returncode == 0, str(p.returncode))
            check("-t 64 MiB from %s: peak resident %d KB, under 16 MB" % (how, kb), 0 < kb < 16 * 1024)
        got = spooled(spool, n)
        check("-t 64 MiB arrives whole", got is not None and len(got[0]) > 64 * 1024 * 1024 - 4096,
              str(len(got[0]) if got else None))

        # 6. 8-bit raw message, server without 8BITMIME: refused before MAIL, nothing sent.
        port7, spool7 = cli_server(s, "seven", "--no-8bitmime")
        code, _, err, _ = run(server_args(port7) + ["-t"], stdin="From: a@example.org\nTo: b@example.net\n\ncaf\u00e9\n".encode())
        check("8-bit -t to a server without 8BITMIME: exit 65", code == 65, "%d: %s" % (code, err))
        check("8-bit -t to a server without 8BITMIME: says why", "8BITMIME" in err, err)
        check("8-bit -t to a server without 8BITMIME: nothing sent", not os.listdir(spool7), str(os.listdir(spool7)))
        code, _, err, _ = run(server_args(port7) + ["-t"], stdin=b"From: a@example.org\nTo: b@example.net\n\nplain\n")
        check("7-bit -t to a server without 8BITMIME: exit 0", code == 0, err)

        # Clustered flags (getopt style) and the null reverse-path for bounces.
        code, _, err, _ = run(srv + ["-ti", "-f", "<>"], stdin=b"From: daemon@example.org\nTo: b@example.net\n\n.\nbounce\n")
        check("-ti -f '<>': exit 0", code == 0, err)
        if code == 0:
            n += 1
            raw, env, _ = spooled(spool, n)
            check("-ti: -i applies (a lone dot is data)", b"bounce" in raw, raw.decode(errors="replace"))
            check("-f '<>': the null reverse-path", env[0] == "<>" or env[0] == "", str(env))

        # sendmail's flags, attached and separate values, and -- before operands.
        code, _, err, _ = run(srv + ["-t", "-oi", "-FCron", "-oem", "-odi", "-oep", "-rroot@example.org", "-B", "8BITMIME",
                                     "-N", "never", "-R", "hdrs", "-V", "envid1", "--", "extra@example.net"],
                              stdin=b"To: admin@example.net\nSubject: cron\n\n.\nafter a dot line\n")
        check("sendmail flags (-oi -FCron -oem -odi -oep -r -B -N -R -V --): exit 0", code == 0, err)
        if code == 0:
            n += 1
            raw, env, _ = spooled(spool, n)
            m = parsed(raw)
            check("-r sets the envelope sender", env[0] == "root@example.org", str(env))
            check("-FCron names the sender", m["From"].addresses[0].display_name == "Cron", str(m["From"]))
            check("-oi: a lone dot line is data", b"after a dot line" in raw, raw.decode(errors="replace"))
            check("operand after -- is a recipient", "extra@example.net" in env, str(env))
    finish()


if __name__ == "__main__":
    main()
