"""send_mail(): one message, blocking, over sockets and ssl.MemoryBIO; the
pieces aio.send_mail() shares (the message, the session's bookkeeping)."""
from __future__ import annotations

import email.message
import email.policy
import email.utils
import select
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence, Tuple, Union

from . import events as ev
from ._client import DSN, Client, Envelope
from .errors import InvalidInput, ProtocolError, SMTPTimeout

Message = Union[email.message.EmailMessage, bytes]
TLS_CHOICES = ("starttls", "implicit", "none")


@dataclass(frozen=True)
class SendResult:
    """What happened to the message. `outcome` is "accepted", "rejected" or
    "unknown" (the connection died after end of data: it may have been
    delivered; do not resend blindly). `refused` maps each refused
    recipient to (code, text). `code` and `text` are the final reply's."""
    outcome: str
    code: int
    text: str
    refused: Dict[str, Tuple[int, str]] = field(default_factory=dict)
    temporary: bool = False
    dsn_dropped: bool = False  # DSN was asked and the server does not offer it: sent without

    @property
    def delivered(self) -> bool:
        """Accepted, for every recipient."""
        return self.outcome == "accepted" and not self.refused


def prepare(message: Message, sender: Optional[str], recipients: Optional[Sequence[str]]) -> Tuple[bytes, Envelope]:
    """The wire content (Bcc removed, CRLF) and the envelope (from the
    headers unless given)."""
    if isinstance(message, (bytes, bytearray)):
        if sender is None or recipients is None:
            raise InvalidInput("a bytes message needs sender= and recipients=")
        return bytes(message), Envelope(sender, list(recipients))
    if not isinstance(message, email.message.Message):
        raise InvalidInput("message must be an email.message.EmailMessage or bytes")
    if sender is None:
        found = email.utils.getaddresses(message.get_all("Sender", []) or message.get_all("From", []))
        sender = found[0][1] if found else ""
    if recipients is None:
        fields = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
        recipients = [addr for _, addr in email.utils.getaddresses(fields) if addr]
    copy = email.message_from_bytes(message.as_bytes(), policy=email.policy.SMTP)
    del copy["Bcc"]
    # RFC 5322 §3.6: Date is required and Message-ID expected; not every
    # server adds them. The caller's own are kept.
    if copy["Date"] is None:
        copy["Date"] = email.utils.formatdate(localtime=True)
    if copy["Message-ID"] is None:
        domain = sender.rpartition("@")[2] if "@" in sender else "localhost"
        copy["Message-ID"] = email.utils.make_msgid(domain=domain)
    return copy.as_bytes(policy=email.policy.SMTP), Envelope(sender, list(recipients))


def make_client(tls: str, username: Optional[str], password: Optional[str], timeout: Optional[float],
                auth: str = "auto", oauth_token: Optional[str] = None, chunking: str = "auto",
                protocol: str = "smtp") -> Client:
    """The engine for send_mail(): `timeout` (seconds) for every phase."""
    if tls not in TLS_CHOICES:
        raise InvalidInput(f"tls must be one of {', '.join(TLS_CHOICES)}")
    if timeout is None:
        return Client(tls=tls, username=username, password=password, auth=auth, oauth_token=oauth_token,
                      chunking=chunking, protocol=protocol)
    ms = int(timeout * 1000)
    return Client(tls=tls, username=username, password=password, auth=auth, oauth_token=oauth_token,
                  chunking=chunking, protocol=protocol, greeting=ms, mail=ms, rcpt=ms, data_init=ms, data_block=ms, data_end=ms,
                  command=ms)


