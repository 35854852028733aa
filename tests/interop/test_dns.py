"""The builtin resolver against real DNS servers on loopback: unbound
(local-data for A, AAAA, MX, CNAME and a null MX, and a name with enough
records to force truncation, so TCP), and dnsmasq. Each server is started
here with a private configuration and stopped at the end."""
import os
import socket
import sys

from interop_common import Servers, check, finish, require, send
from dns_servers import dnsmasq, ipv6_loopback, probe, unbound

BIG = 120  # A records for big.example.test: ~2 KiB, over the 1232-octet EDNS0 size


def main():
    require("unbound", "dnsmasq", "aiosmtpd")
    with Servers() as s:
        data = ["host.example.test. A 127.0.0.1", "host.example.test. AAAA ::1",
                "www.example.test. CNAME host.example.test.",
                "alias.example.test. CNAME www.example.test.",
                "example.test. MX 20 mx2.example.test.", "example.test. MX 10 mx1.example.test.",
                "example.test. MX 20 mx3.example.test.",
                "nomail.example.test. MX 0 .", "implicit.example.test. A 127.0.0.2"]
        data += ["big.example.test. A 127.0.%d.%d" % (i // 250, 1 + i % 250) for i in range(BIG)]
        port = unbound(s, data)
        ns = ["--nameserver", "127.0.0.1:%d" % port, "--timeout", "2000"]

        f, code, _ = probe(ns + ["a", "host.example.test"])
        check("unbound A", f.get("A") == ["127.0.0.1"] and f["outcome"] == ["answer"], str(f))
        f, _, _ = probe(ns + ["aaaa", "host.example.test"])
        check("unbound AAAA", f.get("AAAA") == ["::1"], str(f))
        if ipv6_loopback():
            f, _, _ = probe(["--nameserver", "[::1]:%d" % port, "--timeout", "2000", "a", "big.example.test"])
            check("a server over IPv6, UDP then TCP", len(f.get("A", [])) == BIG, "%.200s" % f)
        f, _, _ = probe(ns + ["addr", "alias.example.test"])
        check("unbound CNAME chain, AAAA and A in parallel", f.get("ADDR") == ["::1", "127.0.0.1"], str(f))
        f, _, _ = probe(ns + ["--0x20", "a", "www.example.test"])
        check("unbound 0x20 (case echoed exactly)", f.get("A") == ["127.0.0.1"], str(f))
        f, _, _ = probe(ns + ["mx", "example.test"])
        mx = f.get("MX", [])
        check("unbound MX ordered by preference",
              len(mx) == 3 and mx[0] == "10 mx1.example.test" and sorted(mx[1:]) == ["20 mx2.example.test", "20 mx3.example.test"],
              str(f))
        check("unbound MX verdict hosts", f.get("verdict") == ["hosts"], str(f))
        orders = set()
        for _ in range(20):  # both orders of the tie: 1 chance in 2^19 to miss one
            orders.add(tuple(probe(ns + ["mx", "example.test"])[0].get("MX", [])[1:]))
        check("equal preferences in random order", len(orders) == 2, str(orders))
        f, _, _ = probe(ns + ["mx", "nomail.example.test"])
        check("null MX: accepts no mail", f.get("verdict") == ["no-mail"] and "MX" not in f, str(f))
        f, _, _ = probe(ns + ["mx", "implicit.example.test"])
        check("no MX: implicit MX", f.get("verdict") == ["implicit"] and f.get("MX") == ["0 implicit.example.test"], str(f))
        f, _, _ = probe(ns + ["mx", "missing.example.test"])
        check("NXDOMAIN: no such domain", f.get("verdict") == ["no-such-domain"], str(f))
        f, _, _ = probe(ns + ["aaaa", "implicit.example.test"])
        check("NODATA apart from NXDOMAIN", f.get("outcome") == ["nodata"], str(f))
        f, _, _ = probe(ns + ["a", "big.example.test"])
        check("truncated over UDP, complete over TCP (%d records)" % BIG,
              len(f.get("A", [])) == BIG and f["outcome"] == ["answer"], "%d records, %s" % (len(f.get("A", [])), f.get("outcome")))
        f, _, _ = probe(ns + ["--no-tcp", "--attempts", "1", "a", "big.example.test"])
        check("without the TCP fallback a truncated answer is not taken", "A" not in f and f["outcome"] == ["servfail"], str(f))

        hosts = os.path.join(s.dir("dnsmasq-hosts"), "hosts")
        with open(hosts, "w") as h:
            h.writelines("127.0.%d.%d big.dm.test\n" % (i // 250, 1 + i % 250) for i in range(BIG))
        dm = dnsmasq(s, ["--host-record=host.dm.test,127.0.0.3,::3", "--mx-host=dm.test,mx.dm.test,5",
                         "--cname=web.dm.test,host.dm.test", "--addn-hosts=" + hosts])
        dns = ["--nameserver", "127.0.0.1:%d" % dm, "--timeout", "2000"]
        f, _, _ = probe(dns + ["addr", "host.dm.test"])
        check("dnsmasq AAAA and A", f.get("ADDR") == ["::3", "127.0.0.3"], str(f))
        f, _, _ = probe(dns + ["a", "web.dm.test"])
        check("dnsmasq CNAME", f.get("A") == ["127.0.0.3"], str(f))
        f, _, _ = probe(dns + ["mx", "dm.test"])
        check("dnsmasq MX", f.get("MX") == ["5 mx.dm.test"], str(f))
        f, _, _ = probe(dns + ["a", "big.dm.test"])
        check("dnsmasq: truncated over UDP, complete over TCP (%d records)" % BIG, len(f.get("A", [])) == BIG,
              "%d records, %s" % (len(f.get("A", [])), f.get("outcome")))
        f, _, _ = probe(dns + ["a", "nothing.dm.test"])
        check("dnsmasq NXDOMAIN", f.get("outcome") == ["nxdomain"], str(f))
        # Connecting through the builtin resolver: AAAA (::1, where nothing
        # listens) and A (127.0.0.1, a listener) in parallel, then staggered attempts.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        f, _, _ = probe(ns + ["connect", "host.example.test", str(listener.getsockname()[1])])
        check("connect through the builtin resolver", f.get("connected") == [""], str(f))
        f, _, _ = probe(ns + ["connect", "missing.example.test", "25"])
        check("connect to a name that does not exist says NXDOMAIN", "NXDOMAIN" in str(f.get("error")), str(f))
        listener.close()
        # smtpcore-send with the builtin resolver: the name comes from unbound,
        # the message goes to aiosmtpd on 127.0.0.1 (nothing on ::1: RFC 8305 falls back).
        spool = s.dir("spool")
        smtp = s.aiosmtpd(spool)
        code, err, _ = send(["--resolver", "builtin", "--nameserver", "127.0.0.1:%d" % port,
                             "--server", "host.example.test:%d" % smtp, "--tls", "none",
                             "--from", "a@example.org", "--to", "b@example.net", "--body", "via builtin DNS"])
        arrived = [f for f in os.listdir(spool) if f.endswith(".eml")]
        check("smtpcore-send --resolver builtin --nameserver delivers", code == 0 and len(arrived) == 1,
              "exit %d: %s" % (code, err))
        # The library's send_mail() with SendOptions::resolver = Builtin: the
        # same name the system resolver does not know (it is only in unbound).
        server = "host.example.test:%d" % smtp
        f, _, _ = probe(ns + ["send", server, "a@example.org", "b@example.net"])
        arrived = [f for f in os.listdir(spool) if f.endswith(".eml")]
        check("send_mail() with the builtin resolver delivers", f.get("delivered") == ["yes"] and len(arrived) == 2,
              str(f))
        f, _, _ = probe(ns + ["--system", "send", server, "a@example.org", "b@example.net"])
        check("send_mail() with the system resolver does not know the name", f.get("delivered") == ["no"], str(f))
        f, _, _ = probe(ns + ["send", "missing.example.test:%d" % smtp, "a@example.org", "b@example.net"])
        check("send_mail() with the builtin resolver: NXDOMAIN is in the detail",
              f.get("delivered") == ["no"] and "NXDOMAIN" in str(f.get("detail")), str(f))
        code, err, _ = send(["--nameserver", "127.0.0.1:%d" % port, "--server", "missing.example.test:%d" % smtp,
                             "--tls", "none", "--from", "a@example.org", "--to", "b@example.net", "--body", "x"])
        check("smtpcore-send --nameserver: a name that does not exist is a temporary failure, said so",
              code == 75 and "NXDOMAIN" in err, "exit %d: %s" % (code, err))
        # Two servers, the first one silent: the second answers after one timeout.
        dead = ["--nameserver", "127.0.0.1:9", "--nameserver", "127.0.0.1:%d" % port, "--timeout", "300"]
        # Timed by the probe's own clock (elapsed_ms, from its first query): the
        # wall-clock time also holds the process start, over 3 s under a busy wine.
        f, _, secs = probe(dead + ["a", "host.example.test"])
        elapsed = int((f.get("elapsed_ms") or ["-1"])[0])
        check("a dead first server: the next one answers after one timeout",
              f.get("A") == ["127.0.0.1"] and 300 <= elapsed < 3000, "%s in %.2f s" % (f, secs))
    finish()


if __name__ == "__main__":
    sys.exit(main())
