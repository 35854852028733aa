// smtpcore — the envelope of one message (RFC 5321 §3.3).
#pragma once

#include <cstdint>
#include <string_view>

#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

/// How the body is encoded; decides the BODY= parameter (RFC 6152).
enum class BodyType : std::uint8_t {
    SevenBit,      ///< default: no BODY parameter
    EightBitMime,  ///< BODY=8BITMIME; refused at submit() if the server lacks 8BITMIME
    BinaryMime,    ///< BODY=BINARYMIME (RFC 3030 §3): content goes out verbatim in BDAT chunks
                   ///< (no CRLF repair, no line limit); refused at submit() unless the message
                   ///< goes out with BDAT and the server offers BINARYMIME
};

#ifndef SMTPCORE_NO_DSN
/// RET (RFC 3461 §4.3): how much of the message a failure report returns.
enum class DsnReturn : std::uint8_t {
    Default,  ///< no RET parameter: the server decides
    Full,     ///< RET=FULL: the whole message
    Headers,  ///< RET=HDRS: the headers only
};

/// NOTIFY (RFC 3461 §4.1) as bits; 0 = no NOTIFY parameter (the server's
/// default, usually FAILURE and DELAY). Never stands alone.
namespace dsn_notify {
constexpr std::uint8_t Never = 1u << 0;
constexpr std::uint8_t Success = 1u << 1;
constexpr std::uint8_t Failure = 1u << 2;
constexpr std::uint8_t Delay = 1u << 3;
}  // namespace dsn_notify

/// What happens when the server does not offer DSN.
enum class DsnUnoffered : std::uint8_t {
    Drop,    ///< send without the parameters; the outcome event says so (Event::dsn_dropped)
    Refuse,  ///< submit() refuses the message (ErrorKind::Unsupported): nothing is sent
};

/// Delivery status notification request (RFC 3461). Plain text in every
/// field: the engine xtext-encodes (§4) what it sends. Checked at submit():
/// ENVID printable US-ASCII and at most 100 octets encoded (§4.4); each ORCPT
/// a mailbox (checked like a recipient; UTF-8 allowed, sent as RFC 6533
/// "utf-8" type) of at most 500 octets encoded (§4.2).
struct DsnRequest {
    DsnReturn ret = DsnReturn::Default;
    std::string_view envid;  ///< ENVID on MAIL; empty = none
    std::uint8_t notify = 0;  ///< dsn_notify bits, for every RCPT without its own below
    /// ORCPT per recipient: empty, or exactly one per Envelope::recipients
    /// entry (an empty entry: no ORCPT on that RCPT).
    Span<const std::string_view> orcpt;
    /// NOTIFY per recipient (§4.1 is a RCPT parameter): empty, or exactly one
    /// dsn_notify value per Envelope::recipients entry; 0 = that RCPT uses
    /// `notify`. Checked like `notify` (NEVER alone).
    Span<const std::uint8_t> notify_each;
    DsnUnoffered if_unoffered = DsnUnoffered::Drop;
};
#endif

/// All views are borrowed: the caller keeps them alive until the message's
/// outcome event (MessageAccepted, MessageRejected or MessageUnknown).
struct Envelope {
    /// Reverse-path mailbox without angle brackets; empty = null sender "<>"
    /// (for bounces, RFC 5321 §4.5.5).
    std::string_view from;
    /// Every recipient, To, Cc and Bcc alike: the envelope does not know headers.
    Span<const std::string_view> recipients;

    /// Expected message size in octets for SIZE= (RFC 1870); 0 = unknown.
    /// A size over the server's declared limit is refused at submit().
    std::uint64_t size_hint = 0;
    BodyType body = BodyType::SevenBit;
    /// Addresses or headers are UTF-8 (RFC 6531): adds SMTPUTF8 to MAIL, and is
    /// refused at submit() if the server lacks it.
    bool smtputf8 = false;
#ifndef SMTPCORE_NO_REQUIRETLS
    /// REQUIRETLS (RFC 8689 §4.1): the message goes only over TLS, to a
    /// server that offers REQUIRETLS; otherwise submit() refuses it
    /// (ErrorKind::TlsRequired without TLS, Unsupported when not offered) and
    /// nothing of it is sent. The host must verify the server's certificate
    /// (the adapters do by default).
    bool require_tls = false;
#endif
#ifndef SMTPCORE_NO_DSN
    /// DSN parameters (RFC 3461); nullptr = none. Borrowed like the rest.
    /// (On 32-bit targets this pointer and require_tls sit in what was
    /// padding: the Envelope stays 32 bytes.)
    const DsnRequest* dsn = nullptr;
#endif
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
