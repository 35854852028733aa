"""ctypes declarations of the C ABI (bindings/c/smtpcore.h, docs/c-api.md).

The library is found, in this order, at $SMTPCORE_LIBRARY, then as
libsmtpcore.so.0 on the dynamic linker's path (where `meson install` puts it).
Only this module knows the C structs; if the C ABI grows, this is the one
file to follow it.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, Structure, c_char_p, c_int, c_int32, c_size_t, c_uint8, c_uint16, c_uint32, c_uint64
from ctypes import c_void_p

NEVER = 2**64 - 1


class Str(Structure):
    _fields_ = [("data", c_void_p), ("size", c_size_t)]


class Window(Structure):
    _fields_ = [("data", c_void_p), ("size", c_size_t)]


class CError(Structure):
    _fields_ = [("kind", c_int32), ("index", c_int32), ("reason", c_char_p), ("where", c_char_p)]


class Timeouts(Structure):
    _fields_ = [(name, c_uint32) for name in
                ("greeting", "mail", "rcpt", "data_init", "data_block", "data_end", "command")]


class Config(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("tls", c_int32), ("client_name", Str), ("username", Str), ("password", Str),
        ("auth", c_int32), ("recipient_policy", c_int32), ("allow_plaintext_auth", c_uint8),
        ("accept_bare_lf_in_replies", c_uint8), ("reply_text_capacity", c_uint16), ("recv_capacity", c_uint16),
        ("limit_reply_line", c_uint16), ("limit_reply_lines", c_uint16), ("limit_sasl_challenges", c_uint8),
        ("reserved0", c_uint8), ("max_recipients_in_flight", c_uint32), ("timeouts", Timeouts),
        ("oauth_token", Str), ("sasl_random", Str), ("scram_max_iterations", c_uint32), ("reserved1", c_uint32),
        ("chunking", c_int32), ("reserved2", c_uint32),  # appended: CHUNKING (RFC 3030)
        ("protocol", c_int32),  # appended: LMTP (RFC 2033)
        ("messages_in_flight", c_uint32),  # appended: several messages in flight
    ]


class Capabilities(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("extensions", c_uint32), ("mechanisms", c_uint32), ("esmtp", c_uint8),
        ("reserved", c_uint8 * 3), ("size_limit", c_uint64),
    ]


class CEnvelope(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("body", c_int32), ("from_", Str), ("recipients", POINTER(Str)),
        ("recipient_count", c_size_t), ("size_hint", c_uint64), ("smtputf8", c_uint8), ("reserved", c_uint8 * 7),
        # Appended in 0.2: REQUIRETLS (RFC 8689) and DSN (RFC 3461).
        ("require_tls", c_uint8), ("dsn", c_uint8), ("dsn_ret", c_uint8), ("dsn_notify", c_uint8),
        ("dsn_unoffered", c_uint8), ("reserved2", c_uint8 * 3), ("dsn_envid", Str), ("dsn_orcpt", POINTER(Str)),
        # Appended in 0.3: NOTIFY per recipient (RFC 3461 §4.1).
        ("dsn_notify_each", POINTER(c_uint8)),
    ]


class CEvent(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("type", c_int32), ("code", c_uint16), ("temporary", c_uint8),
        ("status_class", c_uint8), ("status_subject", c_uint16), ("status_detail", c_uint16),
        ("message", c_uint32), ("recipient_index", c_uint32), ("accepted_recipients", c_uint32),
        ("recipient", Str), ("text", Str), ("error", CError),
        ("dsn_dropped", c_uint8), ("reserved", c_uint8 * 7),  # appended in 0.2
        ("unknown_recipients", c_uint32), ("reserved2", c_uint32),  # appended in 0.3
    ]


class DnsEndpoint(Structure):
    _fields_ = [("family", c_uint8), ("reserved", c_uint8), ("port", c_uint16), ("address", c_uint8 * 16)]


class DnsConfig(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("timeout", c_uint32), ("servers", POINTER(DnsEndpoint)),
        ("server_count", c_size_t), ("receive_capacity", c_uint32), ("edns_udp_size", c_uint16),
        ("attempts", c_uint8), ("randomize_case", c_uint8), ("tcp_fallback", c_uint8), ("max_cnames", c_uint8),
        ("reserved", c_uint8 * 2),
    ]


class DnsEvent(Structure):
    _fields_ = [
        ("struct_size", c_uint32), ("type", c_int32), ("outcome", c_int32), ("server", c_uint8),
        ("family", c_uint8), ("preference", c_uint16), ("ttl", c_uint32), ("address", c_uint8 * 16),
        ("name", Str),
    ]


def _load() -> ctypes.CDLL:
    path = os.environ.get("SMTPCORE_LIBRARY") or "libsmtpcore.so.0"
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(f"smtpcore: cannot load {path} (install smtpcore with meson, or set SMTPCORE_LIBRARY): {e}")


lib = _load()

_signatures = {
    "smtpcore_version": (c_char_p, []),
    "smtpcore_strerror": (c_char_p, [c_int32]),
    "smtpcore_error_name": (c_char_p, [c_int32]),
    "smtpcore_config_init": (None, [POINTER(Config), c_size_t]),
    "smtpcore_envelope_init": (None, [POINTER(CEnvelope), c_size_t]),
    "smtpcore_client_size": (c_size_t, [POINTER(Config)]),
    "smtpcore_client_init": (c_int, [c_void_p, c_size_t, POINTER(Config), POINTER(c_void_p)]),
    "smtpcore_get_state": (c_int, [c_void_p]),
    "smtpcore_get_capabilities": (None, [c_void_p, POINTER(Capabilities)]),
    "smtpcore_last_error": (CError, [c_void_p]),
    "smtpcore_feed": (c_size_t, [c_void_p, c_void_p, c_size_t]),
    "smtpcore_tls_established": (c_int, [c_void_p]),
    "smtpcore_tls_established_binding": (c_int, [c_void_p, c_char_p, c_size_t]),
    "smtpcore_connection_closed": (None, [c_void_p]),
    "smtpcore_deadline": (c_uint64, [c_void_p]),
    "smtpcore_handle_timeout": (None, [c_void_p, c_uint64]),
    "smtpcore_next_event": (c_int, [c_void_p, POINTER(CEvent)]),
    "smtpcore_send_buf": (Str, [c_void_p]),
    "smtpcore_send_ack": (c_int, [c_void_p, c_size_t]),
    "smtpcore_body_buf": (Window, [c_void_p]),
    "smtpcore_body_ack": (c_int, [c_void_p, c_size_t]),
    "smtpcore_body_end": (c_int, [c_void_p]),
    "smtpcore_submit": (c_int, [c_void_p, POINTER(CEnvelope)]),
    "smtpcore_cancel": (c_int, [c_void_p]),
    "smtpcore_quit": (c_int, [c_void_p]),
    "smtpcore_abort": (None, [c_void_p]),
    "smtpcore_dns_config_init": (None, [POINTER(DnsConfig), c_size_t]),
    "smtpcore_dns_outcome_name": (c_char_p, [c_int32]),
    "smtpcore_dns_resolver_size": (c_size_t, [POINTER(DnsConfig)]),
    "smtpcore_dns_resolver_init": (c_int, [c_void_p, c_size_t, POINTER(DnsConfig), POINTER(c_void_p)]),
    "smtpcore_dns_start": (c_int, [c_void_p, Str, c_int32]),
    "smtpcore_dns_cancel": (None, [c_void_p]),
    "smtpcore_dns_get_state": (c_int, [c_void_p]),
    "smtpcore_dns_get_outcome": (c_int, [c_void_p]),
    "smtpcore_dns_last_error": (CError, [c_void_p]),
    "smtpcore_dns_ignored": (c_uint32, [c_void_p]),
    "smtpcore_dns_over_tcp": (c_int, [c_void_p]),
    "smtpcore_dns_want_random": (c_int, [c_void_p]),
    "smtpcore_dns_random_buf": (Window, [c_void_p]),
    "smtpcore_dns_random_ack": (c_int, [c_void_p, c_size_t]),
    "smtpcore_dns_next_event": (c_int, [c_void_p, POINTER(DnsEvent)]),
    "smtpcore_dns_send_buf": (Str, [c_void_p]),
    "smtpcore_dns_send_ack": (c_int, [c_void_p, c_size_t]),
    "smtpcore_dns_recv_buf": (Window, [c_void_p]),
    "smtpcore_dns_datagram_received": (c_int, [c_void_p, POINTER(DnsEndpoint), c_size_t]),
    "smtpcore_dns_recv_ack": (c_int, [c_void_p, c_size_t]),
    "smtpcore_dns_stream_connected": (c_int, [c_void_p]),
    "smtpcore_dns_connection_closed": (None, [c_void_p]),
    "smtpcore_dns_deadline": (c_uint64, [c_void_p]),
    "smtpcore_dns_handle_timeout": (None, [c_void_p, c_uint64]),
    "smtpcore_dns_mx_list_size": (c_size_t, [c_size_t]),
    "smtpcore_dns_mx_list_init": (c_int, [c_void_p, c_size_t, c_size_t, POINTER(c_void_p)]),
    "smtpcore_dns_mx_add": (None, [c_void_p, c_uint16, Str]),
    "smtpcore_dns_mx_finish": (c_int, [c_void_p, c_int32, Str, Str]),
    "smtpcore_dns_mx_count": (c_size_t, [c_void_p]),
    "smtpcore_dns_mx_host": (Str, [c_void_p, c_size_t, POINTER(c_uint16)]),
}
for _name, (_restype, _argtypes) in _signatures.items():
    _f = getattr(lib, _name)
    _f.restype = _restype
    _f.argtypes = _argtypes

# smtpcore.h enumerators
STATE_BODY = 9
STATE_DATA_END = 10
EVENT_NAMES = {1: "greeting", 2: "start-tls", 3: "authenticated", 4: "ready", 5: "recipient", 6: "body-wanted",
               7: "message-accepted", 8: "message-rejected", 9: "message-unknown", 10: "closed", 11: "error",
               12: "recipient-outcome"}
TLS_MODES = {"none": 0, "opportunistic": 1, "starttls": 2, "implicit": 3}
CHUNKING_POLICIES = {"auto": 0, "never": 1, "always": 2}  # smtpcore_chunking
PROTOCOLS = {"smtp": 0, "lmtp": 1}  # smtpcore_protocol
EXT_CHUNKING = 1 << 6
AUTH_CHOICES = {"auto": 0, "plain": 1, "login": 2, "xoauth2": 3, "oauthbearer": 4, "scram-sha-256": 5,
                "scram-sha-256-plus": 6, "cram-md5": 7}
E_MISUSE, E_INVALID_INPUT, E_UNSUPPORTED, E_PEER_VIOLATION, E_LIMIT_EXCEEDED = 1, 2, 3, 4, 5
E_TLS_REQUIRED, E_INSECURE_AUTH, E_AUTH_UNAVAILABLE, E_AUTH_FAILED, E_REFUSED = 6, 7, 8, 9, 10
E_TIMEOUT, E_CONNECTION_LOST = 11, 12
DNS_TYPES = {"A": 1, "MX": 15, "AAAA": 28}
DNS_OUTCOMES = {0: "pending", 1: "answer", 2: "nodata", 3: "nxdomain", 4: "server-failure", 5: "timeout", 6: "failed"}
DNS_MX_VERDICTS = {0: "pending", 1: "hosts", 2: "implicit", 3: "no-mail", 4: "no-such-domain", 5: "temporary-failure"}
DNS_MAX_SERVERS = 8


def text(s: Str) -> str:
    return ctypes.string_at(s.data, s.size).decode("utf-8", "replace") if s.size else ""


def str_of(data: bytes) -> Str:
    """A Str view of `data` (the caller keeps `data` alive)."""
    return Str(ctypes.cast(c_char_p(data), c_void_p), len(data))