class Outcome:
    """Folds the events of one message into a SendResult."""

    def __init__(self) -> None:
        self.refused: Dict[str, Tuple[int, str]] = {}
        self.result: Optional[SendResult] = None
        self.failure: Optional[BaseException] = None
        self.last: Optional[ev.Event] = None

    def on(self, e: ev.Event) -> None:
        self.last = e
        if isinstance(e, ev.RecipientResult) and not e.accepted:
            self.refused[e.recipient] = (e.code, e.text)
        elif isinstance(e, ev.RecipientOutcome) and not e.delivered:  # LMTP: refused after the end of data
            self.refused[e.recipient] = (e.code, e.text)
        elif isinstance(e, ev.MessageAccepted):
            self.result = SendResult("accepted", e.code, e.text, dict(self.refused), dsn_dropped=e.dsn_dropped)
        elif isinstance(e, ev.MessageRejected):
            self.result = SendResult("rejected", e.code, e.text, dict(self.refused), e.temporary, e.dsn_dropped)
        elif isinstance(e, ev.MessageUnknown):
            self.result = SendResult("unknown", e.code, e.text, dict(self.refused), dsn_dropped=e.dsn_dropped)
        elif isinstance(e, ev.SessionFailed) and self.failure is None:
            self.failure = e.error

    def finish(self) -> SendResult:
        """The result; an exception when the session failed before the
        message had an outcome (a refused session: a temporary rejection)."""
        if self.result is not None:
            return self.result
        if isinstance(self.last, ev.Closed):  # 421 or a refused greeting: never started
            return SendResult("rejected", self.last.code, self.last.text, {}, self.last.code < 500)
        if self.failure is not None:
            raise self.failure
        raise ProtocolError("the session ended without an outcome")


class Session:
    """One message's session, shared by send_mail() and aio.send_mail():
    they move the bytes, this decides what to do with each event."""

    def __init__(self, message: Message, sender: Optional[str], recipients: Optional[Sequence[str]], tls: str,
                 username: Optional[str], password: Optional[str], timeout: Optional[float],
                 auth: str = "auto", oauth_token: Optional[str] = None,
                 dsn: Optional[DSN] = None, require_tls: bool = False, chunking: str = "auto",
                 protocol: str = "smtp") -> None:
        self.body, envelope = prepare(message, sender, recipients)
        self.envelope = Envelope(envelope.sender, envelope.recipients, dsn=dsn, require_tls=require_tls)
        self.client = make_client(tls, username, password, timeout, auth, oauth_token, chunking, protocol)
        self.outcome = Outcome()

    def process(self) -> str:
        """Handles every event there is now. Returns "tls" (run the
        handshake, then client.tls_established()), "done" (write what is
        left, then outcome.finish()) or "io" (move bytes, wait for input)."""
        self.client.handle_timeout(time.monotonic())
        e = self.client.next_event()
        while e is not None:
            if isinstance(e, ev.StartTLS):
                return "tls"
            self.outcome.on(e)
            if isinstance(e, ev.Ready):
                if self.outcome.result is None:
                    self.client.submit(self.envelope)
                else:
                    self.client.quit()
            elif isinstance(e, ev.BodyWanted):
                self.client.send_body(self.body)
                self.client.end_body()
            elif isinstance(e, (ev.Closed, ev.SessionFailed)):
                return "done"
            e = self.client.next_event()
        return "io"


