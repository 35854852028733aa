// Eight octets at a time: is any of them a control octet (below 0x20) or DEL?
// Internal; used by the reply parser's text scan and the address checks in
// full builds.
#pragma once

#include <cstdint>

namespace smtpcore::detail {

constexpr std::uint64_t kOctetOnes = 0x0101010101010101u;
constexpr std::uint64_t kTopBits = 0x8080808080808080u;

/// The top bit of each octet of `x` that may be below 0x20 or 0x7f, among the
/// octets whose own top bit is clear (octets >= 0x80 never count): the
/// classic "has less than" and "has zero" word tests, OR-ed. Zero exactly
/// when no octet is one; otherwise the lowest set bit marks a real one (a
/// borrow only flags octets above a real one).
constexpr std::uint64_t control_octets(std::uint64_t x) noexcept {
    return ((x - kOctetOnes * 0x20) | ((x ^ (kOctetOnes * 0x7f)) - kOctetOnes)) & ~x & kTopBits;
}

}  // namespace smtpcore::detail
