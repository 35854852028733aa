"""smtpcore for Python: the sans-I/O, allocation-free ESMTP engine of
libsmtpcore (loaded through its C ABI with ctypes), a blocking send_mail()
and smtpcore.aio.send_mail() for asyncio, and the builtin DNS resolver
(smtpcore.dns). docs/python.md."""
from __future__ import annotations

from . import _native, dns
from ._client import DSN, Client, Envelope
from ._send import SendResult, send_mail
from .errors import AuthenticationError, Error, InvalidInput, ProtocolError, SMTPTimeout, TLSRequiredError
from .events import (Authenticated, BodyWanted, Closed, Event, Greeting, MessageAccepted, MessageRejected,
                     MessageUnknown, Ready, RecipientOutcome, RecipientResult, SessionFailed, StartTLS)

__version__ = _native.lib.smtpcore_version().decode()

__all__ = [
    "dns", "Client", "Envelope", "DSN", "send_mail", "SendResult",
    "Error", "ProtocolError", "TLSRequiredError", "AuthenticationError", "SMTPTimeout", "InvalidInput",
    "Event", "Greeting", "StartTLS", "Authenticated", "Ready", "RecipientResult", "RecipientOutcome", "BodyWanted",
    "MessageAccepted", "MessageRejected", "MessageUnknown", "Closed", "SessionFailed",
]
