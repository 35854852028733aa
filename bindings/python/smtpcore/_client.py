"""The sans-I/O client (h11/h2 style) over the C ABI's engine."""
from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Type

from . import _native as n
from . import events as ev
from .errors import InvalidInput, error_for

_SEND_CHUNK = 65536
_SEND_BUFFER = 16384
_TIMEOUTS = ("greeting", "mail", "rcpt", "data_init", "data_block", "data_end", "command")
_LIMITS = {"reply_line": "limit_reply_line", "reply_lines": "limit_reply_lines",
           "sasl_challenges": "limit_sasl_challenges", "reply_text_capacity": "reply_text_capacity",
           "recv_capacity": "recv_capacity", "max_recipients_in_flight": "max_recipients_in_flight",
           "messages_in_flight": "messages_in_flight"}


_NOTIFY = {"never": 1, "success": 2, "failure": 4, "delay": 8}
_RET = {None: 0, "full": 1, "hdrs": 2}


@dataclass(frozen=True)
class DSN:
    """A delivery status notification request (RFC 3461), in plain text:
    the engine xtext-encodes it. `notify`: ("never",) or any of "success",
    "failure", "delay" (empty: the server's default); `ret`: "full" or
    "hdrs"; `envid`: printable ASCII, at most 100 octets encoded; `orcpt`:
    None, or one original address (or None) per recipient. `if_unoffered`:
    "drop" (send without them; the outcome event says dsn_dropped) or
    "refuse" (submit() raises InvalidInput of kind "unsupported", nothing
    is sent). `notify_each`: None, or one NOTIFY list per recipient (RFC
    3461 §4.1 is a RCPT parameter), an empty one meaning `notify`."""
    notify: Sequence[str] = ()
    ret: Optional[str] = None
    envid: Optional[str] = None
    orcpt: Optional[Sequence[Optional[str]]] = None
    if_unoffered: str = "drop"
    notify_each: Optional[Sequence[Sequence[str]]] = None


@dataclass(frozen=True)
class Envelope:
    """One message's envelope (RFC 5321 §3.3): the sender ("" for the null
    sender) and every recipient (To, Cc and Bcc alike). `require_tls`: the
    REQUIRETLS parameter (RFC 8689): without TLS, or when the server does
    not offer it, submit() refuses the message and nothing is sent."""
    sender: str
    recipients: Sequence[str]
    size: Optional[int] = field(default=None, kw_only=True)
    eight_bit: bool = field(default=False, kw_only=True)
    smtputf8: bool = field(default=False, kw_only=True)
    dsn: Optional[DSN] = field(default=None, kw_only=True)
    require_tls: bool = field(default=False, kw_only=True)


def _notify_bits(words: Sequence[str]) -> int:
    bits = 0
    for word in words:
        if word.lower() not in _NOTIFY:
            raise InvalidInput(f"DSN notify takes never, success, failure or delay, not {word!r}")
        bits |= _NOTIFY[word.lower()]
    return bits


def _set_dsn(c: "n.CEnvelope", dsn: DSN, recipients: int, keep: List[Any]) -> None:
    """Fills the C envelope's DSN fields; what they point at goes to `keep`."""
    bits = _notify_bits(dsn.notify)
    if dsn.ret not in _RET or dsn.if_unoffered not in ("drop", "refuse"):
        raise InvalidInput("DSN ret is 'full', 'hdrs' or None; if_unoffered 'drop' or 'refuse'")
    c.dsn = 1
    c.dsn_notify = bits
    c.dsn_ret = _RET[dsn.ret]
    c.dsn_unoffered = 1 if dsn.if_unoffered == "refuse" else 0
    envid = (dsn.envid or "").encode()
    keep.append(envid)
    c.dsn_envid = n.str_of(envid)
    if dsn.orcpt is not None:
        if len(dsn.orcpt) != recipients:
            raise InvalidInput("DSN orcpt needs one entry (or None) per recipient")
        addresses = [(a or "").encode() for a in dsn.orcpt]
        array = (n.Str * max(1, recipients))(*[n.str_of(b) for b in addresses])
        keep.extend(addresses)
        keep.append(array)
        c.dsn_orcpt = ctypes.cast(array, ctypes.POINTER(n.Str))
    if dsn.notify_each is not None:
        if len(dsn.notify_each) != recipients:
            raise InvalidInput("DSN notify_each needs one list (empty: notify) per recipient")
        values = (ctypes.c_uint8 * max(1, recipients))(*[_notify_bits(w) for w in dsn.notify_each])
        keep.append(values)
        c.dsn_notify_each = ctypes.cast(values, ctypes.POINTER(ctypes.c_uint8))


