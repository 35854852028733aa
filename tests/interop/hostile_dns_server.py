"""A hostile DNS server on 127.0.0.1 (UDP and TCP on one port), standard
library only. What it does depends on the first label of the question:

  spoof    answers 6.6.6.6 first from another port (right ID) and with a
           wrong ID (right port), then the real 127.0.0.1 after 150 ms
  loop     an answer whose record owner is a compression pointer loop
  counts   ANCOUNT, NSCOUNT and ARCOUNT of 65535 in a short packet
  huge     TC=1 over UDP; over TCP a length of 65535 and 64 KiB of answer
  silent   never answers
  servfail SERVFAIL, every time
  lower    echoes the question in lower case (defeats 0x20 matching)
  big      TC=1 over UDP; over TCP a real answer of 60 A records
  slowaaaa A at once, AAAA (::1) only after 1 s
  other    anything else: NXDOMAIN

Every query is logged as a line "udp|tcp NAME" to --log. Prints
"READY PORT" when it listens; stops after --lifetime seconds.
"""
import argparse
import socket
import struct
import threading
import time


def parse_question(msg):
    """(id, question octets, first label, qtype) or None."""
    if len(msg) < 12:
        return None
    at, labels = 12, []
    while at < len(msg) and msg[at] != 0:
        n = msg[at]
        labels.append(msg[at + 1: at + 1 + n])
        at += 1 + n
    if at + 5 > len(msg):
        return None
    qtype = struct.unpack(">H", msg[at + 1: at + 3])[0]
    return struct.unpack(">H", msg[:2])[0], msg[12: at + 5], (labels[0].lower().decode("ascii", "replace") if labels else ""), qtype


def header(qid, flags, qd, an, ns=0, ar=0):
    return struct.pack(">6H", qid, flags, qd, an, ns, ar)


def a_record(addr):
    return b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(addr)


def answer(qid, question, records, flags=0x8180):
    return header(qid, flags, 1, len(records)) + question + b"".join(records)


def aaaa_record(addr):
    return b"\xc0\x0c" + struct.pack(">HHIH", 28, 1, 60, 16) + socket.inet_pton(socket.AF_INET6, addr)


def respond(kind, qid, question, over_tcp, qtype=1):
    """The reply octets for this query (None: silence), and any extra actions."""
    if kind == "loop":
        # The owner name points at itself: offset = its own position.
        at = 12 + len(question)
        owner = struct.pack(">H", 0xC000 | at)
        return answer(qid, question, [owner + struct.pack(">HHIH", 1, 1, 60, 4) + b"\x06\x06\x06\x06"])
    if kind == "counts":
        return header(qid, 0x8180, 1, 65535, 65535, 65535) + question + a_record("6.6.6.6")
    if kind == "huge":
        if not over_tcp:
            return answer(qid, question, [], flags=0x8380)
        return answer(qid, question, [a_record("6.6.6.6")] * 4100)[:65535]  # the last records cut off
    if kind == "big":
        if not over_tcp:
            return answer(qid, question, [], flags=0x8380)
        return answer(qid, question, [a_record("127.0.0.%d" % (i + 1)) for i in range(60)])
    if kind == "silent":
        return None
    if kind == "servfail":
        return answer(qid, question, [], flags=0x8182)
    if kind == "lower":
        return answer(qid, question.lower(), [a_record("127.0.0.1")])
    if kind == "spoof":
        return answer(qid, question, [a_record("127.0.0.1")])
    if kind == "slowaaaa":
        return answer(qid, question, [aaaa_record("::1") if qtype == 28 else a_record("127.0.0.1")])
    return answer(qid, question, [], flags=0x8183)


def serve_udp(sock, spoofer, log):
    while True:
        msg, peer = sock.recvfrom(4096)
        q = parse_question(msg)
        if not q:
            continue
        qid, question, kind, qtype = q
        log("udp", kind)
        if kind == "slowaaaa" and qtype == 28:
            late = respond(kind, qid, question, False, qtype)
            threading.Timer(1.0, sock.sendto, args=(late, peer)).start()
            continue
        if kind == "spoof":
            spoofer.sendto(answer(qid, question, [a_record("6.6.6.6")]), peer)  # wrong source port
            sock.sendto(answer(qid ^ 0x5555, question, [a_record("6.6.6.7")]), peer)  # wrong ID
            other = bytearray(question)
            other[5] = ord("g")  # "spoog": another name, whatever the letter case
            sock.sendto(answer(qid, bytes(other), [a_record("6.6.6.8")]), peer)  # wrong name
            time.sleep(0.15)
        reply = respond(kind, qid, question, False, qtype)
        if reply is not None:
            sock.sendto(reply, peer)


def handle_tcp(conn, log):
    with conn:
        conn.settimeout(10)
        try:
            length = struct.unpack(">H", conn.recv(2))[0]
            msg = b""
            while len(msg) < length:
                chunk = conn.recv(length - len(msg))
                if not chunk:
                    return
                msg += chunk
            q = parse_question(msg)
            if not q:
                return
            qid, question, kind, _ = q
            log("tcp", kind)
            reply = respond(kind, qid, question, True)
            if reply is None:
                time.sleep(30)
                return
            conn.sendall(struct.pack(">H", min(len(reply), 65535)) + reply[:65535])
            time.sleep(0.5)  # let the client close first
        except (OSError, struct.error):
            pass


def serve_tcp(listener, log):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle_tcp, args=(conn, log), daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    lock = threading.Lock()

    def log(proto, kind):
        with lock, open(args.log, "a") as f:
            f.write("%s %s\n" % (proto, kind))

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    port = udp.getsockname()[1]
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", port))
    tcp.listen(16)
    spoofer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    spoofer.bind(("127.0.0.1", 0))
    threading.Thread(target=serve_udp, args=(udp, spoofer, log), daemon=True).start()
    threading.Thread(target=serve_tcp, args=(tcp, log), daemon=True).start()
    print("READY %d" % port, flush=True)
    time.sleep(args.lifetime)


if __name__ == "__main__":
    main()
