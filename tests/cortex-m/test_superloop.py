#!/usr/bin/env python3
"""The superloop firmware (examples/superloop) on QEMU's emulated Cortex-M4
(mps2-an386) resolves its relay's name with the builtin resolver through
UART1, which QEMU connects to a bridge forwarding the DNS messages to a
loopback unbound; then it has UART0, connected to a dialling bridge, reach
the address found, where a loopback aiosmtpd asks for AUTH PLAIN, and sends
its "diagnostics to support" mail (link_bridges.py). Checks: the device
asked for the relay's name and dialled the address unbound gave; the
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
from dns_servers import unbound  # noqa: E402
from link_bridges import DialBridge, DnsBridge  # noqa: E402

# The relay's address as unbound publishes it; the firmware knows only the name.
RELAY_ADDRESS = "127.0.0.1"


def expected_report():
    """diagnostics.csv as DiagnosticsReport generates it (diagnostics_mail.cpp)."""
    lines = ["sample,uptime_ms,temperature_mC,supply_mV,errors"]
    for i in range(400):
        lines.append("%d,%d,%d,%d,%d" % (i, i * 250, 36000 + (i * 37) % 900, 3300 - (i * 13) % 40, i // 97))
    return ("\r\n".join(lines) + "\r\n").encode()


def main():
    require("aiosmtpd", "qemu-system-arm", "unbound")
    work = sys.argv[1]
    subprocess.run([os.path.join(HERE, "build-superloop"), work], check=True, timeout=600)
    reference = subprocess.run([os.path.join(work, "reference")], stdout=subprocess.PIPE, check=True, timeout=30).stdout
    with Servers() as s:
        spool = s.dir("spool")
        port = s.aiosmtpd(spool, "none", user="device7", password="s3cret")
        dns_port = unbound(s, ["relay.example.test. A " + RELAY_ADDRESS, "relay.example.test. AAAA ::1"])
        dns_link, dial_link = DnsBridge(dns_port), DialBridge({587: port})
        try:
            run = subprocess.run(["qemu-system-arm", "-M", "mps2-an386", "-nographic", "-monitor", "none",
                                  "-semihosting-config", "enable=on,target=native",
                                  "-serial", "tcp:127.0.0.1:%d" % dial_link.port,
                                  "-serial", "tcp:127.0.0.1:%d" % dns_link.port,
                                  "-kernel", os.path.join(work, "superloop.elf")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            out, code = run.stdout.decode(errors="replace"), run.returncode
        except subprocess.TimeoutExpired:
            out, code = "timed out after 120 s", -1
        finally:
            dns_link.close()
            dial_link.close()
        print(out.strip())
        check("the device asked for its relay's name",
              [q.lower() for q in dns_link.questions] == ["relay.example.test"], str(dns_link.questions))
        check("it dialled the address unbound gave, port 587",
              dial_link.dialled == ["CONNECT %s 587" % RELAY_ADDRESS], str(dial_link.dialled))
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
