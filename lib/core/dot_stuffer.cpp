// DATA transparency (RFC 5321 §4.5.2); contract in dot_stuffer.hpp.
#include "smtpcore/detail/dot_stuffer.hpp"

#include "smtpcore/detail/text_run.hpp"

#include <cstring>

// SSE2 is part of every x86-64 CPU: no run-time check is needed.
#if defined(__SSE2__) && !defined(SMTPCORE_SMALL_CODE) && !defined(SMTPCORE_NO_SIMD)
#include <immintrin.h>
#define SMTPCORE_DOT_STUFFER_SSE2 1
#endif

namespace smtpcore::detail {
namespace {

// Length of the run of ordinary octets (neither CR nor LF) at the start of p.
// This scan is the body's hot path: text lines are ~60-80 octets long.
inline std::size_t plain_run(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
#if defined(SMTPCORE_DOT_STUFFER_SSE2)
    // Sixteen octets at a time: compare with CR and with LF, and the first
    // set bit of the combined mask is the end of the run. Loads stay inside
    // [p, p + n); the byte loop below does the rest.
    const __m128i crs = _mm_set1_epi8('\r');
    const __m128i lfs = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, crs), _mm_cmpeq_epi8(v, lfs)));
        if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#elif !defined(SMTPCORE_SMALL_CODE)
    // Eight octets at a time (SWAR): a word holds a CR or LF exactly when
    // w ^ CRs or w ^ LFs has a zero byte, and (x - 0x01..) & ~x & 0x80..
    // is non-zero exactly when x has a zero byte. The byte loop below then
    // finds the position.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        const std::uint64_t cr = w ^ (kOnes * '\r');
        const std::uint64_t lf = w ^ (kOnes * '\n');
        if ((((cr - kOnes) & ~cr) | ((lf - kOnes) & ~lf)) & kHighs) break;
    }
#endif
    while (i < n && p[i] != '\r' && p[i] != '\n') ++i;
    return i;
}

#if defined(SMTPCORE_TEXT_RUN_SSE2)
// copy_lines() stops at `stop`, inside the line that ends its room at
// `line_end`: the state after the octets copied.
inline std::size_t finish_lines(std::size_t stop, std::size_t line_end, std::uint16_t& line_len,
                                bool& line_start) noexcept {
    line_len = static_cast<std::uint16_t>(stop + DotStuffer::kMaxLine - line_end);
    if (stop > 0 && line_len == 0) line_start = true;  // just after a CRLF
    return stop;
}

namespace sse2 {
constexpr std::size_t kVector = 16;
inline std::uint32_t copy_vector(const char* in, char* out) noexcept {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
    // Unsigned v <= 13 is min(v, 13) == v.
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(13)), v)));
}
#include "dot_stuffer_lines.hpp"
}  // namespace sse2

// The same loop 32 octets a step, for CPUs with AVX2 (checked at run time,
// like base64's): compiled for AVX2 whatever the build's -march.
SMTPCORE_AVX2_BEGIN
namespace avx2 {
constexpr std::size_t kVector = 32;
inline std::uint32_t copy_vector(const char* in, char* out) noexcept {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
    return static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(13)), v)));
}
#include "dot_stuffer_lines.hpp"
}  // namespace avx2
SMTPCORE_AVX2_END

TextKernel kernel = best_text_kernel();

// Text that passes unchanged, with the kernel selected: 32 octets a step
// while they fit, then 16.
inline std::size_t copy_lines(const char* in, std::size_t n, char* out, std::uint16_t& line_len, bool& line_start,
                              bool dots) noexcept {
    if (kernel == TextKernel::Portable || !output_trails_by(in, out, 16)) return 0;
    std::size_t copied = 0;
    if (kernel == TextKernel::Avx2 && output_trails_by(in, out, 32)) {
        copied = avx2::copy_lines(in, n, out, line_len, line_start, dots);
        if (copied > 0) return copied;
    }
    return sse2::copy_lines(in, n, out, line_len, line_start, dots);
}
#endif

}  // namespace

std::size_t DotStuffer::stuff(const char* in, std::size_t n, char* out) noexcept {
    if (too_long_) return 0;
    char* o = out;
    std::size_t i = 0;
    while (i < n) {
        const char c = in[i];
        if (pending_cr_ || c == '\n') {
            // A CR ends the line whether or not LF follows: a bare CR, like a
            // bare LF, becomes CRLF (one writer for the three cases).
            const bool lf = c == '\n';
            pending_cr_ = false;
            *o++ = '\r';
            *o++ = '\n';
            at_line_start_ = true;
            line_len_ = 0;
            if (lf) {
                ++i;
                continue;
            }
        }
        if (c == '\r') {
            pending_cr_ = true;
            ++i;
            continue;
        }
        if (at_line_start_ && c == '.' && dots_) *o++ = '.';  // §4.5.2: double a leading dot
        at_line_start_ = false;
#if defined(SMTPCORE_TEXT_RUN_SSE2)
        if (const std::size_t copied = copy_lines(in + i, n - i, o, line_len_, at_line_start_, dots_)) {
            i += copied;
            o += copied;
            continue;
        }
#endif
        // Copy the whole run of ordinary octets at once, within the line limit.
        std::size_t run = plain_run(in + i, n - i);
        const std::size_t room = kMaxLine - line_len_;
        if (run > room) {
            std::memmove(o, in + i, room);
            o += room;
            too_long_ = true;
            return static_cast<std::size_t>(o - out);
        }
        std::memmove(o, in + i, run);  // o <= in + i: the caller's overlap guarantee
        o += run;
        i += run;
        line_len_ = static_cast<std::uint16_t>(line_len_ + run);
    }
    return static_cast<std::size_t>(o - out);
}

#if defined(SMTPCORE_TEXT_RUN_SSE2)
TextKernel stuff_kernel() noexcept { return kernel; }

bool select_stuff_kernel(TextKernel k) noexcept {
    if (k == TextKernel::Avx2 && best_text_kernel() != TextKernel::Avx2) return false;
    kernel = k;
    return true;
}
#endif

std::size_t DotStuffer::end_line(char* out) noexcept {
    if (!pending_cr_ && at_line_start_) return 0;
    out[0] = '\r';
    out[1] = '\n';
    pending_cr_ = false;
    at_line_start_ = true;
    line_len_ = 0;
    return 2;
}

std::size_t DotStuffer::finish(char* out) noexcept {
    char* o = out + end_line(out);  // end the last line
    *o++ = '.';
    *o++ = '\r';
    *o++ = '\n';
    pending_cr_ = false;
    at_line_start_ = true;
    line_len_ = 0;
    return static_cast<std::size_t>(o - out);
}

}  // namespace smtpcore::detail
