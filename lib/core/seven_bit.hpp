// Is a piece of message content 7-bit data? Internal.
//
// RFC 6152 §3: a client must not send octets above 127 to a server that was
// not told BODY=8BITMIME; RFC 2045 §2.7 also excludes NUL from 7bit data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace smtpcore::detail {

inline bool is_seven_bit(const char* p, std::size_t n) noexcept {
    constexpr std::uint64_t kLow = 0x0101010101010101u;
    constexpr std::uint64_t kHigh = 0x8080808080808080u;
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {  // eight octets at a time: a high bit, or a zero octet
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        if ((w & kHigh) != 0 || ((w - kLow) & ~w & kHigh) != 0) return false;
    }
    for (; i < n; ++i) {
        const auto u = static_cast<unsigned char>(p[i]);
        if (u == 0 || u > 127) return false;
    }
    return true;
}

}  // namespace smtpcore::detail
