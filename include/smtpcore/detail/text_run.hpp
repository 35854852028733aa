// smtpcore — copying runs of text sixteen octets at a time. Internal.
//
// The body's two hot loops, DATA transparency (lib/core/dot_stuffer.cpp) and
// the 7bit/8bit line checker (lib/mime/line_checker.cpp), copy text forward
// in one buffer and stop at the few octets that need a closer look. Both use
// copy_text_run() on x86-64 (SSE2 is part of every x86-64 CPU, so there is no
// run-time check); small builds and other CPUs keep their portable loops and
// do not see this header's contents.
#pragma once

#include "smtpcore/export.hpp"

#if defined(__SSE2__) && !defined(SMTPCORE_SMALL_CODE) && !defined(SMTPCORE_NO_SIMD)
#define SMTPCORE_TEXT_RUN_SSE2 1

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

/// Functions defined between SMTPCORE_AVX2_BEGIN and SMTPCORE_AVX2_END are
/// compiled for AVX2 whatever the build's -march; they may run only where
/// best_text_kernel() says Avx2.
#if defined(__clang__)
#define SMTPCORE_AVX2_BEGIN _Pragma("clang attribute push(__attribute__((target(\"avx2\"))), apply_to = function)")
#define SMTPCORE_AVX2_END _Pragma("clang attribute pop")
#else
#define SMTPCORE_AVX2_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define SMTPCORE_AVX2_END _Pragma("GCC pop_options")
#endif

/// The copy loop a hot path uses for text that passes unchanged: Avx2 (32
/// octets a step) on CPUs that have it, chosen at start-up, else Sse2 (16);
/// Portable leaves everything to the octet-wise code. All write the same
/// bytes; the choice exists for the tests that show it.
enum class TextKernel : std::uint8_t { Portable, Sse2, Avx2 };

inline TextKernel best_text_kernel() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? TextKernel::Avx2 : TextKernel::Sse2;
}

/// Whether stores to `out` may run `ahead` octets ahead of reads from `in`
/// (see output_trails_by_16()).
inline bool output_trails_by(const char* in, const char* out, std::size_t ahead) noexcept {
    return reinterpret_cast<std::uintptr_t>(in) - reinterpret_cast<std::uintptr_t>(out) >= ahead;
}

/// Whether stores to `out` may run 16 octets ahead of reads from `in`: the
/// output is at least 16 octets below the input, or anywhere above it
/// (unsigned distance; buffers that overlap from above are never passed).
inline bool output_trails_by_16(const char* in, const char* out) noexcept {
    return reinterpret_cast<std::uintptr_t>(in) - reinterpret_cast<std::uintptr_t>(out) >= 16;
}

/// Copies in[0..n) to `out` up to the first octet c with stops(c), and
/// returns the number copied (n when none stops). Vectors pick candidates,
/// every octet <= 13 (NUL, TAB, LF, CR, ...) and with kStopHigh also every
/// octet >= 128, and `stops` decides about each one, so a TAB costs a little
/// and ends nothing. Each vector is stored before it is searched: up to 15
/// octets past the run are written too (the caller does not count them), all
/// below out + n. Precondition: output_trails_by_16(in, out), so no store
/// reaches input not yet read; `stops` is false for every octet that is not
/// a candidate (those are copied without asking).
template <bool kStopHigh, class Stops>
inline std::size_t copy_text_run(const char* in, std::size_t n, char* out, Stops stops) noexcept {
    const __m128i fourteen = _mm_set1_epi8(14);
    const __m128i thirteen = _mm_set1_epi8(13);
    std::size_t i = 0;
    while (i + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), v);
        // Signed v < 14 is "<= 13 or >= 128"; unsigned v <= 13 is min(v, 13) == v.
        const __m128i candidates =
            kStopHigh ? _mm_cmpgt_epi8(fourteen, v) : _mm_cmpeq_epi8(_mm_min_epu8(v, thirteen), v);
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(candidates));
        if (mask == 0) {
            i += 16;
            continue;
        }
        const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(mask));
        if (stops(in[at])) return at;  // in[at] is not overwritten: the output trails by 16
        i = at + 1;                     // a candidate that is ordinary: go on after it
    }
    for (; i < n && !stops(in[i]); ++i) out[i] = in[i];
    return i;
}

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC

#endif
