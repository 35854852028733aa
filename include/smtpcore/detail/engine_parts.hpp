// smtpcore — the pieces a Client holds by value. Internal: not a stable API.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/detail/capability_parser.hpp"
#include "smtpcore/detail/dot_stuffer.hpp"
#include "smtpcore/detail/reply_parser.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

/// The one lock-step line the engine has decided to send next.
enum class PendingLine : std::uint8_t {
    None, Ehlo, Helo, StartTls, AuthPlain, AuthLogin, SaslResponse, SaslCancel, Rset, Quit,
};

enum class SaslKind : std::uint8_t { Plain, Login };

struct EngineParts {
    ReplyParser reply;
    CapabilityParser ehlo;
    DotStuffer stuffer;
    PendingLine pending = PendingLine::None;
    SaslKind sasl = SaslKind::Plain;
    std::uint8_t sasl_step = 0;        // responses sent in this exchange
    std::uint8_t sasl_challenges = 0;  // 334 replies seen
    bool sasl_cancelled = false;
    bool quit_after_pending = false;   // fatal-but-polite: QUIT, then nothing
};

template <std::size_t N>
struct StorageHolder {
    alignas(8) char storage_[N];
};

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