def send_mail(host: str, port: int, message: Message, *, sender: Optional[str] = None,
              recipients: Optional[Sequence[str]] = None, tls: str = "starttls", username: Optional[str] = None,
              password: Optional[str] = None, ssl_context: Optional[ssl.SSLContext] = None,
              timeout: Optional[float] = None, auth: str = "auto", oauth_token: Optional[str] = None,
              dsn: Optional[DSN] = None, require_tls: bool = False, chunking: str = "auto",
              protocol: str = "smtp") -> SendResult:
    """Sends one message and returns what happened to it. Certificates and
    host names are verified (ssl.create_default_context()) unless
    ssl_context says otherwise; STARTTLS is required by default. A rejected
    message or recipient is a result; exceptions are for sessions that could
    not run (smtpcore.Error subclasses, OSError for the connection).
    `dsn` asks for delivery status notifications (RFC 3461, smtpcore.DSN);
    `require_tls` sets REQUIRETLS (RFC 8689): refused before MAIL unless
    the session has TLS and the server offers it. `chunking` is Client's:
    "auto" (BDAT when offered), "never" or "always" (InvalidInput, nothing
    sent, when the server does not offer CHUNKING). `protocol="lmtp"`
    speaks LMTP (RFC 2033) to a mail store: each recipient refused after
    the end of data joins `refused`, and "accepted" means at least one
    recipient took the message."""
    session = Session(message, sender, recipients, tls, username, password, timeout, auth, oauth_token,
                      dsn, require_tls, chunking, protocol)
    client = session.client
    handshake_time = timeout or 300.0
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.setblocking(False)
        pipe = _Pipe(sock, ssl_context or ssl.create_default_context(), host)
        if tls == "implicit":
            pipe.handshake(time.monotonic() + handshake_time)
            client.tls_established()
        while True:
            action = session.process()
            pipe.write_all(client)
            if action == "done":
                return session.outcome.finish()
            if action == "tls":
                pipe.handshake(time.monotonic() + handshake_time)
                client.tls_established()
                continue
            deadline = client.deadline()
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            data = pipe.read(wait)
            if data is not None:
                client.receive_data(data)


class _Pipe:
    """A non-blocking socket, in plaintext or through an ssl.SSLObject over
    memory BIOs (so the engine decides when TLS starts)."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, host: str) -> None:
        self.sock = sock
        self.context = context
        self.host = host
        self.tls: Optional[ssl.SSLObject] = None
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.broken = False  # the peer closed while we were writing

    def _send_raw(self, data: bytes) -> None:
        view = memoryview(data)
        while view and not self.broken:
            try:
                sent = self.sock.send(view)
                view = view[sent:]
            except BlockingIOError:
                select.select([], [self.sock], [], 30)
            except (BrokenPipeError, ConnectionResetError):
                self.broken = True  # read() reports EOF: the engine decides the outcome

    def _flush_tls(self) -> None:
        data = self.outgoing.read()
        if data:
            self._send_raw(data)

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.tls is None:
            self._send_raw(data)
        else:
            self.tls.write(data)
            self._flush_tls()

    def write_all(self, client: Client) -> None:
        """Everything the engine has to send, a piece at a time, stopping
        when the peer has gone (the rest then never counts as sent)."""
        while not self.broken:
            data = client.data_to_send()
            if not data:
                return
            self.write(data)

    def handshake(self, deadline: float) -> None:
        self.tls = self.context.wrap_bio(self.incoming, self.outgoing, server_hostname=self.host)
        while True:
            try:
                self.tls.do_handshake()
                self._flush_tls()
                return
            except ssl.SSLWantReadError:
                self._flush_tls()
                raw = self._recv_raw(max(0.0, deadline - time.monotonic()))
                if raw is None:
                    raise SMTPTimeout("TLS handshake timed out", "timeout", "STARTTLS")
                if not raw:
                    raise ProtocolError("connection closed during the TLS handshake", "connection-lost", "STARTTLS")
                self.incoming.write(raw)

    def _recv_raw(self, wait: Optional[float]) -> Optional[bytes]:
        """Bytes from the socket, b"" at EOF, None when `wait` passed."""
        if self.broken:
            return b""
        ready, _, _ = select.select([self.sock], [], [], wait)
        if not ready:
            return None
        try:
            return self.sock.recv(65536)
        except BlockingIOError:
            return None
        except ConnectionResetError:
            return b""

    def read(self, wait: Optional[float]) -> Optional[bytes]:
        """Server bytes for the engine (b"" at EOF); waits at most `wait`
        seconds, then returns None so the caller can tell the time."""
        while True:
            if self.tls is not None:
                try:
                    return self.tls.read(65536)
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLZeroReturnError:
                    return b""
            raw = self._recv_raw(wait)
            if raw is None:
                return None
            if self.tls is None or not raw:
                return raw
            self.incoming.write(raw)

