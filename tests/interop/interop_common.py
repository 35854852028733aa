"""Shared pieces of the interop tests: throwaway certificates, loopback
servers started in temp dirs and always stopped, smtpcore-send runs, and
checks. Loopback only: every server binds 127.0.0.1."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SEND = os.environ.get("SMTPCORE_SEND", "smtpcore-send")
# The same cases run with each TLS backend: SMTPCORE_TLS_LIBRARY=mbedtls adds
# --tls-library mbedtls to every send() (tests/interop/meson.build).
TLS_LIBRARY = os.environ.get("SMTPCORE_TLS_LIBRARY", "")
# aiosmtpd comes from Debian (python3-aiosmtpd): use the interpreter that has it.
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
FAILURES = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_cert(directory, name="localhost", sans="DNS:localhost,IP:127.0.0.1"):
    """A self-signed certificate and key for `name`, valid one day."""
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=" + name, "-addext", "subjectAltName=" + sans],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class Servers:
    """Starts processes and stops every one of them on exit, whatever happens."""

    def __init__(self):
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="smtpcore-interop-")
        os.chmod(self.tmp, 0o755)  # smtp-sink drops to "nobody" and writes its dumps here

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def dir(self, name):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        return d

    def aiosmtpd(self, spool, tls="none", cert=None, key=None, user=None, password=None, refuse=None):
        args = [PYTHON, os.path.join(HERE, "aiosmtpd_server.py"), "--spool", spool, "--tls", tls, "--lifetime", "300"]
        if cert:
            args += ["--cert", cert, "--key", key]
        if user:
            args += ["--user", user, "--password", password]
        if refuse:
            args += ["--refuse", refuse]
        # aiosmtpd logs every refused handshake with a traceback: keep them out of the test log.
        log = open(os.path.join(self.tmp, "aiosmtpd-%d.log" % len(self.procs)), "w")
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
        self.procs.append(p)
        line = p.stdout.readline().split()
        if not line or line[0] != "READY":
            raise RuntimeError("aiosmtpd did not start")
        return int(line[1])

    def smtp_sink(self, extra=(), dump_dir=None):
        """Postfix's smtp-sink on a free loopback port."""
        port = free_port()
        args = ["smtp-sink", "-a"]  # no AUTH announced: it would accept anything
        if os.geteuid() == 0:
            args += ["-u", "nobody"]
        if dump_dir:
            os.chmod(dump_dir, 0o777)
            args += ["-d", os.path.join(dump_dir, "%M.")]
        args += list(extra) + ["127.0.0.1:%d" % port, "64"]
        p = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        wait_for_port(port)
        return port

    def start(self, args, **kw):
        p = subprocess.Popen(args, **kw)
        self.procs.append(p)
        return p


def wait_for_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on port %d" % port)


def send(args, stdin=None, timeout=120):
    """Runs smtpcore-send; returns (exit code, stderr text, seconds)."""
    start = time.time()
    if TLS_LIBRARY:
        args = ["--tls-library", TLS_LIBRARY] + args
    r = subprocess.run([SEND] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return r.returncode, r.stderr.decode(errors="replace"), time.time() - start


def check(name, condition, detail=""):
    status = "ok  " if condition else "FAIL"
    print("%s %s%s" % (status, name, "" if condition else ": " + detail), flush=True)
    if not condition:
        FAILURES.append(name)


def finish():
    if FAILURES:
        print("%d failed: %s" % (len(FAILURES), ", ".join(FAILURES)))
        sys.exit(1)
    print("all passed")


def recipients(n, domain="example.net"):
    """n recipients split over To, Cc and Bcc (a third each, at least one To)."""
    addrs = ["user%02d@%s" % (i, domain) for i in range(n)]
    to = addrs[: max(1, n // 3)]
    cc = addrs[len(to): len(to) + n // 3]
    bcc = addrs[len(to) + len(cc):]
    return to, cc, bcc


def raw_message(to, cc, bcc, body_bytes):
    """An RFC 5322 message (CRLF) with a Bcc field that must not arrive, and
    lines starting with dots that must be stuffed and un-stuffed."""
    head = ["From: Sender <sender@example.org>", "To: " + ", ".join(to)]
    if cc:
        head.append("Cc: " + ", ".join(cc))
    if bcc:
        head.append("Bcc: " + ", ".join(bcc))
    # A Date field, or Postfix (as an MSA, RFC 6409 §8.3) adds one and the copies differ.
    head += ["Subject: interop", "Date: Mon, 23 Nov 2026 10:00:00 +0000", "Message-ID: <interop@example.org>",
             "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=us-ascii"]
    sent = ("\r\n".join(head) + "\r\n\r\n").encode() + body_bytes
    expected = sent.replace(("Bcc: " + ", ".join(bcc) + "\r\n").encode(), b"") if bcc else sent
    return sent, expected


def text_body(size):
    """ASCII text of about `size` octets, CRLF lines, some starting with '.'."""
    lines, total, i = [], 0, 0
    while total < size:
        line = (".dot line %d" % i) if i % 7 == 0 else ("line %d of the interop body, " % i) * 2
        lines.append(line)
        total += len(line) + 2
        i += 1
    lines.append(".")
    lines.append("..")
    return ("\r\n".join(lines) + "\r\n").encode()


def require(*needs):
    """Skips the test (exit 77, meson's "skipped") when a server is not installed."""
    for need in needs:
        if need == "aiosmtpd":
            ok = subprocess.run([PYTHON, "-c", "import aiosmtpd"], capture_output=True).returncode == 0
        else:
            ok = shutil.which(need) is not None
        if not ok:
            print("skipped: %s is not installed (scripts/install-deps installs it)" % need)
            sys.exit(77)


def seed_args(name):
    """With SMTPCORE_SEED_DIR set, the run saves the server's bytes (after TLS)
    as a seed for the session fuzzer: fuzz/corpus/session/<name>.txt."""
    seed_dir = os.environ.get("SMTPCORE_SEED_DIR")
    return ["--dump-server-bytes", os.path.join(seed_dir, name + ".txt")] if seed_dir else []
