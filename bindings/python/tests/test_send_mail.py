"""smtpcore.send_mail() and smtpcore.aio.send_mail() against loopback servers:
aiosmtpd with STARTTLS and AUTH, and the fault servers of tests/interop."""
import asyncio
import email
import email.message
import email.policy
import email.utils
import os
import socket
import subprocess
import sys
import threading

import pytest

import smtpcore
import smtpcore.aio

from conftest import REPO


def make_message(to="ops@example.net, nobody@example.net", bcc="audit@example.net"):
    m = email.message.EmailMessage()
    m["From"] = "Device <device@example.org>"
    m["To"] = to
    if bcc:
        m["Bcc"] = bcc
    m["Subject"] = "from python"
    m.set_content("hello\n.a line with a dot\n")
    return m


def arrived(spool, n=1):
    with open(os.path.join(spool, "%d.eml" % n), "rb") as f:
        message = email.message_from_bytes(f.read(), policy=email.policy.default)
    with open(os.path.join(spool, "%d.env" % n)) as f:
        return message, f.read().split()


def fault_server(servers, *args):
    p = servers.start([sys.executable, os.path.join(REPO, "tests", "interop", "fault_server.py")] + list(args),
                      stdout=subprocess.PIPE, text=True)
    return int(p.stdout.readline().split()[1])


def test_starttls_auth_per_recipient_results(tls_server):
    port, spool, context = tls_server
    r = smtpcore.send_mail("localhost", port, make_message(), username="dev", password="pw", ssl_context=context,
                           timeout=20)
    assert r.outcome == "accepted" and r.code == 250
    assert not r.delivered  # one recipient was refused
    assert list(r.refused) == ["nobody@example.net"] and r.refused["nobody@example.net"][0] == 550
    message, envelope = arrived(spool)
    assert envelope == ["device@example.org", "ops@example.net", "audit@example.net"]
    assert message["Bcc"] is None and message["Subject"] == "from python"
    assert message.get_content().replace("\r\n", "\n") == "hello\n.a line with a dot\n"


def test_aio_send_mail(tls_server):
    port, spool, context = tls_server
    r = asyncio.run(smtpcore.aio.send_mail("localhost", port, make_message(to="ops@example.net", bcc=None),
                                           username="dev", password="pw", ssl_context=context, timeout=20))
    assert r.delivered and r.outcome == "accepted"
    assert arrived(spool)[1] == ["device@example.org", "ops@example.net"]


def test_date_and_message_id_filled_in_or_kept(tls_server):
    # RFC 5322 §3.6: a message without Date gets one (and a Message-ID);
    # the caller's own fields are kept as given.
    port, spool, context = tls_server
    r = smtpcore.send_mail("localhost", port, make_message(to="ops@example.net", bcc=None),
                           username="dev", password="pw", ssl_context=context, timeout=20)
    assert r.delivered
    message, _ = arrived(spool, 1)
    assert email.utils.parsedate_to_datetime(str(message["Date"])) is not None
    assert str(message["Message-ID"]).endswith("@example.org>")
    mine = make_message(to="ops@example.net", bcc=None)
    mine["Date"] = "Mon, 30 Nov 2026 08:00:00 +0000"
    mine["Message-ID"] = "<given@example.org>"
    assert smtpcore.send_mail("localhost", port, mine, username="dev", password="pw", ssl_context=context,
                              timeout=20).delivered
    message, _ = arrived(spool, 2)
    assert str(message["Date"]) == "Mon, 30 Nov 2026 08:00:00 +0000"
    assert str(message["Message-ID"]) == "<given@example.org>"
    assert len(message.get_all("Date")) == 1 and len(message.get_all("Message-ID")) == 1


def test_bytes_message_needs_envelope(tls_server):
    port, _, context = tls_server
    with pytest.raises(smtpcore.InvalidInput):
        smtpcore.send_mail("localhost", port, b"Subject: x\r\n\r\nx\r\n", ssl_context=context)


def test_wrong_password_is_an_authentication_error(tls_server):
    port, spool, context = tls_server
    with pytest.raises(smtpcore.AuthenticationError):
        smtpcore.send_mail("localhost", port, make_message(), username="dev", password="wrong",
                           ssl_context=context, timeout=20)
    assert not os.path.exists(os.path.join(spool, "1.eml"))


def test_starttls_stripping_is_refused(servers):
    spool = servers.dir("plain")
    port = servers.aiosmtpd(spool)  # offers no STARTTLS
    with pytest.raises(smtpcore.TLSRequiredError):
        smtpcore.send_mail("127.0.0.1", port, make_message(), timeout=20)
    with pytest.raises(smtpcore.TLSRequiredError):
        asyncio.run(smtpcore.aio.send_mail("127.0.0.1", port, make_message(), timeout=20))
    assert not os.path.exists(os.path.join(spool, "1.eml"))


def test_lost_after_end_of_data_is_unknown(servers):
    message = make_message(bcc=None)
    message.set_content("no line here starts with a dot\n")
    wire = message.as_bytes(policy=email.policy.SMTP) + b".\r\n"  # the content and the end-of-data marker
    # The server reads exactly that, then dies without a reply: it may have taken the message.
    port = fault_server(servers, "die-in-data", str(len(wire)))
    r = smtpcore.send_mail("127.0.0.1", port, message, tls="none", timeout=20)
    assert r.outcome == "unknown" and not r.delivered


def test_lost_before_end_of_data_is_rejected_temporary(servers):
    port = fault_server(servers, "die-in-data", "1")
    big = make_message(bcc=None)
    # 14 MB: far more than loopback's socket buffers hold (up to 4 MiB each way
    # with autotuning), so the end-of-data marker cannot have left when the
    # server dies; a 1.4 MB body sometimes fitted whole (then "unknown" is right).
    big.set_content(("y" * 70 + "\n") * 200000)
    r = smtpcore.send_mail("127.0.0.1", port, big, tls="none", timeout=20)
    assert r.outcome == "rejected" and r.temporary  # its end of data never left: never delivered


def test_421_greeting_is_a_temporary_rejection(servers):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        conn.sendall(b"421 4.3.2 mx.example shutting down\r\n")
        conn.recv(1024)
        conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    r = smtpcore.send_mail("127.0.0.1", srv.getsockname()[1], make_message(), tls="none", timeout=20)
    srv.close()
    assert r.outcome == "rejected" and r.code == 421 and r.temporary and "shutting down" in r.text


def test_silent_server_times_out(servers):
    port = fault_server(servers, "silent")
    with pytest.raises(smtpcore.SMTPTimeout) as info:
        smtpcore.send_mail("127.0.0.1", port, make_message(), tls="none", timeout=1)
    assert isinstance(info.value, TimeoutError)
