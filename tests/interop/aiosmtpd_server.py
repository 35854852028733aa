#!/usr/bin/env python3
"""A loopback SMTP server for the interop tests and scripts/demo, on aiosmtpd
(Debian's python3-aiosmtpd): plaintext, STARTTLS or implicit TLS, optional
AUTH PLAIN/LOGIN, refusable recipients. Every message is saved as
SPOOL/N.eml (the content as received, dot-unstuffed) and SPOOL/N.env
(MAIL FROM then one RCPT per line). Prints "READY <port>" when listening and
runs until killed or --lifetime seconds pass."""
import argparse
import logging
import warnings
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Spool:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = refuse
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse in address:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write("\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n")
        return f"250 2.0.0 Ok: queued as {self.count}"


def main():
    warnings.filterwarnings("ignore")  # aiosmtpd's deprecation notes are not ours
    logging.disable(logging.WARNING)
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--spool", required=True)
    p.add_argument("--refuse", help="refuse recipients containing this text with 550")
    p.add_argument("--lifetime", type=float, default=600)
    a = p.parse_args()

    context = None
    if a.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
        # handled=False: aiosmtpd sends the 535 itself (True means "already answered").
        return AuthResult(success=ok, handled=False)

    kwargs = dict(hostname="127.0.0.1", port=a.port or 0, server_hostname="localhost",
                  data_size_limit=64 * 1024 * 1024)
    if a.user:
        kwargs.update(authenticator=authenticator, auth_required=True,
                      # aiosmtpd only knows about STARTTLS; with implicit TLS the
                      # whole session is encrypted already.
                      auth_require_tls=(a.tls == "starttls"))
    if a.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif a.tls == "implicit":
        kwargs.update(ssl_context=context)
    if a.port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        kwargs["port"] = s.getsockname()[1]
        s.close()
    controller = Controller(Spool(a.spool, a.refuse), **kwargs)
    controller.start()
    print(f"READY {kwargs['port']}", flush=True)
    try:
        time.sleep(a.lifetime)
    except KeyboardInterrupt:
        pass
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
