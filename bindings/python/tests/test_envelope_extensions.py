"""DSN (RFC 3461) and REQUIRETLS (RFC 8689) in the Python package: the
parameters on the wire, the drop and refuse policies, refusals that send
nothing, and send_mail(dsn=, require_tls=) against loopback aiosmtpd
(which offers neither)."""
import email.message

import pytest

import smtpcore

GREETING = b"220 mx.example ESMTP\r\n"


def ready(ehlo_keywords, **client_options):
    """A client past EHLO with these keywords; returns (client, wire so far)."""
    client = smtpcore.Client(client_name="client.example", tls="none", **client_options)
    client.receive_data(GREETING)
    while client.next_event() is not None:
        pass
    client.data_to_send()
    lines = [b"mx.example", b"PIPELINING"] + ehlo_keywords
    client.receive_data(b"".join((b"250-" if i + 1 < len(lines) else b"250 ") + l + b"\r\n"
                                 for i, l in enumerate(lines)))
    assert isinstance(client.next_event(), smtpcore.Ready)
    return client


def sent(client):
    out = bytearray()
    chunk = client.data_to_send()
    while chunk:
        out += chunk
        chunk = client.data_to_send()
    return bytes(out)


def envelope(**dsn):
    return smtpcore.Envelope("a@example.org", ["b@example.net"], dsn=smtpcore.DSN(**dsn))


def test_dsn_parameters_on_the_wire():
    client = ready([b"DSN"])
    client.submit(envelope(notify=("success", "delay"), ret="full", envid="id+1", orcpt=["b@example.net"]))
    assert sent(client) == (b"MAIL FROM:<a@example.org> RET=FULL ENVID=id+2B1\r\n"
                            b"RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@example.net\r\nDATA\r\n")


def test_dsn_not_offered_drop_reports_it_on_the_outcome():
    client = ready([])
    client.submit(envelope(notify=("success",)))
    assert sent(client) == b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n"
    client.receive_data(b"250 ok\r\n250 ok\r\n354 go\r\n")
    while client.next_event() is not None:
        pass
    client.end_body()
    assert sent(client) == b".\r\n"
    client.receive_data(b"250 queued\r\n")
    outcome = client.next_event()
    assert isinstance(outcome, smtpcore.MessageAccepted) and outcome.dsn_dropped


def test_dsn_not_offered_refuse_sends_nothing():
    client = ready([])
    with pytest.raises(smtpcore.InvalidInput) as e:
        client.submit(envelope(notify=("success",), if_unoffered="refuse"))
    assert e.value.kind == "unsupported"
    assert sent(client) == b""


@pytest.mark.parametrize("envid", ["x\r\nRSET", "x\ny", "tab\there"])
def test_dsn_envid_injection_refused(envid):
    client = ready([b"DSN"])
    with pytest.raises(smtpcore.InvalidInput):
        client.submit(envelope(envid=envid))
    assert sent(client) == b""


def test_dsn_orcpt_injection_refused():
    client = ready([b"DSN"])
    with pytest.raises(smtpcore.InvalidInput) as e:
        client.submit(envelope(orcpt=["b@example.net\r\nRCPT TO:<evil@example.com>"]))
    assert e.value.kind == "invalid-input"
    assert sent(client) == b""


def test_dsn_bad_notify_word():
    client = ready([b"DSN"])
    with pytest.raises(smtpcore.InvalidInput):
        client.submit(envelope(notify=("sometimes",)))


def test_dsn_notify_per_recipient():
    client = ready([b"DSN"])
    client.submit(smtpcore.Envelope("a@example.org", ["b@example.net", "c@example.net", "d@example.net"],
                                    dsn=smtpcore.DSN(notify=("failure",),
                                                     notify_each=[("success", "delay"), (), ("never",)])))
    assert sent(client) == (b"MAIL FROM:<a@example.org>\r\n"
                            b"RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY\r\n"
                            b"RCPT TO:<c@example.net> NOTIFY=FAILURE\r\n"
                            b"RCPT TO:<d@example.net> NOTIFY=NEVER\r\nDATA\r\n")


@pytest.mark.parametrize("notify_each", [[("never", "success")], [(), ()]])
def test_dsn_notify_per_recipient_refused(notify_each):
    client = ready([b"DSN"])
    with pytest.raises(smtpcore.InvalidInput):
        client.submit(envelope(notify_each=notify_each))
    assert sent(client) == b""


def test_require_tls_without_tls_sends_nothing():
    client = ready([b"REQUIRETLS"])
    with pytest.raises(smtpcore.TLSRequiredError):
        client.submit(smtpcore.Envelope("a@example.org", ["b@example.net"], require_tls=True))
    assert sent(client) == b""


def test_send_mail_dsn_dropped_and_require_tls(tls_server):
    port, spool, context = tls_server
    m = email.message.EmailMessage()
    m["From"] = "a@example.org"
    m["To"] = "ops@example.net"
    m["Subject"] = "dsn"
    m.set_content("hi\n")
    r = smtpcore.send_mail("localhost", port, m, username="dev", password="pw", ssl_context=context, timeout=20,
                           dsn=smtpcore.DSN(notify=("failure",)))
    assert r.outcome == "accepted" and r.dsn_dropped  # aiosmtpd offers no DSN
    with pytest.raises(smtpcore.InvalidInput) as e:  # over TLS, but REQUIRETLS is not offered
        smtpcore.send_mail("localhost", port, m, username="dev", password="pw", ssl_context=context, timeout=20,
                           require_tls=True)
    assert e.value.kind == "unsupported"
