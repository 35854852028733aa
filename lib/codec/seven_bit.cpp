// The 7-bit scan (contract in smtpcore/codec/seven_bit.hpp) and its x86-64
// vector forms, selected once at run time (seven_bit_simd.hpp).
//
// An octet is 7-bit data when 1 <= c <= 127 (RFC 6152 §3, RFC 2045 §2.7):
// read as a signed byte, exactly when it is greater than zero. So one signed
// compare (SSE2) or one signed minimum per vector (AVX2: the minimum of a
// block is > 0 exactly when every octet is) answers for 16 or 32 octets.
// Each function carries its own target attribute, so the file compiles for
// baseline x86-64 and the AVX2 scan runs only after the CPU said it has it.
#include "smtpcore/codec/seven_bit.hpp"

#include "seven_bit_simd.hpp"

#if SMTPCORE_BASE64_X86
#include <immintrin.h>
#define SMTPCORE_TARGET_AVX2 __attribute__((target("avx2")))
#endif

namespace smtpcore::codec {
namespace detail {
namespace {

#if SMTPCORE_BASE64_X86
// Sixteen octets at a time, four vectors per round; a last, overlapping
// vector covers the tail when there are at least 16 octets. Loads stay inside
// [p, p + n).
bool seven_bit_sse2(const char* p, std::size_t n) noexcept {
    if (n < 16) return is_seven_bit_portable(p, n);
    const __m128i zero = _mm_setzero_si128();
    const auto load = [p](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)); };
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m128i ok = _mm_and_si128(_mm_and_si128(_mm_cmpgt_epi8(load(i), zero), _mm_cmpgt_epi8(load(i + 16), zero)),
                                         _mm_and_si128(_mm_cmpgt_epi8(load(i + 32), zero), _mm_cmpgt_epi8(load(i + 48), zero)));
        if (_mm_movemask_epi8(ok) != 0xffff) return false;
    }
    for (; i + 16 <= n; i += 16)
        if (_mm_movemask_epi8(_mm_cmpgt_epi8(load(i), zero)) != 0xffff) return false;
    return i == n || _mm_movemask_epi8(_mm_cmpgt_epi8(load(n - 16), zero)) == 0xffff;
}

SMTPCORE_TARGET_AVX2 inline __m256i load32(const char* p) noexcept {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Whether every octet of `v` is greater than zero (signed).
SMTPCORE_TARGET_AVX2 inline bool all_positive(__m256i v) noexcept {
    return _mm256_movemask_epi8(_mm256_cmpgt_epi8(v, _mm256_setzero_si256())) == -1;
}

// Thirty-two octets at a time, four vectors per round (signed minimum), with
// the same overlapping last vector; under 32 octets the SSE2 scan answers.
SMTPCORE_TARGET_AVX2 bool seven_bit_avx2(const char* p, std::size_t n) noexcept {
    if (n < 32) return seven_bit_sse2(p, n);
    std::size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        const __m256i low = _mm256_min_epi8(_mm256_min_epi8(load32(p + i), load32(p + i + 32)),
                                            _mm256_min_epi8(load32(p + i + 64), load32(p + i + 96)));
        if (!all_positive(low)) return false;
    }
    for (; i + 32 <= n; i += 32)
        if (!all_positive(load32(p + i))) return false;
    return i == n || all_positive(load32(p + n - 32));
}
#endif

int g_impl = -1;  // -1 until the CPU was asked; relaxed atomics (a benign race)

SevenBitImpl detect() noexcept {
#if SMTPCORE_BASE64_X86
    if (base64_cpu_has_avx2()) return SevenBitImpl::Avx2;
    return SevenBitImpl::Sse2;  // part of every x86-64 CPU
#else
    return SevenBitImpl::Scalar;
#endif
}

}  // namespace

bool seven_bit_impl_supported(SevenBitImpl impl) noexcept {
#if SMTPCORE_BASE64_X86
    if (impl == SevenBitImpl::Sse2) return true;
    if (impl == SevenBitImpl::Avx2) return base64_cpu_has_avx2();
#endif
    return impl == SevenBitImpl::Scalar;
}

SevenBitImpl seven_bit_impl() noexcept {
    int v = __atomic_load_n(&g_impl, __ATOMIC_RELAXED);
    if (v < 0) {
        v = static_cast<int>(detect());
        __atomic_store_n(&g_impl, v, __ATOMIC_RELAXED);
    }
    return static_cast<SevenBitImpl>(v);
}

bool seven_bit_select_impl(SevenBitImpl impl) noexcept {
    if (!seven_bit_impl_supported(impl)) return false;
    __atomic_store_n(&g_impl, static_cast<int>(impl), __ATOMIC_RELAXED);
    return true;
}

const char* seven_bit_impl_name(SevenBitImpl impl) noexcept {
    switch (impl) {
        case SevenBitImpl::Sse2: return "sse2";
        case SevenBitImpl::Avx2: return "avx2";
        case SevenBitImpl::Scalar: break;
    }
    return "scalar";
}

}  // namespace detail

#if !defined(SMTPCORE_SMALL_CODE)
bool is_seven_bit(const char* p, std::size_t n) noexcept {
    switch (detail::seven_bit_impl()) {
#if SMTPCORE_BASE64_X86
        case detail::SevenBitImpl::Avx2: return detail::seven_bit_avx2(p, n);
        case detail::SevenBitImpl::Sse2: return detail::seven_bit_sse2(p, n);
#endif
        default: break;
    }
    return is_seven_bit_portable(p, n);
}
#endif

}  // namespace smtpcore::codec
