"""smtpcore.aio.send_mail(): send_mail() for asyncio, on an asyncio.Protocol
and loop.start_tls() (the engine decides when TLS starts)."""
from __future__ import annotations

import asyncio
import ssl
import time
from typing import Optional, Sequence

from ._client import DSN, Client
from ._send import Message, SendResult, Session

__all__ = ["send_mail"]


class _Protocol(asyncio.Protocol):
    def __init__(self, client: Client) -> None:
        self.client = client
        self.arrived = asyncio.Event()

    def data_received(self, data: bytes) -> None:
        self.client.receive_data(data)
        self.arrived.set()

    def eof_received(self) -> Optional[bool]:
        self.client.receive_data(b"")
        self.arrived.set()
        return None

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.client.receive_data(b"")
        self.arrived.set()


def _write_all(transport: asyncio.BaseTransport, client: Client) -> None:
    assert isinstance(transport, asyncio.WriteTransport)
    while not transport.is_closing():
        data = client.data_to_send()
        if not data:
            return
        transport.write(data)


async def send_mail(host: str, port: int, message: Message, *, sender: Optional[str] = None,
                    recipients: Optional[Sequence[str]] = None, tls: str = "starttls",
                    username: Optional[str] = None, password: Optional[str] = None,
                    ssl_context: Optional[ssl.SSLContext] = None, timeout: Optional[float] = None,
                    auth: str = "auto", oauth_token: Optional[str] = None,
                    dsn: Optional[DSN] = None, require_tls: bool = False,
                    chunking: str = "auto", protocol: str = "smtp") -> SendResult:
    """The same as smtpcore.send_mail(), as a coroutine."""
    session = Session(message, sender, recipients, tls, username, password, timeout, auth, oauth_token,
                      dsn, require_tls, chunking, protocol)
    client = session.client
    context = ssl_context or ssl.create_default_context()
    loop = asyncio.get_running_loop()
    connect = loop.create_connection(lambda: _Protocol(client), host, port,
                                     ssl=context if tls == "implicit" else None,
                                     server_hostname=host if tls == "implicit" else None)
    transport, stream = await asyncio.wait_for(connect, timeout)
    try:
        if tls == "implicit":
            client.tls_established()
        while True:
            stream.arrived.clear()
            action = session.process()
            _write_all(transport, client)
            if action == "done":
                return session.outcome.finish()
            if action == "tls":
                transport = await asyncio.wait_for(
                    loop.start_tls(transport, stream, context, server_hostname=host), timeout)
                client.tls_established()
                continue
            deadline = client.deadline()
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                await asyncio.wait_for(stream.arrived.wait(), wait)
            except asyncio.TimeoutError:
                pass  # Session.process() tells the engine the time
    finally:
        transport.close()
