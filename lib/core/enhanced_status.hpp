// Enhanced status codes at the front of reply text (RFC 2034 §4, RFC 3463 §2). Internal.
//
//   status-code = class "." subject "." detail
//   class       = "2" / "4" / "5"
//   subject     = 1*3digit
//   detail      = 1*3digit
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/reply.hpp"

namespace smtpcore::detail {

/// Reads a status code at the start of `text` if its class matches the reply
/// code's first digit (RFC 2034 §4 requires that) and a space or the end
/// follows. Returns how many octets to skip (code plus one space), or 0.
std::size_t parse_enhanced_status(std::string_view text, std::uint16_t reply_code,
                                  EnhancedStatus& out) noexcept;

}  // namespace smtpcore::detail
