// smtpcore — session policy, timeouts and bounds, fixed when a Client is made.
//
// Every string_view is borrowed: the caller keeps the characters alive for the
// whole life of the Client.
#pragma once

#include <cstdint>
#include <string_view>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

/// Milliseconds on a clock of the host's choosing (monotonic is best). The
/// engine never reads a clock; it only compares values the host hands in.
using Millis = std::uint64_t;
constexpr Millis kNever = ~Millis(0);

/// How the session gets (or does not get) TLS.
enum class TlsMode : std::uint8_t {
    None,              ///< plaintext only; STARTTLS is never sent
    Opportunistic,     ///< STARTTLS when offered, plaintext otherwise (no credentials allowed)
    StartTlsRequired,  ///< STARTTLS or nothing: never goes on in plaintext (the default)
    Implicit,          ///< TLS from the first byte (port 465); the host calls tls_established() first
};

/// Which protocol the session speaks. LMTP (RFC 2033) is for local delivery
/// to a mail store (a unix socket or a loopback port of the caller's
/// choosing); it is never chosen from anything the server says, only here.
enum class Protocol : std::uint8_t {
    Smtp,  ///< ESMTP (RFC 5321): EHLO, HELO fallback, one reply to the end of data
    /// LMTP (RFC 2033): LHLO, no HELO fallback (§4.1), one reply per accepted
    /// recipient after the end of data (§4.2), each a RecipientOutcome event;
    /// no BDAT (Config::chunking Always is refused). Builds with
    /// SMTPCORE_NO_LMTP refuse it at construction.
    Lmtp,
};

/// Which SASL mechanism AUTH uses when credentials are set.
enum class AuthChoice : std::uint8_t {
    /// The best offered: with an OAuth token OAUTHBEARER, else XOAUTH2;
    /// otherwise SCRAM-SHA-256-PLUS (when TLS exports a channel binding), else
    /// SCRAM-SHA-256 (both when AuthOptions::random is given), else PLAIN,
    /// else LOGIN. CRAM-MD5 is never chosen automatically.
    Auto,
    Plain,  ///< RFC 4616
    Login,  ///< the widely deployed LOGIN mechanism
    // The rest need the Client constructor with AuthOptions (auth_options.hpp).
    XOAuth2,          ///< Google / Microsoft bearer token format
    OAuthBearer,      ///< RFC 7628
    ScramSha256,      ///< RFC 7677 / RFC 5802
    ScramSha256Plus,  ///< RFC 7677 with tls-exporter channel binding (RFC 9266)
    CramMd5,          ///< RFC 2195, for old embedded servers
};

/// What a transaction needs from the recipients before the body is sent.
enum class RecipientPolicy : std::uint8_t {
    AnyAccepted,  ///< send when at least one recipient was accepted (DATA is pipelined)
    AllRequired,  ///< send only when every recipient was accepted (costs one round trip:
                  ///< DATA waits for the RCPT replies, because a pipelined DATA cannot be taken back)
};

/// Whether message content goes out with BDAT (RFC 3030 CHUNKING) or DATA.
enum class ChunkingPolicy : std::uint8_t {
    Auto,    ///< BDAT when the server offers CHUNKING, DATA otherwise
    Never,   ///< always DATA (some servers stall on BDAT)
    Always,  ///< BDAT or nothing: submit() refuses (Unsupported) when CHUNKING is not offered
};

/// A duration in milliseconds (32 bits: up to 49 days, and half the RAM of Millis).
using Duration = std::uint32_t;

/// RFC 5321 §4.5.3.2 client timeouts, in milliseconds.
struct Timeouts {
    Duration greeting = 5 * 60000;     ///< §4.5.3.2.1 initial 220 message: 5 minutes
    Duration mail = 5 * 60000;         ///< §4.5.3.2.2 MAIL command: 5 minutes
    Duration rcpt = 5 * 60000;         ///< §4.5.3.2.3 RCPT command: 5 minutes
    Duration data_init = 2 * 60000;    ///< §4.5.3.2.4 DATA initiation: 2 minutes
    Duration data_block = 3 * 60000;   ///< §4.5.3.2.5 each send of body bytes: 3 minutes
    Duration data_end = 10 * 60000;    ///< §4.5.3.2.6 DATA termination: 10 minutes
    Duration command = 5 * 60000;      ///< EHLO, HELO, STARTTLS, AUTH, RSET, QUIT (not fixed by the RFC)

