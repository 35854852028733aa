"""bench/peers/aiosmtplib_peer.py: aiosmtplib as a peer in scripts/bench-peers.
One connection, sendmail() per message, awaited in turn.

    aiosmtplib_peer.py PORT COUNT MESSAGE_FILE
"""
import asyncio
import sys

import aiosmtplib


async def run(port, count, message):
    sent = 0
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, use_tls=False, start_tls=False)
    await client.connect()
    for _ in range(count):
        errors, _ = await client.sendmail("bench@example.org", ["sink@example.org"], message)
        if not errors:
            sent += 1
    await client.quit()
    return sent


def main():
    port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        message = f.read()
    sent = asyncio.run(run(port, count, message))
    print("accepted", sent)
    return 0 if sent == count else 1


sys.exit(main())
