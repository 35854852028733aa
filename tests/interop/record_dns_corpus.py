"""Records real answers from unbound and dnsmasq (started here on loopback, as in
test_dns.py) as seeds for the DNS parser fuzzer:
    SMTPCORE_DNS_PROBE=build/tests/dns/dns_probe python3 tests/interop/record_dns_corpus.py fuzz/corpus/dns_parser
Each seed is [type selector][flags] + the message (fuzz/fuzz_dns_parser.cpp)."""
import os
import socket
import struct
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import Servers
from dns_servers import unbound, dnsmasq
out = sys.argv[1]
def name(n): return b''.join(bytes([len(l)])+l.encode() for l in n.split('.') if l)+b'\0'
def ask(port, qname, qtype, tcp=False):
    q = struct.pack('>6H', 0x4242, 0x0100, 1, 0, 0, 1) + name(qname) + struct.pack('>HH', qtype, 1) + b'\0' + struct.pack('>HHIH', 41, 1232, 0, 0)
    if tcp:
        s = socket.create_connection(('127.0.0.1', port)); s.sendall(struct.pack('>H', len(q)) + q)
        n = struct.unpack('>H', s.recv(2))[0]; data = b''
        while len(data) < n: data += s.recv(n - len(data))
        return data
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2); s.sendto(q, ('127.0.0.1', port)); return s.recv(4096)
sel = {1: 0, 28: 1, 15: 2}
with Servers() as s:
    data = ["host.example.test. A 127.0.0.1", "host.example.test. AAAA ::1", "www.example.test. CNAME host.example.test.",
            "example.test. MX 10 mx1.example.test.", "example.test. MX 20 mx2.example.test.", "nomail.example.test. MX 0 ."]
    data += ["big.example.test. A 127.0.%d.%d" % (i // 250, 1 + i % 250) for i in range(120)]
    p = unbound(s, data)
    d = dnsmasq(s, ["--host-record=host.dm.test,127.0.0.3,::3", "--mx-host=dm.test,mx.dm.test,5", "--cname=web.dm.test,host.dm.test"])
    cases = [(p, 'host.example.test', 1, False), (p, 'host.example.test', 28, False), (p, 'www.example.test', 1, False),
             (p, 'example.test', 15, False), (p, 'nomail.example.test', 15, False), (p, 'missing.example.test', 1, False),
             (p, 'host.example.test', 15, False), (p, 'big.example.test', 1, False), (p, 'big.example.test', 1, True),
             (d, 'host.dm.test', 28, False), (d, 'web.dm.test', 1, False), (d, 'dm.test', 15, False), (d, 'nothing.dm.test', 1, False)]
    for port, n, t, tcp in cases:
        msg = ask(port, n, t, tcp)
        fn = os.path.join(out, 'recorded-%s-%s-%d%s' % ('unbound' if port == p else 'dnsmasq', n.replace('.', '_'), t, '-tcp' if tcp else ''))
        open(fn, 'wb').write(bytes([sel[t], 0]) + msg)
        print(fn, len(msg))
