"""Delivery through MX records, end to end: unbound publishes MX records for
test domains pointing at loopback SMTP servers (one answers 421, one refuses
the recipient with 550, one takes the message), and tests/dns/mx_deliver
sends through them with the builtin resolver and deliver_via_mx(): hosts in
preference order, the next one after a temporary failure, none after a
permanent one, the implicit MX, none after an outcome that may have been a delivery,
and no connection at all for a null MX."""
import os
import shlex
import socket
import socketserver
import subprocess
import sys
import threading

from interop_common import Servers, check, finish, require, send
from dns_servers import unbound

MX_DELIVER = shlex.split(os.environ.get("SMTPCORE_MX_DELIVER", "mx_deliver"))  # a command line, as SMTPCORE_DNS_PROBE


class Smtp(socketserver.StreamRequestHandler):
    """A tiny SMTP server; its behaviour comes from the server's `mode`."""

    def handle(self):
        server = self.server
        server.connections += 1
        if server.mode == "busy":
            self.wfile.write(b"421 4.3.2 busy, try another MX\r\n")
            return
        self.wfile.write(b"220 stub ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 stub\r\n")
            elif verb == b"MAIL":
                self.wfile.write(b"250 2.1.0 ok\r\n")
            elif verb == b"RCPT":
                self.wfile.write(b"550 5.1.1 no such user\r\n" if server.mode == "refuse" else b"250 2.1.5 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                server.messages.append(data)
                if server.mode == "drop":  # the end of data arrived, the reply never leaves
                    return
                self.wfile.write(b"250 2.0.0 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def smtp_server(address, port, mode):
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    s = socketserver.ThreadingTCPServer((address, port), Smtp)
    s.daemon_threads = True
    s.mode, s.connections, s.messages = mode, 0, []
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s


def common_port(addresses):
    """A port free on every one of `addresses` (all MX hosts share --mx-port)."""
    for _ in range(50):
        probe = socket.socket()
        probe.bind((addresses[0], 0))
        port = probe.getsockname()[1]
        probe.close()
        try:
            for a in addresses:
                t = socket.socket()
                t.bind((a, port))
                t.close()
            return port
        except OSError:
            continue
    raise RuntimeError("no common free port")


def deliver(ns, port, domain):
    r = subprocess.run(MX_DELIVER + ["--nameserver", "127.0.0.1:%d" % ns, "--mx-port", str(port),
                        "--from", "sender@example.org", "--to", "user@" + domain, domain],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    return r.returncode, r.stdout


def main():
    require("unbound")
    if not os.path.exists(os.environ.get("SMTPCORE_SEND", "")):
        print("skipped: SMTPCORE_SEND does not name smtpcore-send")
        sys.exit(77)
    busy_ip, good_ip, refuse_ip, drop_ip = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"
    port = common_port([busy_ip, good_ip, refuse_ip, drop_ip])
    busy, good, refusing = smtp_server(busy_ip, port, "busy"), smtp_server(good_ip, port, "ok"), \
        smtp_server(refuse_ip, port, "refuse")
    dropping = smtp_server(drop_ip, port, "drop")
    with Servers() as s:
        ns = unbound(s, [
            "mail.test. MX 10 mx1.mail.test.", "mail.test. MX 20 mx2.mail.test.",
            "mx1.mail.test. A %s" % busy_ip, "mx2.mail.test. A %s" % good_ip,
            "perm.test. MX 10 mx3.perm.test.", "perm.test. MX 20 mx2.mail.test.", "mx3.perm.test. A %s" % refuse_ip,
            "unknown.test. MX 10 mx4.unknown.test.", "unknown.test. MX 20 mx2.mail.test.",
            "mx4.unknown.test. A %s" % drop_ip,
            "nomail.test. MX 0 .", "implicit.test. A %s" % good_ip, "host.example.test. A 127.0.0.1",
        ], zones=("mail.test.", "perm.test.", "unknown.test.", "nomail.test.", "implicit.test.", "example.test."))

        code, out = deliver(ns, port, "mail.test")
        check("MX: the first host (421) is tried, then the second takes the message",
              code == 0 and busy.connections == 1 and len(good.messages) == 1, "exit %d\n%s" % (code, out))
        check("MX: each attempt reported in order",
              out.index("attempt mx1.mail.test %s temporary failure" % busy_ip) <
              out.index("attempt mx2.mail.test %s delivered" % good_ip), out)
        check("MX: the message arrived intact", b"delivered by MX" in (good.messages or [b""])[0], str(good.messages))

        code, out = deliver(ns, port, "perm.test")
        check("MX: a permanent refusal stops the loop (no second host)",
              code == 69 and refusing.connections == 1 and len(good.messages) == 1, "exit %d\n%s" % (code, out))

        code, out = deliver(ns, port, "implicit.test")
        check("no MX: the implicit MX (the domain itself) takes it",
              code == 0 and "verdict implicit" in out and len(good.messages) == 2, "exit %d\n%s" % (code, out))

        code, out = deliver(ns, port, "unknown.test")
        check("MX: after an outcome that may have been a delivery, no other host is tried",
              code == 75 and len(dropping.messages) == 1 and len(good.messages) == 2 and "result unknown" in out,
              "exit %d\n%s" % (code, out))

        before = busy.connections + good.connections + refusing.connections
        code, out = deliver(ns, port, "nomail.test")
        check("null MX: permanent, without any connection",
              code == 69 and "verdict no-mail" in out and busy.connections + good.connections + refusing.connections == before,
              "exit %d\n%s" % (code, out))

        # The same through smtpcore-send --mx: 421 from the first MX, delivered by the second.
        busy_before, good_before = busy.connections, len(good.messages)
        args = ["--mx", "--nameserver", "127.0.0.1:%d" % ns, "--mx-port", str(port),
                "--from", "sender@example.org", "--body", "sent with --mx"]
        code, err, _ = send(args + ["--to", "user@mail.test"])
        check("smtpcore-send --mx: past the 421 of the first MX, the second takes the message",
              code == 0 and busy.connections == busy_before + 1 and len(good.messages) == good_before + 1
              and b"sent with --mx" in good.messages[-1], "exit %d: %s" % (code, err))
        check("smtpcore-send --mx reports each attempt",
              "MX mx1.mail.test (%s:%d)" % (busy_ip, port) in err and "MX mx2.mail.test (%s:%d)" % (good_ip, port) in err
              and "421" in err, err)
        code, err, _ = send(args + ["--to", "user@nomail.test"])
        check("smtpcore-send --mx to a null MX: exit 69, no connection",
              code == 69 and "accepts no mail" in err, "exit %d: %s" % (code, err))
        code, err, _ = send(args + ["--to", "a@mail.test", "--to", "b@perm.test"])
        check("smtpcore-send --mx: recipients at two domains are a usage error", code == 64, "exit %d: %s" % (code, err))

        code, out = deliver(ns, port, "missing.mail.test")
        check("NXDOMAIN: permanent", code == 69 and "verdict no-such-domain" in out, "exit %d\n%s" % (code, out))
    for srv in (busy, good, refusing, dropping):
        srv.shutdown()
    finish()


if __name__ == "__main__":
    sys.exit(main())
