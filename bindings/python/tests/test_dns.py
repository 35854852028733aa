"""smtpcore.dns: the resolver without I/O over hand-written packets (the
query, RFC 5452 matching, TC=1 to TCP at any split, timeouts), MX order,
and lookups over sockets against unbound on loopback (A, AAAA, CNAME, MX,
null MX, NXDOMAIN, a truncated answer fetched over TCP) and the hostile
server of tests/interop (spoofed answers racing the real one, pointer loops,
counts of 65535)."""
import shutil
import struct
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smtpcore
from smtpcore import dns

SERVER = ("127.0.0.1", 5353)
COUNTER = iter(range(10**9))


def counting_random(size):
    """Deterministic 'random' octets: the first query's ID is 0x0001."""
    return bytes(next(COUNTER) % 256 for _ in range(size))


def question_end(query):
    """Offset after the question of a query (its name has no pointers)."""
    i = 12
    while query[i]:
        i += 1 + query[i]
    return i + 1 + 4


def answer(query, addresses=(), tc=False, rcode=0, qid=None):
    """An answer to `query`: its header and question, A records at a pointer
    to the question's name, no OPT."""
    end = question_end(query)
    flags = 0x8180 | (0x0200 if tc else 0) | rcode
    header = struct.pack(">HHHHHH", qid if qid is not None else struct.unpack(">H", query[:2])[0], flags, 1,
                         len(addresses), 0, 0)
    records = b"".join(b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 300, 4) + bytes(a) for a in addresses)
    return header + query[12:end] + records


def started(name="host.example", type="A", **options):
    r = dns.Resolver([SERVER, ("127.0.0.1", 5354)], random=counting_random, **options)
    r.start(name, type)
    r.handle_timeout(100.0)
    return r


def events(r):
    out = []
    while (e := r.next_event()) is not None:
        out.append(e)
    return out


def test_query_and_answer():
    r = started()
    [send] = events(r)
    assert isinstance(send, dns.SendDatagram) and send.server == SERVER
    assert send.data[12:26] == b"\x04host\x07example\x00" and send.data[26:30] == b"\x00\x01\x00\x01"
    assert send.data.endswith(b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00")  # EDNS0 OPT, 1232 octets
    r.datagram_received(answer(send.data, [(192, 0, 2, 7)]), ("127.0.0.1", 5353))
    assert events(r) == [dns.Address("192.0.2.7", 4, 300), dns.Done("answer", "host.example")]
    assert r.done and r.outcome == "answer"


def test_spoofed_answers_are_ignored():
    """RFC 5452 §9.1: the wrong source port, the wrong ID, another question."""
    r = started()
    [send] = events(r)
    r.datagram_received(answer(send.data, [(6, 6, 6, 6)]), ("127.0.0.1", 9999))
    r.datagram_received(answer(send.data, [(6, 6, 6, 6)], qid=0xBEEF), SERVER)
    other = send.data[:13] + b"g" + send.data[14:]  # "hgst.example"
    r.datagram_received(answer(other, [(6, 6, 6, 6)]), SERVER)
    assert events(r) == [] and r.ignored == 3
    r.datagram_received(answer(send.data, [(192, 0, 2, 8)]), SERVER)
    assert events(r)[0] == dns.Address("192.0.2.8", 4, 300)


def test_nxdomain_and_timeout_to_the_next_server():
    r = started(timeout=0.5, attempts=1)
    [first] = events(r)
    assert r.deadline() == pytest.approx(100.5)
    r.handle_timeout(100.5)
    [second] = events(r)
    assert second.server == ("127.0.0.1", 5354) and second.data[:2] != first.data[:2]  # a fresh ID per try
    r.datagram_received(answer(second.data, rcode=3), ("127.0.0.1", 5354))
    [done] = events(r)
    assert done.outcome == "nxdomain"


def tcp_exchange(pieces_of):
    """TC=1 over UDP, then the same question over TCP, the framed answer fed
    in pieces_of(frame); returns the events after the truncated answer."""
    r = started()
    [send] = events(r)
    r.datagram_received(answer(send.data, tc=True), SERVER)
    seen = events(r)
    assert seen == [dns.OpenStream(SERVER)] and r.over_tcp
    r.stream_connected()
    framed = r.data_to_send()
    query = framed[2:]
    assert struct.unpack(">H", framed[:2])[0] == len(query) and query[12:] == send.data[12:]
    reply = answer(query, [(10, 0, 0, i) for i in range(1, 40)])
    for piece in pieces_of(struct.pack(">H", len(reply)) + reply):
        r.receive_data(piece)
        seen += events(r)
    return seen[1:]


WHOLE = tcp_exchange(lambda frame: [frame])


def test_truncated_answer_goes_over_tcp():
    assert len([e for e in WHOLE if isinstance(e, dns.Address)]) == 39
    assert dns.CloseStream() in WHOLE and WHOLE[-1] == dns.Done("answer", "host.example")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=40))
