#!/usr/bin/env python3
"""Messages per second over one connection to Postfix's smtp-sink on
loopback: smtpcore.Client (sans-I/O over a plain socket) beside Python's
smtplib and aiosmtplib (Debian's python3-aiosmtplib). Each client first
sends 100 messages on a connection of its own (warm-up), then the 2,000 are
timed. Prints the numbers and the ratios of one run.

Usage: SMTPCORE_LIBRARY=build/libsmtpcore.so.0 PYTHONPATH=bindings/python \\
       /usr/bin/python3 bindings/python/bench/bench_send.py [MESSAGES]
"""
import asyncio
import os
import select
import smtplib
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "interop"))
from interop_common import Servers  # noqa: E402

import aiosmtplib  # noqa: E402

import smtpcore  # noqa: E402

SENDER = "bench@example.org"
RECIPIENT = "sink@example.net"
BODY = (b"From: bench@example.org\r\nTo: sink@example.net\r\nSubject: bench\r\n\r\n"
        + b"a line of benchmark text, long enough to be a realistic short message\r\n" * 20)


def with_smtpcore(port, count):
    client = smtpcore.Client(client_name="bench.example", tls="none")
    envelope = smtpcore.Envelope(SENDER, [RECIPIENT])
    sent = accepted = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        while True:
            e = client.next_event()
            while e is not None:
                if isinstance(e, smtpcore.Ready):
                    if sent < count:
                        client.submit(envelope)
                        sent += 1
                    else:
                        client.quit()
                elif isinstance(e, smtpcore.BodyWanted):
                    client.send_body(BODY)
                    client.end_body()
                elif isinstance(e, smtpcore.MessageAccepted):
                    accepted += 1
                elif isinstance(e, (smtpcore.Closed, smtpcore.SessionFailed)):
                    return accepted
                e = client.next_event()
            out = client.data_to_send()
            while out:
                sock.sendall(out)
                out = client.data_to_send()
            select.select([sock], [], [], 10)
            client.receive_data(sock.recv(65536))


def with_smtplib(port, count):
    accepted = 0
    with smtplib.SMTP("127.0.0.1", port, local_hostname="bench.example") as s:
        for _ in range(count):
            s.sendmail(SENDER, [RECIPIENT], BODY)
            accepted += 1
    return accepted


def with_aiosmtplib(port, count):
    async def run():
        accepted = 0
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, local_hostname="bench.example",
                                 start_tls=False, use_tls=False)
        await client.connect()
        for _ in range(count):
            await client.sendmail(SENDER, [RECIPIENT], BODY)
            accepted += 1
        await client.quit()
        return accepted
    return asyncio.run(run())


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    results = {}
    with Servers() as s:
        for name, fn in [("smtpcore", with_smtpcore), ("smtplib", with_smtplib), ("aiosmtplib", with_aiosmtplib)]:
            port = s.smtp_sink()
            fn(port, 100)  # warm-up on its own connection: imports, caches, the sink's first fork
            start = time.perf_counter()
            accepted = fn(port, count)
            seconds = time.perf_counter() - start
            if accepted != count:
                print("%s: only %d of %d messages accepted" % (name, accepted, count))
                return 1
            results[name] = count / seconds
            print("%-10s %6d messages in %6.2f s: %7.0f messages/s" % (name, count, seconds, results[name]))
    print("smtpcore / smtplib    = %.2f" % (results["smtpcore"] / results["smtplib"]))
    print("smtpcore / aiosmtplib = %.2f" % (results["smtpcore"] / results["aiosmtplib"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
