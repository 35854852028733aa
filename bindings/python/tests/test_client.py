"""smtpcore.Client without I/O: a scripted dialogue, any split of the
server's bytes gives the same events and bytes (hypothesis), input refused
before anything is sent, and no growth over 10,000 sessions."""
import os

from hypothesis import given, settings
from hypothesis import strategies as st

import smtpcore

GREETING = b"220 mx.example ESMTP\r\n"
EHLO_REPLY = b"250-mx.example\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
ENVELOPE_REPLIES = (b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.net>: unknown\r\n"
                    b"354 End data with <CR><LF>.<CR><LF>\r\n")
DATA_REPLY = b"250 2.0.0 Ok: queued as 7\r\n"
QUIT_REPLY = b"221 2.0.0 Bye\r\n"
FLIGHTS = [GREETING, EHLO_REPLY, ENVELOPE_REPLIES, DATA_REPLY, QUIT_REPLY]


def run_session(pieces_of):
    """Plays the dialogue, splitting each server flight with pieces_of(flight);
    returns (event descriptions, every byte sent)."""
    client = smtpcore.Client(client_name="client.example", tls="none")
    seen, wire = [], bytearray()
    body_sent = False
    for flight in FLIGHTS:
        for piece in pieces_of(flight):
            client.receive_data(piece)
            e = client.next_event()
            while e is not None:
                seen.append((type(e).__name__, e.code, e.enhanced_status, getattr(e, "recipient", None)))
                if isinstance(e, smtpcore.Ready):
                    if body_sent:
                        client.quit()
                    else:
                        client.submit(smtpcore.Envelope("me@example.org", ["ops@example.net", "nobody@example.net"]))
                elif isinstance(e, smtpcore.BodyWanted):
                    client.send_body(b"Subject: hi\n\n.dot\nbare lf\n")
                    client.end_body()
                    body_sent = True
                e = client.next_event()
            out = client.data_to_send()
            while out:
                wire += out
                out = client.data_to_send()
    return seen, bytes(wire)


WHOLE = run_session(lambda flight: [flight])


def test_dialogue_events_and_wire():
    events, wire = WHOLE
    assert [name for name, *_ in events] == [
        "Greeting", "Ready", "RecipientResult", "RecipientResult", "BodyWanted", "MessageAccepted", "Ready",
        "Closed"]
    assert events[2] == ("RecipientResult", 250, "2.1.5", "ops@example.net")
    assert events[3] == ("RecipientResult", 550, "5.1.1", "nobody@example.net")
    assert wire == (b"EHLO client.example\r\nMAIL FROM:<me@example.org>\r\nRCPT TO:<ops@example.net>\r\n"
                    b"RCPT TO:<nobody@example.net>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\nbare lf\r\n.\r\n"
                    b"QUIT\r\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_any_split_of_receive_data_gives_the_same_session(cuts):
    def pieces_of(flight):
        out, i, k = [], 0, 0
        while i < len(flight):
            n = cuts[k % len(cuts)]
            out.append(flight[i:i + n])
            i += n
            k += 1
        return out
    assert run_session(pieces_of) == WHOLE


def test_bad_address_is_refused_before_anything_is_sent():
    client = smtpcore.Client(tls="none")
    client.receive_data(GREETING + b"250 mx\r\n")
    assert isinstance(client.next_event(), smtpcore.Greeting)
    client.data_to_send()
    assert isinstance(client.next_event(), smtpcore.Ready)
    try:
        client.submit(smtpcore.Envelope("me@example.org", ["x@example.net\r\nRSET"]))
        raise AssertionError("accepted an address with CRLF")
    except smtpcore.InvalidInput as e:
        assert e.kind == "invalid-input"
    assert client.data_to_send() == b""


def test_submit_before_ready_is_refused():
    client = smtpcore.Client(tls="none")
    try:
        client.submit(smtpcore.Envelope("me@example.org", ["ops@example.net"]))
        raise AssertionError("submit() before Ready was accepted")
    except smtpcore.InvalidInput as e:
        assert e.kind == "misuse"


def test_time_is_an_input():
    client = smtpcore.Client(tls="none", greeting=1000)
    client.handle_timeout(10.0)
    assert client.deadline() == 11.0
    client.handle_timeout(10.999)
    assert client.next_event() is None
    client.handle_timeout(11.0)
    e = client.next_event()
    assert isinstance(e, smtpcore.SessionFailed) and isinstance(e.error, smtpcore.SMTPTimeout)


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def test_no_leaks_over_10000_sessions():
    whole = lambda flight: [flight]  # noqa: E731
    for _ in range(500):  # warm up caches and the allocator
        run_session(whole)
    before = rss_kib()
    for _ in range(10000):
        run_session(whole)
    grown = rss_kib() - before
    assert grown < 2048, "RSS grew by %d KiB over 10,000 sessions" % grown


def _drive(client, flights):
    """Feeds each server flight, pulls every event, returns (events, wire)."""
    seen, wire = [], bytearray()
    for flight in flights:
        client.receive_data(flight)
        e = client.next_event()
        while e is not None:
            seen.append(e)
            if isinstance(e, smtpcore.StartTLS):
                client.tls_established()
            e = client.next_event()
        out = client.data_to_send()
        while out:
            wire += out
            out = client.data_to_send()
    return seen, bytes(wire)


TLS_FLIGHTS = [GREETING, b"250-mx.example\r\n250 STARTTLS\r\n", b"220 2.0.0 go ahead\r\n"]


def test_oauth_token_error_flow_reports_the_status():
    client = smtpcore.Client(client_name="client.example", username="user", auth="xoauth2",
                             oauth_token="ya29.token")
    error_json = b"eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0="
    events, wire = _drive(client, TLS_FLIGHTS + [b"250-mx.example\r\n250 AUTH PLAIN XOAUTH2\r\n",
                                                 b"334 " + error_json + b"\r\n", b"535 5.7.8 bad token\r\n"])
    assert b"AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\r\n\r\n" in wire  # then the empty response
    assert b"AUTH PLAIN" not in wire
    failed = events[-1]
    assert isinstance(failed, smtpcore.SessionFailed)
    assert failed.code == 535 and failed.text.endswith("OAuth status: 401")


def test_auth_choice_is_checked():
    try:
        smtpcore.Client(username="user", password="pw", auth="digest-md5")
    except smtpcore.InvalidInput as e:
        assert "auth must be one of" in str(e)
    else:
        raise AssertionError("an unknown mechanism was taken")
