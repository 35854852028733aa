"""smtpcore.dns: the builtin stub resolver (RFC 1035, RFC 5452; docs/dns.md)
without I/O, in the style of smtpcore.Client: start() a lookup, move the
datagrams and TCP bytes its events ask for, pull the records it reports,
and call handle_timeout() by deadline(). Random octets (query IDs, 0x20
case bits) come from `random` (os.urandom unless given). An answer is taken
only when its ID, question, type and class match and it came from the server
asked; anything else is dropped and counted (ignored).

    r = smtpcore.dns.Resolver(["127.0.0.1:53"])
    r.start("smtp.example.org", "AAAA")
    while True:
        r.handle_timeout(time.monotonic())
        while (e := r.next_event()) is not None:
            SendDatagram -> send e.data from a fresh UDP socket to e.server
            OpenStream   -> connect TCP to e.server, r.stream_connected()
            CloseStream  -> close it
            Address, Mx  -> a record
            Done         -> e.outcome: "answer", "nodata", "nxdomain", "server-failure", "timeout", "failed"
        TCP: send r.data_to_send(); r.receive_data(bytes) (b"" = closed)
        UDP: r.datagram_received(data, source)
        wait until a socket is readable or r.deadline()

lookup() and mail_exchangers() do that over sockets, with select().
"""
from __future__ import annotations

import ctypes
import ipaddress
import os
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

from . import _native as n
from .errors import InvalidInput, error_for

Server = Tuple[str, int]
ServerSpec = Union[str, Tuple[str, int]]


@dataclass(frozen=True)
class SendDatagram:
    """Send `data` as one UDP datagram to `server`, from a fresh socket (a
    fresh source port, RFC 5452 §9.2). It counts as sent."""
    server: Server
    data: bytes


@dataclass(frozen=True)
class OpenStream:
    """The answer was truncated: connect TCP to `server`, then stream_connected()."""
    server: Server


@dataclass(frozen=True)
class CloseStream:
    """Close the TCP connection."""


@dataclass(frozen=True)
class Address:
    """An A or AAAA record."""
    address: str
    family: int
    ttl: int


@dataclass(frozen=True)
class Mx:
    """An MX record; exchange "." is a null MX (RFC 7505)."""
    preference: int
    exchange: str
    ttl: int


@dataclass(frozen=True)
class Done:
    """The lookup ended. `name` is the name answered (after CNAMEs);
    `error` says why it failed, if it did."""
    outcome: str
    name: str
    error: Optional[str] = None


DnsEvent = Union[SendDatagram, OpenStream, CloseStream, Address, Mx, Done]


def parse_server(spec: ServerSpec) -> Server:
    """"192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53", "::1" or (host, port)."""
    if isinstance(spec, tuple):
        host, port = spec
    elif spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif spec.count(":") == 1:
        host, _, p = spec.partition(":")
        port = int(p)
    else:
        host, port = spec, 53
    ipaddress.ip_address(host)  # ValueError for a name: servers are addresses
    if not 0 < port < 65536:
        raise ValueError(f"port out of range: {port}")
    return host, port


def _endpoint(server: Sequence[object]) -> n.DnsEndpoint:
    address = ipaddress.ip_address(str(server[0]).split("%")[0])
    e = n.DnsEndpoint()
    e.family = address.version
    e.port = int(str(server[1]))
    packed = address.packed
    ctypes.memmove(e.address, packed, len(packed))
    return e