    /// Every timeout set to the same value (a command-line --timeout).
    static constexpr Timeouts all(Duration t) noexcept { return Timeouts{t, t, t, t, t, t, t}; }
};

/// Bounds on what the server controls (docs/contributing.md §7). Exceeding one is fatal.
struct Limits {
    std::uint16_t reply_line = 512;       ///< RFC 5321 §4.5.3.1.5: reply line incl. CRLF
    std::uint16_t reply_lines = 256;      ///< lines in one multi-line reply (EHLO lists are ~15)
    std::uint8_t sasl_challenges = 4;     ///< 334 challenges in one AUTH exchange
    /// Lines written and not yet answered (the queue of outstanding commands,
    /// 4 bytes each in the caller's storage, see Client::min_storage()). RFC 2920
    /// §3.1 lets a client pipeline any number of commands, but a client that
    /// writes without bound while the server's replies pile up can deadlock
    /// both sides; when the queue is full the engine writes nothing new until
    /// replies come back. 64 covers one message with 50 recipients (MAIL, 50
    /// RCPT, DATA, end of data: 53 lines) plus the next message's envelope of
    /// up to 9 recipients, in one flight; beyond that lines only wait one
    /// round trip longer. At least 1 (lock-step).
    std::uint8_t commands_in_flight = 64;
#ifndef SMTPCORE_NO_CHUNKING
    /// Messages whose content may be out before the first of them is
    /// answered: with CHUNKING, PIPELINING and RecipientPolicy::AnyAccepted,
    /// a message submitted ahead starts its body (BodyWanted) as soon as its
    /// MAIL and RCPT lines are written behind the previous BDAT LAST, so a
    /// batch of small messages goes out in one flight (RFC 2920 §3.1, RFC
    /// 3030 §4.2). Each message beyond the first costs
    /// Client::kMessageRecord bytes of the caller's storage (see
    /// min_storage()). 1 (the default): only the current message's content
    /// flows; the next one's envelope may still be pipelined behind it.
    /// Absent from builds without BDAT (SMTPCORE_NO_CHUNKING).
    std::uint8_t messages_in_flight = 1;
#endif
};

struct Config {
    /// The EHLO/HELO argument: our fully qualified domain name or an address
    /// literal such as "[192.0.2.1]" (RFC 5321 §4.1.1.1).
    std::string_view client_name = "localhost";

    TlsMode tls = TlsMode::StartTlsRequired;
    /// SMTP, or LMTP (RFC 2033) when the caller says so (in padding: Config does not grow).
    Protocol protocol = Protocol::Smtp;

    /// Credentials for AUTH; empty username = no AUTH.
    std::string_view username;
    std::string_view password;
    AuthChoice auth = AuthChoice::Auto;
    /// Send credentials over a connection without TLS. Off: refused (InsecureAuth).
    bool allow_plaintext_auth = false;

    RecipientPolicy recipients = RecipientPolicy::AnyAccepted;
    /// BDAT or DATA (RFC 3030). Builds with SMTPCORE_NO_CHUNKING have no BDAT:
    /// there Auto and Never mean DATA, and Always is refused at construction.
    ChunkingPolicy chunking = ChunkingPolicy::Auto;
    Timeouts timeouts;
    Limits limits;

    /// Named leniency, off by default: accept a bare LF as the end of a reply
    /// line. RFC 5321 §2.3.8 requires CRLF; a few broken servers send LF.
    bool accept_bare_lf_in_replies = false;

    /// Bytes of server text kept for events (the rest is cut, see Event::text).
    std::uint16_t reply_text_capacity = 128;
    /// Size of the receive window; replies of any length stream through it.
    std::uint16_t recv_capacity = 64;
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
