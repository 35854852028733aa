"""Blocking lookups over sockets with smtpcore.dns.Resolver: the host loop
of the resolver's docstring, with select(). Exported as smtpcore.dns.lookup
and smtpcore.dns.mail_exchangers."""
from __future__ import annotations

import os
import select
import socket
import time
from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence, Tuple

from .dns import Address, CloseStream, Done, Mx, OpenStream, Resolver, SendDatagram, ServerSpec, order_mx


@dataclass
class Answer:
    """What a lookup found: the outcome ("answer", "nodata", "nxdomain",
    "server-failure", "timeout", "failed"), the records, the name answered
    (after CNAMEs), why it failed, and how much was ignored as not matching."""
    outcome: str = "pending"
    name: str = ""
    addresses: List[str] = field(default_factory=list)
    mx: List[Tuple[int, str]] = field(default_factory=list)
    error: Optional[str] = None
    ignored: int = 0


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class _Sockets:
    """One UDP socket per query (closed when the next query goes out) and
    the TCP connection of a truncated answer."""

    def __init__(self) -> None:
        self.udp: Optional[socket.socket] = None
        self.tcp: Optional[socket.socket] = None

    def send_datagram(self, e: SendDatagram) -> None:
        self.close_udp()
        self.udp = socket.socket(_family(e.server[0]), socket.SOCK_DGRAM)
        self.udp.setblocking(False)
        try:
            self.udp.sendto(e.data, e.server)
        except OSError:
            pass  # the try gets no answer: the resolver's timeout moves on

    def open_stream(self, r: Resolver, e: OpenStream, timeout: float) -> None:
        self.close_tcp()
        try:
            self.tcp = socket.create_connection(e.server, timeout=timeout)
            self.tcp.setblocking(False)
        except OSError:
            self.tcp = None
            r.connection_closed()
            return
        r.stream_connected()

    def close_udp(self) -> None:
        if self.udp:
            self.udp.close()
        self.udp = None

    def close_tcp(self) -> None:
        if self.tcp:
            self.tcp.close()
        self.tcp = None

    def readable(self, r: Resolver) -> List[socket.socket]:
        return [s for s in ((self.tcp,) if r.over_tcp else (self.udp,)) if s is not None]


def lookup(name: str, type: str = "A", servers: Sequence[ServerSpec] = ("127.0.0.1",), **options: Any) -> Answer:
    """Looks `name` up for "A", "AAAA" or "MX" with the builtin resolver
    (keyword options as for Resolver)."""
    r = Resolver(servers, **options)
    r.start(name, type)
    answer = Answer()
    io = _Sockets()
    try:
        while True:
            now = time.monotonic()
            r.handle_timeout(now)
            while (e := r.next_event()) is not None:
                if isinstance(e, SendDatagram):
                    io.send_datagram(e)
                elif isinstance(e, OpenStream):
                    deadline = r.deadline()
                    io.open_stream(r, e, max(0.05, (deadline or now + 5) - now))
                elif isinstance(e, CloseStream):
                    io.close_tcp()
                elif isinstance(e, Address):
                    answer.addresses.append(e.address)
                elif isinstance(e, Mx):
                    answer.mx.append((e.preference, e.exchange))
                elif isinstance(e, Done):
                    answer.outcome, answer.name, answer.error = e.outcome, e.name, e.error
                    answer.ignored = r.ignored
                    return answer
            if io.tcp is not None:
                out = r.data_to_send()
                if out:
                    io.tcp.sendall(out)
            deadline = r.deadline()
            wait = 1.0 if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(io.readable(r), [], [], wait)
            for s in ready:
                try:
                    if s is io.udp:
                        data, source = s.recvfrom(65535)
                        r.datagram_received(data, source)
                    else:
                        r.receive_data(s.recv(65536))
                except OSError:
                    if s is io.tcp:
                        r.connection_closed()
                    # a UDP error (ICMP port unreachable): wait for the timeout
    finally:
        io.close_udp()
        io.close_tcp()


def mail_exchangers(domain: str, servers: Sequence[ServerSpec] = ("127.0.0.1",),
                    **options: Any) -> Tuple[str, List[Tuple[int, str]]]:
    """The MX hosts of `domain` in RFC 5321 §5.1 order: (verdict, [(preference, host)]),
    as order_mx() gives them."""
    found = lookup(domain, "MX", servers, **options)
    return order_mx(found.mx, found.outcome, domain, os.urandom)
