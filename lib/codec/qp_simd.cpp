// Quoted-printable plain-run search for x86-64: AVX2 and AVX-512 BW (see
// qp_simd.hpp). Each function carries its own target attribute, so this file
// compiles for baseline x86-64 and a kernel runs only after the CPU said it
// has the instructions.
//
// An octet is plain when 32 <= c <= 126 and c != '=', or c == TAB (RFC 2045
// §6.7 rules 2 and 3). A vector compares 32 (64) octets at once; the first
// set bit of the "not plain" mask is the end of the run.
#include "qp_simd.hpp"

#if SMTPCORE_BASE64_X86

#include <immintrin.h>

#define SMTPCORE_TARGET_AVX2 __attribute__((target("avx2,bmi")))
#define SMTPCORE_TARGET_AVX512 __attribute__((target("avx512bw,avx512f,bmi")))

namespace smtpcore::codec::detail {

bool qp_cpu_has_avx512bw() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
}

namespace {

std::size_t scalar_tail(const std::uint8_t* p, std::size_t i, std::size_t n) noexcept {
    while (i < n && qp_plain(p[i])) ++i;
    return i;
}

}  // namespace

SMTPCORE_TARGET_AVX2 std::size_t qp_plain_run_avx2(const std::uint8_t* p, std::size_t n) noexcept {
    const __m256i space = _mm256_set1_epi8(32);
    const __m256i tab = _mm256_set1_epi8('\t');
    const __m256i equals = _mm256_set1_epi8('=');
    const __m256i del = _mm256_set1_epi8(127);
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        // Signed compare: octets 128..255 are negative, so "below 32" also
        // catches them (they need escaping too).
        __m256i bad = _mm256_andnot_si256(_mm256_cmpeq_epi8(v, tab), _mm256_cmpgt_epi8(space, v));
        bad = _mm256_or_si256(bad, _mm256_or_si256(_mm256_cmpeq_epi8(v, equals), _mm256_cmpeq_epi8(v, del)));
        const auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(bad));
        if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
    return scalar_tail(p, i, n);
}

SMTPCORE_TARGET_AVX512 std::size_t qp_plain_run_avx512bw(const std::uint8_t* p, std::size_t n) noexcept {
    const __m512i space = _mm512_set1_epi8(32);
    const __m512i tab = _mm512_set1_epi8('\t');
    const __m512i equals = _mm512_set1_epi8('=');
    const __m512i del = _mm512_set1_epi8(127);
    for (std::size_t i = 0; i < n; i += 64) {
        // The last block loads only the octets that are there (a masked load
        // does not touch the others, so it cannot fault past the input).
        const __mmask64 live = n - i >= 64 ? ~0ull : (1ull << (n - i)) - 1;
        const __m512i v = _mm512_maskz_loadu_epi8(live, p + i);
        const __mmask64 bad = (_mm512_cmplt_epu8_mask(v, space) & ~_mm512_cmpeq_epi8_mask(v, tab)) |
                              _mm512_cmpeq_epi8_mask(v, equals) | _mm512_cmpge_epu8_mask(v, del);
        const __mmask64 end = bad & live;
        if (end != 0) return i + static_cast<std::size_t>(__builtin_ctzll(end));
    }
    return n;
}

}  // namespace smtpcore::codec::detail

#endif  // SMTPCORE_BASE64_X86
