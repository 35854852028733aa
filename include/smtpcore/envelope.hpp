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
    // Room for DSN (RFC 3461: RET, ENVID, NOTIFY, ORCPT) and REQUIRETLS (RFC 8689):
    // not built yet.
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
