// smtpcore — SMTP reply codes (RFC 5321 §4.2) and enhanced status codes (RFC 3463).
#pragma once

#include <cstdint>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

/// RFC 3463 §2: status-code = class "." subject "." detail. All zero when the
/// reply carried none (or when the event is local, not from the server).
struct EnhancedStatus {
    std::uint8_t klass = 0;     ///< 2 success, 4 persistent transient failure, 5 permanent failure
    std::uint16_t subject = 0;  ///< 0..999
    std::uint16_t detail = 0;   ///< 0..999

    constexpr bool present() const noexcept { return klass != 0; }
};

/// RFC 5321 §4.2.1: the first digit tells success (2), intermediate (3),
/// transient failure (4) or permanent failure (5).
constexpr bool is_positive(std::uint16_t code) noexcept { return code >= 200 && code < 400; }
constexpr bool is_transient_failure(std::uint16_t code) noexcept { return code >= 400 && code < 500; }
constexpr bool is_permanent_failure(std::uint16_t code) noexcept { return code >= 500 && code < 600; }

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
