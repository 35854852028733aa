// smtpcore — the streaming parsers and the small lock-step state a Client
// holds by value. Internal: not a stable API.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/detail/capability_parser.hpp"
#include "smtpcore/detail/dot_stuffer.hpp"
#include "smtpcore/detail/reply_parser.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

/// The input and output filters of one session.
struct Parsers {
    ReplyParser reply;
    CapabilityParser ehlo;
    DotStuffer stuffer;
};

/// The one lock-step line the engine has decided to send next (outside a
/// transaction, whose lines MessageRecord tracks).
enum class PendingLine : std::uint8_t {
    None, Ehlo, Helo, StartTls, AuthPlain, AuthLogin, SaslResponse, SaslCancel, Rset, Quit,
    AuthExtended,  // AUTH with a mechanism of lib/core/auth_extended.cpp
};

enum class SaslKind : std::uint8_t { Plain, Login, XOAuth2, OAuthBearer, Scram, ScramPlus, CramMd5 };

/// One AUTH exchange (RFC 4954).
struct SaslExchange {
    SaslKind kind = SaslKind::Plain;
    std::uint8_t step = 0;        // responses sent
    std::uint8_t challenges = 0;  // 334 replies seen
    bool cancelled = false;       // "*" was sent: only a failure reply may follow (§4)
};

template <std::size_t N>
struct StorageHolder {
    alignas(8) char storage_[N];
};

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
