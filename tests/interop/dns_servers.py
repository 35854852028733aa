"""DNS servers for the resolver's interop tests, each on a free loopback port
with a private configuration in a temp dir (never the system service), and
the dns_probe runs that query them."""
import os
import shlex
import socket
import subprocess
import time

from interop_common import HERE, PYTHON, free_port

# A command line: "dns_probe", or "wine-run dns_probe.exe" (scripts/test-windows).
PROBE = shlex.split(os.environ.get("SMTPCORE_DNS_PROBE", "dns_probe"))


def free_udp_tcp_port():
    """A port free for both UDP and TCP on 127.0.0.1."""
    for _ in range(50):
        port = free_port()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            u.close()
    raise RuntimeError("no free port")


def wait_udp(port, name="host.example.test", timeout=10):
    """Waits until the server answers a query for `name` on UDP."""
    end = time.time() + timeout
    while time.time() < end:
        facts = probe(["--nameserver", "127.0.0.1:%d" % port, "--timeout", "200", "--attempts", "1", "a", name])[0]
        if facts.get("outcome", ["timeout"]) != ["timeout"]:
            return
        time.sleep(0.1)
    raise RuntimeError("no DNS server answers on port %d" % port)


def ipv6_loopback():
    """True when ::1 can be bound here (some containers have no IPv6)."""
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def unbound(servers, local_data, zones=("example.test.",)):
    """unbound in the foreground, answering `local_data` lines from static
    zones, on 127.0.0.1 and, where there is IPv6, on ::1 (same port)."""
    d = servers.dir("unbound")
    port = free_udp_tcp_port()
    v6 = ipv6_loopback()
    conf = os.path.join(d, "unbound.conf")
    with open(conf, "w") as f:
        f.write("server:\n")
        for line in ["interface: 127.0.0.1"] + (["interface: ::1", "access-control: ::1 allow"] if v6 else []) + [
                     "port: %d" % port, "do-ip6: %s" % ("yes" if v6 else "no"), "do-daemonize: no",
                     'username: ""', 'chroot: ""', 'directory: "%s"' % d, 'pidfile: "%s/unbound.pid"' % d,
                     "use-syslog: no", "verbosity: 0", "access-control: 127.0.0.0/8 allow", "num-threads: 1",
                     'module-config: "iterator"', 'auto-trust-anchor-file: ""']:
            f.write("    %s\n" % line)
        for z in zones:
            f.write('    local-zone: "%s" static\n' % z)
        for rr in local_data:
            f.write('    local-data: "%s"\n' % rr)
        f.write("remote-control:\n    control-enable: no\n")
    log = open(os.path.join(d, "unbound.log"), "w")
    servers.start(["unbound", "-d", "-c", conf], stdout=log, stderr=log)
    wait_udp(port)
    return port


def dnsmasq(servers, args):
    """dnsmasq in the foreground, no upstream, no hosts file: only `args` records."""
    d = servers.dir("dnsmasq")
    port = free_udp_tcp_port()
    log = open(os.path.join(d, "dnsmasq.log"), "w")
    servers.start(["dnsmasq", "--keep-in-foreground", "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                   "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--port=%d" % port,
                   "--user=root", "--pid-file=%s/dnsmasq.pid" % d, "--local=/dm.test/"] + args,
                  stdout=log, stderr=log)
    wait_udp(port, "host.dm.test")
    return port


def hostile(servers):
    """tests/interop/hostile_dns_server.py; returns (port, query log path)."""
    d = servers.dir("hostile")
    log = os.path.join(d, "queries.log")
    p = servers.start([PYTHON, os.path.join(HERE, "hostile_dns_server.py"), "--log", log, "--lifetime", "300"],
                      stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError("hostile DNS server did not start")
    return int(line[1]), log


def probe(args, timeout=60):
    """Runs dns_probe; returns ({first word: [rest of each line]}, exit code, seconds)."""
    start = time.time()
    r = subprocess.run(PROBE + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
    facts = {}
    for line in r.stdout.splitlines():
        key, _, rest = line.partition(" ")
        facts.setdefault(key, []).append(rest)
    return facts, r.returncode, time.time() - start
