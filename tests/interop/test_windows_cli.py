#!/usr/bin/env python3
"""What only the Windows build of smtpcore-send has to get right, run with
the .exe under wine (scripts/test-windows sets SMTPCORE_SEND): a file name
with non-ASCII letters given on the command line (UTF-16 command line ->
UTF-8 -> _wopen) and a Windows path with backslashes and a drive letter,
whose last component names the attachment; exit codes that depend on the
Windows adapters (an unknown host, the TLS library). --resolver builtin and
--mx are run under wine by test_dns.py and test_dns_mx.py. Wine maps drive
Z: to /."""
import email
import email.policy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers, check, finish, require, send  # noqa: E402


def windows_path(path):
    return "Z:" + path.replace("/", "\\")


def main():
    require("aiosmtpd")
    with Servers() as s:
        spool = s.dir("spool")
        port = s.aiosmtpd(spool)
        name = "t\u00e9st-\u20ac.bin"  # tést-€.bin
        path = os.path.join(s.tmp, name)
        content = b"line\r\n\x1a after Ctrl-Z\r\n" + os.urandom(3000)
        with open(path, "wb") as f:
            f.write(content)
        base = ["--server", "127.0.0.1:%d" % port, "--tls", "none", "--from", "a@example.org",
                "--to", "b@example.net", "--subject", "windows", "--body", "see attachment"]
        for label, arg in (("UTF-8 name", path), ("Windows path", windows_path(path))):
            code, err, _ = send(base + ["--attach", arg])
            check("%s: exit 0" % label, code == 0, err.strip())
            files = sorted(f for f in os.listdir(spool) if f.endswith(".eml"))
            if code != 0 or not files:
                continue
            with open(os.path.join(spool, files[-1]), "rb") as f:
                msg = email.message_from_bytes(f.read(), policy=email.policy.default)
            os.remove(os.path.join(spool, files[-1]))
            parts = list(msg.iter_attachments())
            check("%s: bytes unchanged" % label, len(parts) == 1 and parts[0].get_content() == content)
            check("%s: attachment named %s" % (label, name), len(parts) == 1 and parts[0].get_filename() == name,
                  repr(parts[0].get_filename()) if parts else "no attachment")
        code, err, _ = send(base + ["--attach", os.path.join(s.tmp, "n\u00f6-such-file")])
        check("missing UTF-8 name: exit 66, named in the error", code == 66 and "n\u00f6-such-file" in err, err.strip())
        # GetAddrInfoW's failure is a ResolveError, so the CLI tells an unknown name apart (68).
        code, err, _ = send(["--server", "no-such-host.invalid:25"] + base[2:])
        check("unknown host: exit 68", code == 68 and "no-such-host.invalid" in err, "exit %d: %s" % (code, err.strip()))
        # One selection point: Schannel is the default and the only library built; the others are usage errors.
        code, err, _ = send(base + ["--tls-library", "openssl"])
        check("--tls-library openssl: exit 64, not built", code == 64 and "not built" in err, err.strip())
    finish()


if __name__ == "__main__":
    main()
