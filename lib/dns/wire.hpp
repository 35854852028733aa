// Network-order integers in DNS messages (RFC 1035 §2.3.2). Internal.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smtpcore::dns::wire {

inline std::uint16_t u16(const char* p) noexcept {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]));
}
inline std::uint32_t u32(const char* p) noexcept {
    return (std::uint32_t(u16(p)) << 16) | u16(p + 2);
}
inline void put16(char* p, std::uint16_t v) noexcept {
    p[0] = static_cast<char>(v >> 8);
    p[1] = static_cast<char>(v & 0xFF);
}

}  // namespace smtpcore::dns::wire