class Resolver:
    """One lookup at a time of A, AAAA or MX; start() again when Done.

    `timeout` is seconds per try, `attempts` rounds over the servers (the
    resolv.conf defaults 5 and 2). `receive_capacity` bounds an answer
    (TCP answers up to 65535 octets by default; a larger one fails the try).
    """

    def __init__(self, servers: Sequence[ServerSpec], *, timeout: float = 5.0, attempts: int = 2,
                 randomize_case: bool = False, tcp_fallback: bool = True, edns_udp_size: int = 1232,
                 max_cnames: int = 8, receive_capacity: int = 2 + 65535,
                 random: Callable[[int], bytes] = os.urandom) -> None:
        self.servers: List[Server] = [parse_server(s) for s in servers]
        if not 0 < len(self.servers) <= n.DNS_MAX_SERVERS:
            raise InvalidInput(f"between 1 and {n.DNS_MAX_SERVERS} servers")
        endpoints = (n.DnsEndpoint * len(self.servers))(*[_endpoint(s) for s in self.servers])
        config = n.DnsConfig()
        n.lib.smtpcore_dns_config_init(ctypes.byref(config), ctypes.sizeof(config))
        config.servers = ctypes.cast(endpoints, ctypes.POINTER(n.DnsEndpoint))
        config.server_count = len(self.servers)
        config.timeout = int(timeout * 1000)
        config.attempts = attempts
        config.randomize_case = bool(randomize_case)
        config.tcp_fallback = bool(tcp_fallback)
        config.edns_udp_size = edns_udp_size
        config.max_cnames = max_cnames
        config.receive_capacity = receive_capacity
        size = n.lib.smtpcore_dns_resolver_size(ctypes.byref(config))
        self._storage = ctypes.create_string_buffer(size + 16)
        offset = (-ctypes.addressof(self._storage)) % 16
        handle = ctypes.c_void_p()
        kind = n.lib.smtpcore_dns_resolver_init(ctypes.addressof(self._storage) + offset, size,
                                                ctypes.byref(config), ctypes.byref(handle))
        if kind or not handle.value:
            raise InvalidInput(f"the resolver refused its configuration ({n.lib.smtpcore_error_name(kind).decode()})")
        self._r = handle.value
        self._random = random
        self._event = n.DnsEvent()
        self._event.struct_size = ctypes.sizeof(self._event)
        self._inbox = bytearray()
        self._eof = False
        self._datagrams: List[Tuple[bytes, n.DnsEndpoint]] = []  # each waits until the resolver has room

    # ---- commands --------------------------------------------------------
    def start(self, name: str, type: str = "A") -> None:
        """Starts looking up `name` (dotted text) for "A", "AAAA" or "MX"."""
        if type not in n.DNS_TYPES:
            raise InvalidInput(f"type must be one of {', '.join(n.DNS_TYPES)}")
        self._keep = name.encode("ascii", "replace")
        self._inbox.clear()
        self._eof = False
        self._datagrams.clear()
        self._check(n.lib.smtpcore_dns_start(self._r, n.str_of(self._keep), n.DNS_TYPES[type]), "start")

    def cancel(self) -> None:
        """Stops the lookup: CloseStream if TCP was open, then Done ("failed")."""
        n.lib.smtpcore_dns_cancel(self._r)

    # ---- time ------------------------------------------------------------
    def handle_timeout(self, now: float) -> None:
        """Tells the resolver the time (seconds on a monotonic clock)."""
        n.lib.smtpcore_dns_handle_timeout(self._r, int(now * 1000))

    def deadline(self) -> Optional[float]:
        """When to call handle_timeout() at the latest, or None."""
        d = n.lib.smtpcore_dns_deadline(self._r)
        return None if d == n.NEVER else d / 1000.0

    # ---- output ----------------------------------------------------------
    def next_event(self) -> Optional[DnsEvent]:
        """The next event, or None when the resolver waits for input or time."""
        while True:
            if n.lib.smtpcore_dns_want_random(self._r):
                w = n.lib.smtpcore_dns_random_buf(self._r)
                ctypes.memmove(w.data, self._random(w.size), w.size)
                n.lib.smtpcore_dns_random_ack(self._r, w.size)
            kind = n.lib.smtpcore_dns_next_event(self._r, ctypes.byref(self._event))
            if kind:
                return self._convert(self._event)
            if not self._feed_input():
                return None

    def data_to_send(self) -> bytes:
        """Over TCP: the framed query still to write (b"" when nothing). It counts as written."""
        if not n.lib.smtpcore_dns_over_tcp(self._r):
            return b""
        s = n.lib.smtpcore_dns_send_buf(self._r)
        if not s.size:
            return b""
        out = ctypes.string_at(s.data, s.size)
        n.lib.smtpcore_dns_send_ack(self._r, s.size)
        return out

    # ---- input -----------------------------------------------------------
    def datagram_received(self, data: bytes, source: Sequence[object]) -> None:
        """A UDP datagram from `source` ((host, port, ...) as recvfrom() gives
        it); next_event() hands it to the resolver, which checks the source."""
        if not self.over_tcp and not self.done:  # late datagrams are dropped, as a closed socket would drop them
            self._datagrams.append((data, _endpoint(source)))

    def stream_connected(self) -> None:
        """The TCP connection OpenStream asked for is up."""
        self._check(n.lib.smtpcore_dns_stream_connected(self._r), "stream_connected")

    def receive_data(self, data: bytes) -> None:
        """Bytes from the TCP connection; b"" means it closed."""
        if data:
            self._inbox += data
        else:
            self._eof = True

    def connection_closed(self) -> None:
        """The TCP connection failed or closed: this try failed."""
        self._inbox.clear()
        self._eof = False
        n.lib.smtpcore_dns_connection_closed(self._r)

    # ---- getters ---------------------------------------------------------
    @property
    def outcome(self) -> str:
        return n.DNS_OUTCOMES[n.lib.smtpcore_dns_get_outcome(self._r)]

    @property
    def ignored(self) -> int:
        """Datagrams and answers dropped because they did not match."""
        return int(n.lib.smtpcore_dns_ignored(self._r))

    @property
    def over_tcp(self) -> bool:
        return bool(n.lib.smtpcore_dns_over_tcp(self._r))

    @property
    def done(self) -> bool:
        return int(n.lib.smtpcore_dns_get_state(self._r)) == 6

    # ---- internals -------------------------------------------------------
    def _feed_input(self) -> bool:
        """Moves one waiting datagram, or buffered TCP bytes, into the
        resolver; True if anything changed."""
        if self._datagrams and not self.over_tcp:
            w = n.lib.smtpcore_dns_recv_buf(self._r)
            if not w.size:
                return False
            data, endpoint = self._datagrams.pop(0)
            size = min(len(data), w.size)  # a longer datagram is cut, as recvfrom() cuts it
            ctypes.memmove(w.data, data, size)
            n.lib.smtpcore_dns_datagram_received(self._r, ctypes.byref(endpoint), size)
            return True
        if self._inbox:
            w = n.lib.smtpcore_dns_recv_buf(self._r)
            if w.size:
                size = min(w.size, len(self._inbox))
                ctypes.memmove(w.data, bytes(self._inbox[:size]), size)
                del self._inbox[:size]
                n.lib.smtpcore_dns_recv_ack(self._r, size)
                return True
            return False
        if self._eof:
            self.connection_closed()
            return True
        return False

    def _check(self, kind: int, call: str) -> None:
        if kind:
            err = n.lib.smtpcore_dns_last_error(self._r)
            name = n.lib.smtpcore_error_name(kind).decode()
            reason = err.reason.decode() if err.kind == kind else n.lib.smtpcore_strerror(kind).decode()
            raise error_for(name, reason, call)

    def _convert(self, e: n.DnsEvent) -> DnsEvent:
        if e.type == 1:
            s = n.lib.smtpcore_dns_send_buf(self._r)
            data = ctypes.string_at(s.data, s.size)
            n.lib.smtpcore_dns_send_ack(self._r, s.size)
            return SendDatagram(self.servers[e.server], data)
        if e.type == 2:
            self._datagrams.clear()
            return OpenStream(self.servers[e.server])
        if e.type == 3:
            self._inbox.clear()
            self._eof = False
            return CloseStream()
        if e.type == 4:
            raw = bytes(e.address[:4 if e.family == 4 else 16])
            return Address(str(ipaddress.ip_address(raw)), e.family, e.ttl)
        if e.type == 5:
            return Mx(e.preference, n.text(e.name), e.ttl)
        outcome = n.DNS_OUTCOMES.get(e.outcome, "failed")
        err = n.lib.smtpcore_dns_last_error(self._r)
        reason = err.reason.decode() if err.kind and err.reason else None
        return Done(outcome, n.text(e.name), None if outcome == "answer" else reason)


