// smtpcore — decimal digits of an unsigned number (the SIZE= parameter,
// RFC 1870 §6). Internal to the engine's command lines.
//
// Division by ten, which compilers turn into a multiply on 64-bit CPUs. The
// small (microcontroller) build keeps its own subtraction loop instead
// (LineBuilder::put_decimal): a 64-bit division there pulls in a runtime
// helper of several hundred bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::codec {

/// The most digits format_decimal() writes (2^64 - 1 has 20).
constexpr std::size_t kMaxDecimalDigits = 20;

/// Writes the decimal digits of `v` (no sign, no leading zeros; "0" for 0)
/// to out[0..kMaxDecimalDigits) and returns how many it wrote.
inline std::size_t format_decimal(std::uint64_t v, char* out) noexcept {
    char reversed[kMaxDecimalDigits];
    std::size_t n = 0;
    do {
        reversed[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (std::size_t i = 0; i < n; ++i) out[i] = reversed[n - 1 - i];
    return n;
}

}  // namespace smtpcore::codec
SMTPCORE_END_PUBLIC
