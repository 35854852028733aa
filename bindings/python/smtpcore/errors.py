"""Exceptions. A rejected recipient or message is a result, never one of these."""
from __future__ import annotations


class Error(Exception):
    """Base of every smtpcore exception. `kind` is the C ABI's error name
    (e.g. "peer-violation"), `where` the session phase."""

    def __init__(self, message: str, kind: str = "", where: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.where = where


class ProtocolError(Error):
    """The server broke the protocol, a bound was exceeded, or the connection
    was lost while a reply was expected."""


class TLSRequiredError(Error):
    """TLS is required and the server did not offer it or refused it
    (STARTTLS stripping is refused, never silently accepted)."""


class AuthenticationError(Error):
    """The credentials were refused, no usable mechanism was offered, or they
    would have gone out without TLS."""


class SMTPTimeout(Error, TimeoutError):
    """The server did not answer in time (RFC 5321 §4.5.3.2)."""


class InvalidInput(Error, ValueError):
    """Application data refused before anything was sent (CR/LF/NUL in an
    address, a line over 998 octets), or a call in the wrong state."""


_BY_KIND = {
    "tls-required": TLSRequiredError,
    "insecure-auth": AuthenticationError,
    "auth-unavailable": AuthenticationError,
    "auth-failed": AuthenticationError,
    "timeout": SMTPTimeout,
    "invalid-input": InvalidInput,
    "misuse": InvalidInput,
    "unsupported": InvalidInput,
}


def error_for(kind: str, reason: str, where: str = "") -> Error:
    """The exception for a C ABI error kind."""
    cls = _BY_KIND.get(kind, ProtocolError)
    text = f"{reason} ({kind}{', ' + where if where else ''})"
    return cls(text, kind, where)
