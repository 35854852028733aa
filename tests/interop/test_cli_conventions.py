#!/usr/bin/env python3
"""Command-line conventions (issue 12): --help on stdout with exit 0,
--version, --option=value, "--", the man page built from its one source and
documenting every option (as docs/cli.md does), and the progress bar rules
(a terminal only, out of the -v transcript's way, 100% only when the
message was accepted)."""
import os
import pty
import re
import select
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import cli_server, run, spooled  # noqa: E402
from interop_common import HERE, SEND, Servers, check, finish, require  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))


def with_terminal_stderr(args):
    """Runs smtpcore-send with stderr on a pseudo-terminal; returns (exit code, what it drew)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([SEND] + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(30), out.decode(errors="replace")


def main():
    require("aiosmtpd", "smtp-sink")
    with Servers() as s:
        code, out, err, _ = run(["--help"])
        check("--help: exit 0", code == 0, str(code))
        check("--help: usage on stdout, nothing on stderr", "usage:" in out and err == "", err)
        code, out, err, _ = run(["--version"])
        check("--version: exit 0 and the version", code == 0 and re.match(r"smtpcore-send \d+\.\d+", out) is not None, out + err)

        port, spool = cli_server(s, "conv")
        code, _, err, _ = run(["--server=127.0.0.1:%d" % port, "--tls=none", "--from=a@example.org", "--to=b@example.net",
                               "--subject=equals", "--body=x"])
        check("--option=value: exit 0", code == 0, err)
        check("--option=value: delivered", spooled(spool, 1) is not None)
        code, _, err, _ = run(["--server", "127.0.0.1:%d" % port, "--tls", "none", "--from", "a@example.org",
                               "--to", "b@example.net", "--body", "x", "--", "--not-an-option"])
        check("after --, an operand is not an option", code == 64 and "unexpected argument --not-an-option" in err, err)
        code, _, err, _ = run(["--tls=none", "--insecure=yes"])
        check("a flag given a value is a usage error", code == 64 and "takes no value" in err, err)

        # The man page documents every option; so does docs/cli.md.
        with open(os.path.join(ROOT, "tools", "smtpcore-send", "options.cpp")) as f:
            source = f.read()
        options = set(re.findall(r'"(--[a-z][a-z0-9-]+)"', source)) - {"--password"}
        options |= {o for o in re.findall(r'arg == "(-[a-zA-Z])"', source)}
        _, usage, _, _ = run(["--help"])
        with open(os.path.join(ROOT, "docs", "cli.md")) as f:
            cli_md = f.read()
        man = os.environ.get("SMTPCORE_MAN", "")
        if man and os.path.exists(man):
            with open(man) as f:  # roff as scdoc writes it: font escapes and \& removed
                man_text = re.sub(r"\\f[BIRP]|\\&", "", f.read()).replace("\\-", "-")
            missing = sorted(o for o in options if o not in man_text)
            check("man page: built and documents every option", not missing, "missing: %s" % missing)
            check("man page: --dump-server-bytes documented", "--dump-server-bytes" in man_text)
        else:
            print("man page not built (scdoc missing): its checks are skipped")
        missing = sorted(o for o in options if o not in cli_md)
        check("docs/cli.md documents every option", not missing, "missing: %s" % missing)
        long_missing = sorted(o for o in options if o.startswith("--") and o not in usage)
        check("--help names every long option", not long_missing, "missing: %s" % long_missing)

        # Progress bar: over 1 MiB, on a terminal.
        big = os.path.join(s.tmp, "big.bin")
        with open(big, "wb") as f:
            f.write(os.urandom(3 * 1024 * 1024))
        base = ["--tls", "none", "--from", "a@example.org", "--to", "b@example.net", "--body", "x", "--attach", big]
        code, drawn = with_terminal_stderr(["--server", "127.0.0.1:%d" % port] + base)
        check("progress bar: accepted message reaches 100%", code == 0 and "100%" in drawn, repr(drawn[-200:]))
        check("progress bar: counts against the known total", "of 3.0 MiB" in drawn, repr(drawn[-200:]))
        sink = s.smtp_sink(["-f", "."])  # 5xx to the end of data
        code, drawn = with_terminal_stderr(["--server", "127.0.0.1:%d" % sink] + base)
        check("progress bar: refused message never shows 100%", code == 69 and "100%" not in drawn and "%" in drawn,
              repr(drawn[-300:]))
        code, drawn = with_terminal_stderr(["--server", "127.0.0.1:%d" % port, "-v"] + base)
        # What a terminal shows of each line: the text after its last carriage return.
        visible = [line.split("\r")[-1].replace("\x1b[K", "") for line in drawn.split("\n")]
        mixed = [v for v in visible if "%" in v and re.search(r"(^|\s)[<>*] ", v)]
        check("progress bar with -v: drawn, and steps aside for every transcript line",
              code == 0 and "100%" in drawn and "\x1b[K" in drawn and not mixed, repr(mixed[:3] or drawn[-300:]))
    finish()


if __name__ == "__main__":
    main()
