#!/usr/bin/env python3
"""The aiosmtpd spool of aiosmtpd_server.py with what the CLI tests also need
to see: each message's MAIL parameters (SIZE=, BODY=) in SPOOL/N.mail, and
optionally no 8BITMIME in the EHLO reply (--no-8bitmime), AUTH required
without any mechanism usable (--auth-required: 530 to MAIL), or a small
SIZE (--size-limit). Prints "READY <port>"; runs until killed or
--lifetime seconds pass. Loopback only."""
import argparse
import logging
import os
import socket
import sys
import threading
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd_server import Spool  # noqa: E402


class CliSpool(Spool):
    def __init__(self, directory, no_8bitmime):
        super().__init__(directory, None)
        self.no_8bitmime = no_8bitmime

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.no_8bitmime:
            responses = [r for r in responses if "8BITMIME" not in r]
            responses[-1] = responses[-1].replace("250-", "250 ", 1)
        return responses

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        with open(os.path.join(self.directory, "%d.mail" % self.count), "w") as f:
            f.write(" ".join(envelope.mail_options) + "\n")
        return reply


def main():
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    p = argparse.ArgumentParser()
    p.add_argument("--spool", required=True)
    p.add_argument("--no-8bitmime", action="store_true")
    p.add_argument("--auth-required", action="store_true")
    p.add_argument("--size-limit", type=int, default=256 * 1024 * 1024, help="the SIZE it announces")
    p.add_argument("--lifetime", type=float, default=300)
    a = p.parse_args()
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    kwargs = dict(hostname="127.0.0.1", port=port, data_size_limit=a.size_limit)
    if a.auth_required:
        kwargs.update(auth_required=True, auth_require_tls=False, authenticator=lambda *args: False)
    controller = Controller(CliSpool(a.spool, a.no_8bitmime), **kwargs)
    controller.start()
    print("READY %d" % port, flush=True)
    try:
        threading.Event().wait(a.lifetime)  # until killed, at most --lifetime
    finally:
        controller.stop()

if __name__ == "__main__":
    sys.exit(main())
