// smtpcore — typed, sticky errors.
//
// Three families, handled differently by the caller (docs/contributing.md §6):
//  - Misuse: the application called the engine wrongly (bad argument, wrong
//    state). The call is refused and the engine is unchanged; fix the call.
//  - Fatal: the peer broke the protocol, a bound was exceeded, TLS or
//    authentication policy forbids going on, the connection was lost or a
//    deadline passed. The engine stops, reports the outcome of any message in
//    flight, emits an Error event and keeps the error (last_error()).
//  - An SMTP 4xx/5xx reply is NOT an error: it is an event.
#pragma once

#include <cstdint>

namespace smtpcore {

enum class ErrorKind : std::uint8_t {
    None = 0,
    Misuse,          ///< the caller broke a precondition; nothing changed
    InvalidInput,    ///< application data refused (CR/LF/NUL, bad address, over-long line)
    Unsupported,     ///< the message needs an extension the server lacks, or is over its SIZE
    PeerViolation,   ///< the server broke RFC 5321 (malformed reply, unsolicited reply, injection)
    LimitExceeded,   ///< a server-controlled quantity passed its bound, or storage is too small
    TlsRequired,     ///< policy requires TLS and the server does not offer it or refused it
    InsecureAuth,    ///< credentials would go out without TLS and that was not allowed
    AuthUnavailable, ///< credentials given but no usable AUTH mechanism offered
    AuthFailed,      ///< the server refused the credentials (535, 454, ...)
    Refused,         ///< the server refused the session (554/421 greeting, EHLO and HELO refused)
    Timeout,         ///< a deadline (RFC 5321 §4.5.3.2) passed
    ConnectionLost,  ///< the transport closed while the engine still expected a reply
    BodyFailed,      ///< the body source failed (body_fail()); the message was cut off
    Aborted,         ///< the application called abort()
    Cancelled,       ///< cancel() after DATA had left: the message was cut off, the session ends
};

/// A short description of what went wrong and where. Both strings are static.
struct Error {
    ErrorKind kind = ErrorKind::None;
    const char* reason = "";  ///< e.g. "reply line longer than 512 octets"
    const char* where = "";   ///< the session phase, e.g. "EHLO" or "RCPT"
    std::int32_t index = -1;  ///< the offending recipient for InvalidInput, else -1

    constexpr explicit operator bool() const noexcept { return kind != ErrorKind::None; }
};

/// The enumerator's name, e.g. "peer-violation".
const char* to_string(ErrorKind kind) noexcept;

}  // namespace smtpcore
