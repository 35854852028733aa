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


def test_eof_after_the_first_of_three_replies_counts_two_unknown():
    client = lhlo_ready(protocol="lmtp")
    client.submit(smtpcore.Envelope("a@example.org", ["b@example.net", "c@example.net", "d@example.net"]))
    sent(client)
    client.receive_data(b"250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n")
    events(client)
    client.send_body(b"x\r\n")
    client.end_body()
    sent(client)
    client.receive_data(b"250 2.0.0 saved\r\n")
    client.receive_data(b"")
    got = [e for e in events(client) if isinstance(e, (smtpcore.RecipientOutcome, smtpcore.MessageUnknown))]
    assert [type(e) for e in got] == [smtpcore.RecipientOutcome, smtpcore.MessageUnknown]
    assert (got[1].accepted_recipients, got[1].unknown_recipients) == (1, 2)


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


class ScriptedLmtpServer:
    """A loopback LMTP server for one session: LHLO, then MAIL/RCPT (the
    recipients in `refuse_at_rcpt` get 550), then after the end of data one
    reply per accepted recipient, from `after_dot`, in RCPT order."""

    def __init__(self, after_dot, refuse_at_rcpt=()):
        import socket
        import threading
        self.after_dot = list(after_dot)
        self.refuse_at_rcpt = set(refuse_at_rcpt)
        self.commands = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.listener.accept()
        conn.settimeout(10)
        reader = conn.makefile("rb")
        conn.sendall(b"220 store.example LMTP\r\n")
        accepted = 0
        for raw in reader:
            line = raw.rstrip(b"\r\n")
            self.commands.append(line)
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"LHLO":
                conn.sendall(b"250-store.example\r\n250 PIPELINING\r\n")
            elif verb == b"RCPT":
                refused = any(r.encode() in line for r in self.refuse_at_rcpt)
                accepted += 0 if refused else 1
                conn.sendall(b"550 5.1.1 no such user\r\n" if refused else b"250 ok\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go\r\n")
                for body in reader:
                    if body == b".\r\n":
                        break
                conn.sendall(b"".join(self.after_dot[:accepted]))
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 ok\r\n")
        conn.close()
        self.listener.close()


def test_send_mail_speaks_lmtp_and_reports_each_recipient():
    server = ScriptedLmtpServer([b"250 2.0.0 saved\r\n", b"452 4.2.2 mailbox full\r\n"],
                                refuse_at_rcpt=["c@example.net"])
    result = smtpcore.send_mail("127.0.0.1", server.port, b"Subject: x\r\n\r\nhello\r\n", sender="a@example.org",
                                recipients=["b@example.net", "c@example.net", "d@example.net"], tls="none",
                                timeout=10, protocol="lmtp")
    server.thread.join(10)
    assert server.commands[0] == b"LHLO localhost" or server.commands[0].startswith(b"LHLO ")
    assert result.outcome == "accepted" and not result.delivered
    assert result.refused == {"c@example.net": (550, "no such user"), "d@example.net": (452, "mailbox full")}


def test_send_mail_lmtp_every_recipient_refused_after_the_dot():
    server = ScriptedLmtpServer([b"552 5.2.2 over quota\r\n"])
    result = smtpcore.send_mail("127.0.0.1", server.port, b"Subject: x\r\n\r\nhello\r\n", sender="a@example.org",
                                recipients=["b@example.net"], tls="none", timeout=10, protocol="lmtp")
    server.thread.join(10)
    assert server.commands[0].startswith(b"LHLO ")
    assert result.outcome == "rejected" and not result.temporary
    assert result.refused == {"b@example.net": (552, "over quota")}
