"""Events: frozen dataclasses, one per engine event (the C ABI's flat event).

Every event carries `code` (0 for a local event), `enhanced_status`
("2.1.5" or None), `text` (the server's text, lines joined by "\\n", or a
local reason) and `message` (1-based number of the message it concerns, 0
before the first).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Event:
    code: int
    enhanced_status: Optional[str]
    text: str
    message: int


@dataclass(frozen=True)
class Greeting(Event):
    """The server's 220 arrived."""


@dataclass(frozen=True)
class StartTLS(Event):
    """Run the TLS handshake now, then call Client.tls_established()."""


@dataclass(frozen=True)
class Authenticated(Event):
    """235: AUTH succeeded."""


@dataclass(frozen=True)
class Ready(Event):
    """The session is established or the last message ended: submit() or quit()."""


@dataclass(frozen=True)
class RecipientResult(Event):
    """The reply to one RCPT TO."""
    recipient: str = ""
    index: int = 0

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300


@dataclass(frozen=True)
class RecipientOutcome(Event):
    """LMTP (RFC 2033 §4.2): one recipient's own reply after the end of data,
    one per recipient accepted at RCPT, in RCPT order, before the message's
    outcome; `temporary`: a 4xx (retrying may succeed)."""
    recipient: str = ""
    index: int = 0
    temporary: bool = False

    @property
    def delivered(self) -> bool:
        return 200 <= self.code < 300


@dataclass(frozen=True)
class BodyWanted(Event):
    """354: send_body() then end_body()."""


@dataclass(frozen=True)
class MessageAccepted(Event):
    """The server took responsibility for the message. `dsn_dropped` (on
    every outcome): DSN was asked, the server does not offer it, and the
    parameters were left out (DSN if_unoffered="drop"). `accepted_recipients`
    (on every outcome): the RCPTs answered 2xx; under LMTP the recipients
    whose reply after the end of data was 2xx."""
    accepted_recipients: int = 0
    dsn_dropped: bool = False


@dataclass(frozen=True)
class MessageRejected(Event):
    """4xx/5xx, or refused locally (code 0); `temporary`: retrying may succeed."""
    temporary: bool = False
    accepted_recipients: int = 0
    dsn_dropped: bool = False


@dataclass(frozen=True)
class MessageUnknown(Event):
    """The connection died after end of data: the message may have been
    delivered. Under LMTP, `unknown_recipients` counts the recipients
    accepted at RCPT that got no reply after the end of data (each may have
    it: those without a RecipientOutcome)."""
    accepted_recipients: int = 0
    dsn_dropped: bool = False
    unknown_recipients: int = 0


@dataclass(frozen=True)
class Closed(Event):
    """The session ended in order (221, 421, a refused greeting)."""


@dataclass(frozen=True)
class SessionFailed(Event):
    """A fatal error ended the session; `error` is the matching exception."""
    error: Optional[BaseException] = None
