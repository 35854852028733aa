// Internal: the base64 encoder's implementations and run-time selection.
//
// lib/codec/base64.cpp holds the portable scalar encoder (pair table) and the
// dispatch; lib/codec/base64_simd.cpp holds AVX2 and AVX-512 VBMI kernels,
// compiled only on x86-64 with per-function target attributes, so the library
// itself still builds for baseline x86-64. The CPU is asked once (cached).
//
// Not a public header: the tests and the benchmark include it to force and
// name an implementation.
#pragma once

#include <cstddef>
#include <cstdint>

// The SIMD kernels exist on x86-64 with GCC or clang, except in the small
// (microcontroller) build and when SMTPCORE_NO_SIMD asks for portable code.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(SMTPCORE_SMALL_CODE) && \
    !defined(SMTPCORE_NO_SIMD)
#define SMTPCORE_BASE64_X86 1
#else
#define SMTPCORE_BASE64_X86 0
#endif

namespace smtpcore::codec::detail {

enum class Base64Impl : std::uint8_t { Scalar = 0, Avx2 = 1, Avx512Vbmi = 2 };

/// "scalar", "avx2" or "avx512vbmi".
const char* base64_impl_name(Base64Impl impl) noexcept;
/// Whether this build and this CPU can run `impl` (Scalar always can).
bool base64_impl_supported(Base64Impl impl) noexcept;
/// The implementation the encoders use: the best supported one, detected on
/// first use, unless base64_select_impl() chose another.
Base64Impl base64_impl() noexcept;
/// Forces `impl` (tests, benchmarks). Returns false, changing nothing, when
/// it is not supported. Not meant to race with encoding on other threads.
bool base64_select_impl(Base64Impl impl) noexcept;

#if SMTPCORE_BASE64_X86
// Kernels. All read only [p, p + 3 * groups) and write only the characters
// they produce, and never load input below the octets of the block they are
// encoding after a store: with out <= p in one buffer (the line encoder's
// in-place contract) output never overwrites unread input.

// Encode whole triples (no line breaks); return how many were done (a
// multiple of 4 for AVX2, all of them for AVX-512). The caller does the rest.
std::size_t base64_groups_avx2(const std::uint8_t* p, std::size_t groups, char* out) noexcept;
std::size_t base64_groups_avx512vbmi(const std::uint8_t* p, std::size_t groups, char* out) noexcept;

// Encode `lines` whole MIME lines (57 octets -> 76 characters) with CRLF
// between them but not after the last; return the end of the output.
char* base64_lines_avx2(const std::uint8_t* p, std::size_t lines, char* out) noexcept;
char* base64_lines_avx512vbmi(const std::uint8_t* p, std::size_t lines, char* out) noexcept;

bool base64_cpu_has_avx2() noexcept;
bool base64_cpu_has_avx512vbmi() noexcept;
#endif

}  // namespace smtpcore::codec::detail
