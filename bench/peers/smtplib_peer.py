"""bench/peers/smtplib_peer.py: Python's smtplib as a peer in scripts/bench-peers.
One connection, sendmail() per message.

    smtplib_peer.py PORT COUNT MESSAGE_FILE
"""
import smtplib
import sys


def main():
    port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with open(path, "rb") as f:
        message = f.read()
    sent = 0
    with smtplib.SMTP("127.0.0.1", port) as s:
        for _ in range(count):
            if not s.sendmail("bench@example.org", ["sink@example.org"], message):
                sent += 1
    print("accepted", sent)
    return 0 if sent == count else 1


sys.exit(main())
