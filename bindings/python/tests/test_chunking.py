"""Client(chunking=) and send_mail(chunking=): BDAT (RFC 3030) when the
server offers CHUNKING, DATA otherwise or with "never", and "always" refused
clearly, nothing sent, by a server without CHUNKING; then send_mail() against
loopback aiosmtpd, which offers no CHUNKING: "auto" falls back to DATA and
delivers, "always" refuses before MAIL."""
import asyncio
import email.message
import os

import pytest

import smtpcore
import smtpcore.aio

from test_envelope_extensions import ready as ready_with, sent


def ready(ehlo_keywords, chunking):
    return ready_with(ehlo_keywords, chunking=chunking)


ENVELOPE = smtpcore.Envelope("a@example.org", ["b@example.net"])
ENVELOPE_LINES = b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n"


def events(client):
    out = []
    e = client.next_event()
    while e is not None:
        out.append(e)
        e = client.next_event()
    return out


@pytest.mark.parametrize("chunking", ["auto", "always"])
def test_bdat_when_chunking_is_offered(chunking):
    client = ready([b"CHUNKING"], chunking)
    client.submit(ENVELOPE)
    assert isinstance(client.next_event(), smtpcore.BodyWanted)  # no DATA, no 354
    client.send_body(b".dot\n")
    client.end_body()
    assert sent(client) == ENVELOPE_LINES + b"BDAT 6 LAST\r\n.dot\r\n"  # sized, no dot doubled
    client.receive_data(b"250 ok\r\n250 ok\r\n250 queued\r\n")
    assert isinstance(events(client)[-2], smtpcore.MessageAccepted)


@pytest.mark.parametrize("chunking, keywords", [("never", [b"CHUNKING"]), ("auto", [])])
def test_data_when_never_or_not_offered(chunking, keywords):
    client = ready(keywords, chunking)
    client.submit(ENVELOPE)
    assert sent(client) == ENVELOPE_LINES + b"DATA\r\n"
    client.receive_data(b"250 ok\r\n250 ok\r\n354 go\r\n")
    assert isinstance(events(client)[-1], smtpcore.BodyWanted)
    client.send_body(b".dot\n")
    client.end_body()
    assert sent(client) == b"..dot\r\n.\r\n"


def test_always_without_chunking_refuses_and_sends_nothing():
    client = ready([b"8BITMIME"], "always")
    with pytest.raises(smtpcore.InvalidInput) as e:
        client.submit(ENVELOPE)
    assert e.value.kind == "unsupported" and "CHUNKING" in str(e.value)
    assert sent(client) == b""


def test_unknown_policy_is_refused():
    with pytest.raises(smtpcore.InvalidInput, match="chunking must be one of"):
        smtpcore.Client(tls="none", chunking="sometimes")


def make_message():
    m = email.message.EmailMessage()
    m["From"] = "a@example.org"
    m["To"] = "ops@example.net"
    m["Subject"] = "chunking"
    m.set_content("hi\n.dot\n")
    return m


def test_send_mail_against_aiosmtpd_auto_falls_back_to_data_always_refuses(servers):
    spool = servers.dir("plain")
    port = servers.aiosmtpd(spool)  # no STARTTLS, no CHUNKING
    with pytest.raises(smtpcore.InvalidInput) as e:
        smtpcore.send_mail("127.0.0.1", port, make_message(), tls="none", timeout=20, chunking="always")
    assert e.value.kind == "unsupported" and "CHUNKING" in str(e.value)
    with pytest.raises(smtpcore.InvalidInput):
        asyncio.run(smtpcore.aio.send_mail("127.0.0.1", port, make_message(), tls="none", timeout=20,
                                           chunking="always"))
    assert not os.path.exists(os.path.join(spool, "1.eml"))  # nothing was sent
    r = smtpcore.send_mail("127.0.0.1", port, make_message(), tls="none", timeout=20, chunking="auto")
    assert r.outcome == "accepted" and r.delivered
    with open(os.path.join(spool, "1.eml"), "rb") as f:
        assert f.read().replace(b"\r\n", b"\n").endswith(b"hi\n.dot\n")  # dot-stuffed DATA, unstuffed by the server


def test_several_messages_in_flight():
    """messages_in_flight=2: the second message's content follows its
    envelope at once, before the first message's final reply; outcomes in order."""
    client = ready_with([b"CHUNKING"], chunking="auto", messages_in_flight=2)
    client.submit(ENVELOPE)
    assert isinstance(client.next_event(), smtpcore.BodyWanted)
    client.send_body(b"one\n")
    client.end_body()
    assert client.next_event() is None
    client.submit(smtpcore.Envelope("c@example.org", ["d@example.net"]))
    wanted = client.next_event()
    assert isinstance(wanted, smtpcore.BodyWanted) and wanted.message == 2
    client.send_body(b"two\n")
    client.end_body()
    assert sent(client) == (ENVELOPE_LINES + b"BDAT 5 LAST\r\none\r\n" +
                            b"MAIL FROM:<c@example.org>\r\nRCPT TO:<d@example.net>\r\nBDAT 5 LAST\r\ntwo\r\n")
    client.receive_data(b"250 ok\r\n250 ok\r\n250 queued\r\n250 ok\r\n250 ok\r\n250 queued\r\n")
    outcomes = [e for e in events(client) if isinstance(e, smtpcore.MessageAccepted)]
    assert [e.message for e in outcomes] == [1, 2]


def test_messages_in_flight_defaults_to_one():
    client = ready_with([b"CHUNKING"], chunking="auto")
    client.submit(ENVELOPE)
    assert isinstance(client.next_event(), smtpcore.BodyWanted)
    client.send_body(b"one\n")
    client.end_body()
    client.submit(smtpcore.Envelope("c@example.org", ["d@example.net"]))
    assert client.next_event() is None  # its content waits for the first outcome
