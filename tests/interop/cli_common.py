"""Helpers shared by the test_cli_*.py interop tests (smtpcore-send as a
drop-in for msmtp, sendmail -t and swaks): a spooling server that also
records MAIL parameters, runs of the tool with any stdin, spool readers."""
import email
import email.policy
import os
import subprocess
import time

from interop_common import HERE, PYTHON, SEND


def cli_server(servers, name, *flags):
    """Starts cli_server.py; returns (port, spool directory)."""
    spool = servers.dir(name)
    p = servers.start([PYTHON, os.path.join(HERE, "cli_server.py"), "--spool", spool] + list(flags),
                      stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError("cli_server did not start")
    return int(line[1]), spool


def run(args, stdin=None, env=None, argv0=None, timeout=60, shell=False):
    """Runs smtpcore-send (or a shell line with $SEND in it); stdin bytes go
    through a pipe. Returns (exit code, stdout text, stderr text, seconds);
    exit code -1 if it was still running after `timeout` seconds."""
    start = time.time()
    full_env = dict(os.environ, **(env or {}))
    full_env["SEND"] = SEND
    if shell:
        cmd = ["bash", "-c", args]
    else:
        cmd = [argv0 or SEND] + args
    # No stdin given: /dev/null, never the test runner's (a body is read from a non-terminal stdin).
    try:
        r = subprocess.run(cmd, input=stdin, stdin=subprocess.DEVNULL if stdin is None else None, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, env=full_env)
    except subprocess.TimeoutExpired:
        return -1, "", "(killed: still running after %d s)" % timeout, time.time() - start
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"), time.time() - start


def spooled(spool, n=1):
    """(raw bytes, envelope list, MAIL parameters) of message n, or None."""
    base = os.path.join(spool, str(n))
    if not os.path.exists(base + ".eml"):
        return None
    with open(base + ".eml", "rb") as f:
        raw = f.read()
    with open(base + ".env") as f:
        env = f.read().split()
    mail = ""
    if os.path.exists(base + ".mail"):
        with open(base + ".mail") as f:
            mail = f.read().strip()
    return raw, env, mail


def parsed(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def size_param(mail_params):
    for p in mail_params.split():
        if p.upper().startswith("SIZE="):
            return int(p[5:])
    return None


def server_args(port):
    return ["--server", "127.0.0.1:%d" % port, "--tls", "none"]
