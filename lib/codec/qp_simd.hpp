// Internal: the quoted-printable encoder's implementations and run-time
// selection, the same scheme as base64_simd.hpp.
//
// Scalar: lib/codec/quoted_printable.cpp, one octet at a time (the
// reference, and the only code in small builds). Avx2 and Avx512Bw: the same
// encoder, except that runs of "plain" octets (RFC 2045 §6.7 rule 2 safe
// characters, space and tab) are found with a vector search and copied in
// pieces that fill each line up to its soft break; every other octet still
// takes the scalar path, so the output is the scalar output octet for octet.
// The kernels live in lib/codec/qp_simd.cpp (x86-64 only, per-function
// target attributes).
//
// Not a public header: the tests, the fuzz target and the benchmark include
// it to force and name an implementation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base64_simd.hpp"  // SMTPCORE_BASE64_X86: whether x86 kernels are built

namespace smtpcore::codec::detail {

enum class QpImpl : std::uint8_t { Scalar = 0, Avx2 = 1, Avx512Bw = 2 };

/// "scalar", "avx2" or "avx512bw".
const char* qp_impl_name(QpImpl impl) noexcept;
/// Whether this build and this CPU can run `impl` (Scalar always can).
bool qp_impl_supported(QpImpl impl) noexcept;
/// The implementation QpEncoder uses: the best supported one, detected on
/// first use, unless qp_select_impl() chose another.
QpImpl qp_impl() noexcept;
/// Forces `impl` (tests, benchmarks). Returns false, changing nothing, when it
/// is not supported. Not meant to race with encoding on other threads.
bool qp_select_impl(QpImpl impl) noexcept;

/// Whether octet `c` may go out as it is inside a line (a safe character,
/// space or tab); the encoder still holds a trailing space or tab back.
constexpr bool qp_plain(std::uint8_t c) noexcept { return (c >= 32 && c <= 126 && c != '=') || c == '\t'; }

#if SMTPCORE_BASE64_X86
// Length of the run of plain octets at the start of [p, p + n). Read only
// [p, p + n).
std::size_t qp_plain_run_avx2(const std::uint8_t* p, std::size_t n) noexcept;
std::size_t qp_plain_run_avx512bw(const std::uint8_t* p, std::size_t n) noexcept;

bool qp_cpu_has_avx512bw() noexcept;
#endif

}  // namespace smtpcore::codec::detail
