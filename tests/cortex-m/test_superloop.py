#!/usr/bin/env python3
"""The superloop firmware (examples/superloop) on QEMU's emulated Cortex-M4
(mps2-an386) sends its "diagnostics to support" mail through UART0, which
QEMU connects to a loopback aiosmtpd asking for AUTH PLAIN. Checks: the
firmware reports success through semihosting; the server got exactly the
octets the same MIME writer produces on the host (byte for byte), from the
device to support; the attachment is the report the device generated.
Usage: test_superloop.py WORK_DIR (built by build-superloop)."""
import email
import email.policy
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from interop_common import Servers, check, finish, require  # noqa: E402


def expected_report():
    """diagnostics.csv as DiagnosticsReport generates it (diagnostics_mail.cpp)."""
    lines = ["sample,uptime_ms,temperature_mC,supply_mV,errors"]
    for i in range(400):
        lines.append("%d,%d,%d,%d,%d" % (i, i * 250, 36000 + (i * 37) % 900, 3300 - (i * 13) % 40, i // 97))
    return ("\r\n".join(lines) + "\r\n").encode()


def main():
    require("aiosmtpd", "qemu-system-arm")
    work = sys.argv[1]
    subprocess.run([os.path.join(HERE, "build-superloop"), work], check=True, timeout=600)
    reference = subprocess.run([os.path.join(work, "reference")], stdout=subprocess.PIPE, check=True, timeout=30).stdout
    with Servers() as s:
        spool = s.dir("spool")
        port = s.aiosmtpd(spool, "none", user="device7", password="s3cret")
        try:
            run = subprocess.run(["qemu-system-arm", "-M", "mps2-an386", "-nographic", "-monitor", "none",
                                  "-semihosting-config", "enable=on,target=native",
                                  "-serial", "tcp:127.0.0.1:%d" % port, "-kernel", os.path.join(work, "superloop.elf")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            out, code = run.stdout.decode(errors="replace"), run.returncode
        except subprocess.TimeoutExpired:
            out, code = "timed out after 120 s", -1
        print(out.strip())
        check("firmware: exit 0 and 'support accepted'", code == 0 and "support accepted" in out, out)
        eml, env = os.path.join(spool, "1.eml"), os.path.join(spool, "1.env")
        check("one message arrived", os.path.exists(eml) and not os.path.exists(os.path.join(spool, "2.eml")))
        if os.path.exists(eml):
            with open(eml, "rb") as f:
                got = f.read()
            check("byte for byte what the host's MIME writer writes for the device", got == reference,
                  "got %d octets, expected %d" % (len(got), len(reference)))
            with open(env) as f:
                check("envelope: device7 to support", f.read().split() == ["device7@example.com", "support@example.com"])
            msg = email.message_from_bytes(got, policy=email.policy.default)
            check("Subject", msg["Subject"] == "Diagnostics from device7", str(msg["Subject"]))
            text = msg.get_body(("plain",))
            check("text part", text is not None and "this is device7" in text.get_content())
            parts = list(msg.iter_attachments())
            check("the generated attachment, intact", len(parts) == 1 and parts[0].get_filename() == "diagnostics.csv"
                  and parts[0].get_payload(decode=True) == expected_report())
    finish()


if __name__ == "__main__":
    main()
