"""Client(protocol="lmtp") (RFC 2033): LHLO instead of EHLO, and after the
end of data one RecipientOutcome per recipient accepted at RCPT, in RCPT
order, before the message's outcome, whose accepted_recipients counts the
recipients that took it."""
import pytest

import smtpcore

from test_envelope_extensions import sent


def lhlo_ready(**options):
    client = smtpcore.Client(client_name="client.example", tls="none", **options)
    client.receive_data(b"220 store.example LMTP\r\n")
    assert isinstance(client.next_event(), smtpcore.Greeting)
    assert sent(client) == b"LHLO client.example\r\n"
    client.receive_data(b"250-store.example\r\n250 PIPELINING\r\n")
    assert isinstance(client.next_event(), smtpcore.Ready)
    return client


def events(client):
    out = []
    e = client.next_event()
    while e is not None:
        out.append(e)
        e = client.next_event()
    return out


@pytest.mark.parametrize("options", [{"protocol": "lmtp"}, {"lmtp": True}])
def test_one_outcome_per_accepted_recipient(options):
    client = lhlo_ready(**options)
    client.submit(smtpcore.Envelope("a@example.org", ["b@example.net", "c@example.net", "d@example.net"]))
    assert sent(client).endswith(b"RCPT TO:<d@example.net>\r\nDATA\r\n")
    client.receive_data(b"250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n250 ok\r\n354 go\r\n")
    assert [type(e) for e in events(client)][-1] is smtpcore.BodyWanted
    client.send_body(b"hello\r\n")
    client.end_body()
    assert sent(client) == b"hello\r\n.\r\n"
    client.receive_data(b"250 2.0.0 saved\r\n452 4.2.2 mailbox full\r\n")
    got = events(client)
    assert [type(e) for e in got] == [smtpcore.RecipientOutcome, smtpcore.RecipientOutcome,
                                      smtpcore.MessageAccepted, smtpcore.Ready]
    first, second, outcome = got[0], got[1], got[2]
    assert (first.recipient, first.index, first.code, first.delivered) == ("b@example.net", 0, 250, True)
    assert (second.recipient, second.index, second.code, second.enhanced_status) == ("d@example.net", 2, 452, "4.2.2")
    assert second.temporary and not second.delivered and second.text == "mailbox full"
    assert outcome.accepted_recipients == 1


def test_every_recipient_refused_after_the_dot_rejects_the_message():
    client = lhlo_ready(protocol="lmtp")
    client.submit(smtpcore.Envelope("a@example.org", ["b@example.net"]))
    sent(client)
    client.receive_data(b"250 ok\r\n250 ok\r\n354 go\r\n")
    events(client)
    client.send_body(b"x\r\n")
    client.end_body()
    sent(client)
    client.receive_data(b"552 5.2.2 over quota\r\n")
    got = events(client)
    assert isinstance(got[0], smtpcore.RecipientOutcome) and not got[0].temporary
    assert isinstance(got[1], smtpcore.MessageRejected) and not got[1].temporary and got[1].code == 552


def test_smtp_is_the_default_and_a_bad_protocol_is_refused():
    client = smtpcore.Client(client_name="client.example", tls="none")
    client.receive_data(b"220 mx ESMTP\r\n")
    client.next_event()
    assert sent(client) == b"EHLO client.example\r\n"
    with pytest.raises(smtpcore.InvalidInput):
        smtpcore.Client(protocol="lmtp2")
