// smtpcore — is a piece of message content 7-bit data?
//
// RFC 6152 §3: a client must not send octets above 127 to a server that was
// not told BODY=8BITMIME; RFC 2045 §2.7 also excludes NUL from 7bit data. So
// content is 7-bit exactly when every octet is in 1..127.
//
// The engine checks every body octet of a 7-bit message (Client::body_ack),
// so this is on the body's hot path. On x86-64 it runs an SSE2 or AVX2 scan
// chosen once at run time (lib/codec/seven_bit.cpp); the answer is the same
// for every implementation. Small (microcontroller) builds get the portable
// scan below, inline, and nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::codec {

/// The portable scan: true when every octet of [p, p + n) is in 1..127.
/// Reads only [p, p + n).
inline bool is_seven_bit_portable(const char* p, std::size_t n) noexcept {
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

#if defined(SMTPCORE_SMALL_CODE)
inline bool is_seven_bit(const char* p, std::size_t n) noexcept { return is_seven_bit_portable(p, n); }
#else
/// True when every octet of [p, p + n) is in 1..127 (the fastest scan this
/// CPU runs). Reads only [p, p + n); n == 0 gives true.
bool is_seven_bit(const char* p, std::size_t n) noexcept;
#endif

}  // namespace smtpcore::codec
SMTPCORE_END_PUBLIC