def order_mx(records: Iterable[Tuple[int, str]], outcome: str, domain: str,
             random: Callable[[int], bytes] = os.urandom) -> Tuple[str, List[Tuple[int, str]]]:
    """The hosts to try for `domain` (RFC 5321 §5.1): the (preference,
    exchange) pairs of an MX lookup that ended with `outcome`, ordered by
    preference with equal preferences in random order, or the domain itself
    (implicit MX). Returns (verdict, hosts); verdict is "hosts", "implicit",
    "no-mail" (null MX, RFC 7505), "no-such-domain" or "temporary-failure"."""
    pairs = list(records)
    capacity = max(1, len(pairs))
    size = n.lib.smtpcore_dns_mx_list_size(capacity)
    storage = ctypes.create_string_buffer(size + 16)
    offset = (-ctypes.addressof(storage)) % 16
    handle = ctypes.c_void_p()
    if n.lib.smtpcore_dns_mx_list_init(ctypes.addressof(storage) + offset, size, capacity, ctypes.byref(handle)):
        raise InvalidInput("the MX list refused its storage")
    keep = [name.encode("ascii", "replace") for _, name in pairs]
    for (preference, _), name in zip(pairs, keep):
        n.lib.smtpcore_dns_mx_add(handle.value, preference, n.str_of(name))
    codes = {v: k for k, v in n.DNS_OUTCOMES.items()}
    domain_bytes = domain.encode("ascii", "replace")
    random_bytes = random(2 * capacity)
    verdict = n.lib.smtpcore_dns_mx_finish(handle.value, codes.get(outcome, 6), n.str_of(domain_bytes),
                                           n.str_of(random_bytes))
    hosts = []
    host_preference = ctypes.c_uint16()
    for i in range(n.lib.smtpcore_dns_mx_count(handle.value)):
        host = n.lib.smtpcore_dns_mx_host(handle.value, i, ctypes.byref(host_preference))
        hosts.append((host_preference.value, n.text(host)))
    return n.DNS_MX_VERDICTS[verdict], hosts


from ._dns_lookup import Answer, lookup, mail_exchangers  # noqa: E402  (they use the Resolver above)

__all__ = ["Resolver", "SendDatagram", "OpenStream", "CloseStream", "Address", "Mx", "Done", "DnsEvent",
           "parse_server", "order_mx", "lookup", "mail_exchangers", "Answer"]
