// Hex text of digests, for comparing against the vectors as the RFCs print them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace smtpcore::test {

inline std::string hex(const std::uint8_t* p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}

template <std::size_t N>
std::string hex(const std::uint8_t (&a)[N]) {
    return hex(a, N);
}

}  // namespace smtpcore::test
