#!/usr/bin/env python3
"""--ca-file-only (issue 9 item 12d, wired in the CLI): with SSL_CERT_FILE
naming the CA that signed the server, the system store (which SSL_CERT_FILE
redefines) trusts the server; --ca-file-only with another CA's file must
trust that file alone, so verification fails (76). Certificates are made at
run time."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_common import run  # noqa: E402
from interop_common import Servers, check, finish, require  # noqa: E402

BASE = ["--from", "a@example.org", "--to", "b@example.net", "--subject", "s", "--body", "hi"]


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(directory, name):
    """A CA certificate and key, valid one day."""
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return cert, key


def make_leaf(directory, ca_cert, ca_key, name="localhost", sans="DNS:localhost,IP:127.0.0.1"):
    """A server certificate for `name` signed by the CA."""
    base = os.path.join(directory, name)
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", base + ".key", "-out", base + ".csr",
            "-subj", "/CN=" + name)
    ext = base + ".ext"
    with open(ext, "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" % sans)
    openssl("x509", "-req", "-in", base + ".csr", "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial",
            "-out", base + ".crt", "-days", "1", "-extfile", ext)
    return base + ".crt", base + ".key"


def main():
    require("aiosmtpd", "openssl")
    with Servers() as s:
        signer, signer_key = make_ca(s.tmp, "signer-ca")
        other, _ = make_ca(s.tmp, "other-ca")
        cert, key = make_leaf(s.tmp, signer, signer_key)
        port = s.aiosmtpd(s.dir("tls"), "starttls", cert, key)
        env = {"SSL_CERT_FILE": signer, "SSL_CERT_DIR": s.dir("no-certs")}
        server = ["--server", "localhost:%d" % port]

        code, _, err, _ = run(server + BASE, env=env)
        check("SSL_CERT_FILE names the signer: verified, exit 0", code == 0, "got %d: %s" % (code, err.strip()))
        code, _, err, _ = run(server + ["--ca-file", other] + BASE, env=env)
        check("--ca-file adds to the store SSL_CERT_FILE defines: exit 0", code == 0, "got %d: %s" % (code, err.strip()))
        code, _, err, _ = run(server + ["--ca-file", other, "--ca-file-only"] + BASE, env=env)
        check("--ca-file-only with another CA: verification fails, exit 76", code == 76, "got %d: %s" % (code, err.strip()))
        check("--ca-file-only with another CA: says why", "certificate" in err.lower() or "verif" in err.lower(), err.strip())
        code, _, err, _ = run(server + ["--ca-file", signer, "--ca-file-only"] + BASE, env={"SSL_CERT_FILE": other})
        check("--ca-file-only with the signer: exit 0 whatever SSL_CERT_FILE says", code == 0,
              "got %d: %s" % (code, err.strip()))
        code, _, err, _ = run(server + ["--ca-file-only"] + BASE, env=env)
        check("--ca-file-only without --ca-file: usage error 64", code == 64, "got %d: %s" % (code, err.strip()))
        check("--ca-file-only without --ca-file: says so", "needs --ca-file" in err, err.strip())
    finish()


if __name__ == "__main__":
    main()
