// Internal: the 7-bit scan's implementations and run-time selection, the same
// scheme as base64_simd.hpp. Scalar is is_seven_bit_portable() (the
// reference, and the only code in small builds); Sse2 and Avx2 are vector
// scans in lib/codec/seven_bit.cpp.
//
// Not a public header: the tests, the fuzz target and the benchmark include
// it to force and name an implementation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base64_simd.hpp"  // SMTPCORE_BASE64_X86: whether x86 kernels are built

namespace smtpcore::codec::detail {

enum class SevenBitImpl : std::uint8_t { Scalar = 0, Sse2 = 1, Avx2 = 2 };

/// "scalar", "sse2" or "avx2".
const char* seven_bit_impl_name(SevenBitImpl impl) noexcept;
/// Whether this build and this CPU can run `impl` (Scalar always can).
bool seven_bit_impl_supported(SevenBitImpl impl) noexcept;
/// The implementation is_seven_bit() uses: the best supported one, detected
/// on first use, unless seven_bit_select_impl() chose another.
SevenBitImpl seven_bit_impl() noexcept;
/// Forces `impl` (tests, benchmarks). Returns false, changing nothing, when it
/// is not supported. Not meant to race with scans on other threads.
bool seven_bit_select_impl(SevenBitImpl impl) noexcept;

}  // namespace smtpcore::codec::detail