def _status(e: n.CEvent) -> Optional[str]:
    return f"{e.status_class}.{e.status_subject}.{e.status_detail}" if e.status_class else None


_PLAIN: Dict[int, Type[ev.Event]] = {1: ev.Greeting, 2: ev.StartTLS, 3: ev.Authenticated, 4: ev.Ready,
                                     6: ev.BodyWanted, 10: ev.Closed}


class Client:
    """An ESMTP session that does no I/O: feed it the server's bytes with
    receive_data(), send what data_to_send() returns, and act on the events
    next_event() reports. It never allocates inside the engine; this object
    holds the engine's storage.

    `tls` is "starttls" (required: the default), "opportunistic", "implicit"
    or "none". Timeouts (milliseconds, RFC 5321 §4.5.3.2) and bounds are
    keyword arguments: greeting, mail, rcpt, data_init, data_block,
    data_end, command; reply_line, reply_lines, sasl_challenges,
    reply_text_capacity, recv_capacity, max_recipients_in_flight,
    messages_in_flight (1 to 15, default 1: with CHUNKING and PIPELINING
    offered, that many messages' content may go out before the first is
    answered; a message submitted ahead then gets BodyWanted at once).

    `auth` picks the SASL mechanism: "auto" (the default: with `oauth_token`
    OAUTHBEARER, else XOAUTH2; otherwise SCRAM-SHA-256-PLUS when
    tls_established() was given a channel binding, else SCRAM-SHA-256, else
    PLAIN, else LOGIN), or one of "plain", "login", "xoauth2", "oauthbearer",
    "scram-sha-256", "scram-sha-256-plus", "cram-md5". The SCRAM nonce comes
    from os.urandom(). `scram_max_iterations` bounds the PBKDF2 work a server
    may ask for (default 65536).

    `chunking` says how message content goes out: "auto" (the default: BDAT,
    RFC 3030, when the server offers CHUNKING, DATA otherwise), "never"
    (always DATA) or "always" (BDAT or nothing: submit() raises InvalidInput
    of kind "unsupported" when the server does not offer CHUNKING).

    `protocol` is "smtp" (the default) or "lmtp" (RFC 2033, for a mail store:
    LHLO, and after the end of data a RecipientOutcome event per recipient
    accepted at RCPT before the message's outcome; no BDAT, at most 64
    recipients). `lmtp=True` is the same as protocol="lmtp".
    """

    def __init__(self, client_name: str = "localhost", tls: str = "starttls", username: Optional[str] = None,
                 password: Optional[str] = None, allow_plaintext_auth: bool = False, auth: str = "auto",
                 oauth_token: Optional[str] = None, scram_max_iterations: int = 0, chunking: str = "auto",
                 protocol: str = "smtp", lmtp: bool = False, **bounds_and_timeouts: int) -> None:
        if tls not in n.TLS_MODES:
            raise InvalidInput(f"tls must be one of {', '.join(n.TLS_MODES)}")
        if auth not in n.AUTH_CHOICES:
            raise InvalidInput(f"auth must be one of {', '.join(n.AUTH_CHOICES)}")
        if chunking not in n.CHUNKING_POLICIES:
            raise InvalidInput(f"chunking must be one of {', '.join(n.CHUNKING_POLICIES)}")
        self._chunking = chunking
        if lmtp:
            protocol = "lmtp"
        if protocol not in n.PROTOCOLS:
            raise InvalidInput(f"protocol must be one of {', '.join(n.PROTOCOLS)}")
        config = n.Config()
        n.lib.smtpcore_config_init(ctypes.byref(config), ctypes.sizeof(config))
        # The engine borrows these strings for the client's whole life.
        self._keep: List[bytes] = [client_name.encode(), (username or "").encode(), (password or "").encode()]
        config.client_name = n.str_of(self._keep[0])
        config.username = n.str_of(self._keep[1])
        config.password = n.str_of(self._keep[2])
        config.tls = n.TLS_MODES[tls]
        config.auth = n.AUTH_CHOICES[auth]
        # The engine has no random source: 24 octets from the OS for the SCRAM nonce.
        self._keep += [(oauth_token or "").encode(), os.urandom(24) if username else b""]
        config.oauth_token = n.str_of(self._keep[3])
        config.sasl_random = n.str_of(self._keep[4])
        config.scram_max_iterations = int(scram_max_iterations)
        config.allow_plaintext_auth = bool(allow_plaintext_auth)
        config.chunking = n.CHUNKING_POLICIES[chunking]
        config.protocol = n.PROTOCOLS[protocol]
        for key, value in bounds_and_timeouts.items():
            if key in _TIMEOUTS:
                setattr(config.timeouts, key, int(value))
            elif key in _LIMITS:
                setattr(config, _LIMITS[key], int(value))
            else:
                raise TypeError(f"unknown bound or timeout: {key}")
        # Storage past the minimum becomes the engine's send buffer: 16 KiB
        # more lets a body go out in a few large pieces instead of many
        # 512-octet ones (fewer calls through ctypes).
        size = n.lib.smtpcore_client_size(ctypes.byref(config)) + _SEND_BUFFER
        self._storage = ctypes.create_string_buffer(size + 16)
        offset = (-ctypes.addressof(self._storage)) % 16
        handle = ctypes.c_void_p()
        kind = n.lib.smtpcore_client_init(ctypes.addressof(self._storage) + offset, size, ctypes.byref(config),
                                          ctypes.byref(handle))
        if not handle.value:
            raise InvalidInput("the engine refused its storage")
        self._c = handle.value
        if kind:
            err = n.lib.smtpcore_last_error(self._c)
            raise error_for(n.lib.smtpcore_error_name(kind).decode(), err.reason.decode())
        self._event = n.CEvent()
        self._event.struct_size = ctypes.sizeof(self._event)
        self._inbox = bytearray()
        self._eof = False
        self._eof_told = False
        self._body = bytearray()
        self._body_end = False
        self._held: Dict[int, Any] = {}  # envelope strings, kept until the message's outcome
        self._submitted = 0
        self._body_open = False  # a BodyWanted came and its body has not ended

    # ---- input -----------------------------------------------------------
    def receive_data(self, data: bytes) -> None:
        """Bytes the server sent; b"" means the connection reached EOF."""
        if data:
            self._inbox += data
        else:
            self._eof = True

    def tls_established(self, channel_binding: Optional[bytes] = None) -> None:
        """The TLS handshake finished and the certificate was verified.
        `channel_binding`: the 32-octet RFC 9266 tls-exporter of the
        connection, which makes SCRAM-SHA-256-PLUS possible. (Python's ssl
        module cannot export it as of 3.11, so send_mail() passes none.)"""
        if channel_binding:
            self._binding = bytes(channel_binding)
            self._check(n.lib.smtpcore_tls_established_binding(self._c, self._binding, len(self._binding)))
        else:
            self._check(n.lib.smtpcore_tls_established(self._c))

    def handle_timeout(self, now: float) -> None:
        """Tells the engine the time (seconds on a monotonic clock)."""
        n.lib.smtpcore_handle_timeout(self._c, int(now * 1000))

    def deadline(self) -> Optional[float]:
        """When to call handle_timeout() at the latest, or None."""
        d = n.lib.smtpcore_deadline(self._c)
        return None if d == n.NEVER else d / 1000.0

    # ---- output ----------------------------------------------------------
    def next_event(self) -> Optional[ev.Event]:
        """The next event, or None when there is nothing to report."""
        while True:
            kind = n.lib.smtpcore_next_event(self._c, ctypes.byref(self._event))
            if kind:
                return self._convert(self._event)
            if self._inbox:
                buf = (ctypes.c_char * len(self._inbox)).from_buffer(self._inbox)
                taken = n.lib.smtpcore_feed(self._c, buf, len(self._inbox))
                del buf
                if taken:
                    del self._inbox[:taken]
                    continue
            if self._eof and not self._inbox and not self._eof_told:
                self._eof_told = True
                n.lib.smtpcore_connection_closed(self._c)
                continue
            self._pump_body()
            return None

    def data_to_send(self) -> bytes:
        """Bytes to write now (b"" when nothing), at most 64 KiB per call:
        call again until it returns b"". Bytes returned count as written,
        so a message whose end of data was returned ends MessageUnknown,
        never MessageRejected, if the connection then dies."""
        out = bytearray()
        while len(out) < _SEND_CHUNK:
            self._pump_body()
            s = n.lib.smtpcore_send_buf(self._c)
            if not s.size:
                break
            size = min(s.size, _SEND_CHUNK - len(out))
            out += ctypes.string_at(s.data, size)
            n.lib.smtpcore_send_ack(self._c, size)
        return bytes(out)

    # ---- commands --------------------------------------------------------
    def submit(self, envelope: Envelope) -> None:
        """Starts a transaction (after Ready). Raises InvalidInput, naming
        the field, for an address the engine refuses; nothing is sent then."""
        keep = [envelope.sender.encode()] + [r.encode() for r in envelope.recipients]
        rcpts = (n.Str * max(1, len(envelope.recipients)))(*[n.str_of(b) for b in keep[1:]])
        c = n.CEnvelope()
        n.lib.smtpcore_envelope_init(ctypes.byref(c), ctypes.sizeof(c))
        c.from_ = n.str_of(keep[0])
        c.recipients = ctypes.cast(rcpts, ctypes.POINTER(n.Str))
        c.recipient_count = len(envelope.recipients)
        c.size_hint = envelope.size or 0
        c.body = 1 if envelope.eight_bit else 0
        c.smtputf8 = envelope.smtputf8
        c.require_tls = envelope.require_tls
        if envelope.dsn is not None:
            _set_dsn(c, envelope.dsn, len(envelope.recipients), keep)
        kind = n.lib.smtpcore_submit(self._c, ctypes.byref(c))
        if kind == n.E_UNSUPPORTED and self._chunking == "always" and not self._offers_chunking():
            raise error_for("unsupported", 'the server does not offer CHUNKING and chunking is "always" (RFC 3030)',
                            "submit")
        self._check(kind, "submit")
        self._submitted += 1
        self._held[self._submitted] = keep
        self._body.clear()
        self._body_end = False

    def send_body(self, data: bytes) -> None:
        """Message content (any line endings; dot-stuffing is the engine's)."""
        self._body += data
        self._pump_body()

    def end_body(self) -> None:
        """The content is complete; the end-of-data marker follows it."""
        self._body_end = True
        self._pump_body()

    def cancel(self) -> None:
        """Abandons the current message (its outcome: MessageRejected)."""
        self._check(n.lib.smtpcore_cancel(self._c), "cancel")

    def quit(self) -> None:
        """QUIT once the current message is done; Closed follows."""
        self._check(n.lib.smtpcore_quit(self._c), "quit")

    def abort(self) -> None:
        """Stops at once; outcomes of messages in flight are reported."""
        n.lib.smtpcore_abort(self._c)

    # ---- internals -------------------------------------------------------
    def _pump_body(self) -> None:
        # Body: the current message's content; DataEnd with a body open: the
        # content of a message behind it (messages_in_flight > 1).
        while self._body_flows() and (self._body or self._body_end):
            if self._body:
                w = n.lib.smtpcore_body_buf(self._c)
                if not w.size:
                    return
                piece = min(w.size, len(self._body))
                ctypes.memmove(w.data, bytes(self._body[:piece]), piece)
                self._check(n.lib.smtpcore_body_ack(self._c, piece), "send_body")
                del self._body[:piece]
            else:
                self._body_end = self._body_open = False
                self._check(n.lib.smtpcore_body_end(self._c), "end_body")
                return

    def _body_flows(self) -> bool:
        state = n.lib.smtpcore_get_state(self._c)
        return state == n.STATE_BODY or (state == n.STATE_DATA_END and self._body_open)

    def _offers_chunking(self) -> bool:
        caps = n.Capabilities()
        caps.struct_size = ctypes.sizeof(caps)
        n.lib.smtpcore_get_capabilities(self._c, ctypes.byref(caps))
        return bool(caps.extensions & n.EXT_CHUNKING)

    def _check(self, kind: int, call: str = "") -> None:
        if kind:
            err = n.lib.smtpcore_last_error(self._c)
            name = n.lib.smtpcore_error_name(kind).decode()
            reason = err.reason.decode() if err.kind == kind else n.lib.smtpcore_strerror(kind).decode()
            raise error_for(name, reason, call)

    def _convert(self, e: n.CEvent) -> ev.Event:
        common = dict(code=e.code, enhanced_status=_status(e), text=n.text(e.text), message=e.message)
        kind = e.type
        if kind == 6:  # BodyWanted: with several messages in flight, maybe for one behind the current
            self._body_open = True
        if kind in _PLAIN:
            return _PLAIN[kind](**common)
        if kind == 5:
            return ev.RecipientResult(**common, recipient=n.text(e.recipient), index=e.recipient_index)
        if kind == 12:  # LMTP: a recipient's reply after the end of data
            return ev.RecipientOutcome(**common, recipient=n.text(e.recipient), index=e.recipient_index,
                                       temporary=bool(e.temporary))
        if kind in (7, 8, 9):
            self._held.pop(e.message, None)
            outcome = dict(common, accepted_recipients=e.accepted_recipients, dsn_dropped=bool(e.dsn_dropped))
            if kind == 7:
                return ev.MessageAccepted(**outcome)
            if kind == 8:
                return ev.MessageRejected(**outcome, temporary=bool(e.temporary))
            return ev.MessageUnknown(**outcome, unknown_recipients=e.unknown_recipients)
        error = error_for(n.lib.smtpcore_error_name(e.error.kind).decode(), (e.error.reason or b"").decode(),
                          (e.error.where or b"").decode())
        return ev.SessionFailed(**common, error=error)