def test_any_split_of_the_tcp_answer_gives_the_same_events(sizes):
    def pieces_of(frame):
        out, at = [], 0
        for size in sizes * (len(frame) // sum(sizes) + 1):
            if at >= len(frame):
                break
            out.append(frame[at:at + size])
            at += size
        return out
    assert tcp_exchange(pieces_of) == WHOLE


def test_refusals():
    with pytest.raises(smtpcore.InvalidInput):
        dns.Resolver([])
    with pytest.raises(ValueError):
        dns.Resolver(["not-an-address"])
    r = dns.Resolver([SERVER])
    with pytest.raises(smtpcore.InvalidInput):
        r.start("host.example", "TXT")
    with pytest.raises(smtpcore.InvalidInput):
        r.start("a..example")


def test_mx_order():
    verdict, hosts = dns.order_mx([(20, "b.example"), (10, "a.example")], "answer", "example")
    assert verdict == "hosts" and hosts == [(10, "a.example"), (20, "b.example")]
    assert dns.order_mx([(0, ".")], "answer", "example") == ("no-mail", [])
    assert dns.order_mx([], "nodata", "example") == ("implicit", [(0, "example")])
    assert dns.order_mx([], "nxdomain", "example")[0] == "no-such-domain"
    assert dns.order_mx([], "timeout", "example")[0] == "temporary-failure"
    orders = {tuple(dns.order_mx([(10, "x.example"), (10, "y.example")], "answer", "example")[1])
              for _ in range(40)}
    assert len(orders) == 2  # equal preferences in random order


# ---- against unbound on loopback -------------------------------------------

BIG = 120  # A records: about 2 KiB, over the 1232-octet EDNS0 size, so TCP


@pytest.fixture
def unbound_port(servers):
    if not shutil.which("unbound") or not shutil.which(dns_servers().PROBE[0]):
        pytest.skip("unbound (scripts/deps/dns.txt) or dns_probe is not available")
    data = ["host.example.test. A 127.0.0.1", "host.example.test. AAAA ::1",
            "www.example.test. CNAME host.example.test.",
            "example.test. MX 20 mx2.example.test.", "example.test. MX 10 mx1.example.test.",
            "nomail.example.test. MX 0 ."]
    data += ["big.example.test. A 127.0.%d.%d" % (i // 250, 1 + i % 250) for i in range(BIG)]
    return dns_servers().unbound(servers, data)


def dns_servers():
    import dns_servers as module  # tests/interop, on the path from conftest.py
    return module


def test_unbound_records(unbound_port):
    ns = ["127.0.0.1:%d" % unbound_port]
    a = dns.lookup("host.example.test", "A", ns, timeout=2)
    assert (a.outcome, a.addresses) == ("answer", ["127.0.0.1"])
    assert dns.lookup("host.example.test", "AAAA", ns, timeout=2).addresses == ["::1"]
    cname = dns.lookup("www.example.test", "A", ns, timeout=2, randomize_case=True)
    assert cname.addresses == ["127.0.0.1"] and cname.name.lower() == "host.example.test"
    assert dns.lookup("missing.example.test", "A", ns, timeout=2).outcome == "nxdomain"
    assert dns.lookup("host.example.test", "MX", ns, timeout=2).outcome == "nodata"
    assert dns.mail_exchangers("example.test", ns, timeout=2) == (
        "hosts", [(10, "mx1.example.test"), (20, "mx2.example.test")])
    assert dns.mail_exchangers("nomail.example.test", ns, timeout=2) == ("no-mail", [])


def test_unbound_truncated_answer_over_tcp(unbound_port):
    big = dns.lookup("big.example.test", "A", ["127.0.0.1:%d" % unbound_port], timeout=2)
    assert big.outcome == "answer" and len(big.addresses) == BIG
    udp_only = dns.lookup("big.example.test", "A", ["127.0.0.1:%d" % unbound_port], timeout=2, tcp_fallback=False)
    assert len(udp_only.addresses) < BIG  # what fitted in the datagram, or nothing: TCP brought the rest


def test_hostile_server_spoofs_and_loops(servers):
    """tests/interop/hostile_dns_server.py over real sockets: answers from the
    wrong port, with the wrong ID or name, race the real one and are ignored;
    a pointer loop and counts of 65535 are refused (server-failure), bounded."""
    port, _ = dns_servers().hostile(servers)
    ns = ["127.0.0.1:%d" % port]
    spoofed = dns.lookup("spoof.hostile.test", "A", ns, timeout=1, attempts=1)
    assert spoofed.addresses == ["127.0.0.1"] and spoofed.ignored >= 3
    for kind in ("loop", "counts"):
        found = dns.lookup(kind + ".hostile.test", "A", ns, timeout=0.3, attempts=1)
        assert found.outcome == "server-failure" and found.addresses == []
