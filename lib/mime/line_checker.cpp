// 7bit and 8bit bodies are sent as they are, so the writer must check what
// those labels promise (RFC 2045 §2.7, §2.8): lines of at most 998 octets
// separated by CRLF, no NUL, and for 7bit no octet above 127. Text in an
// ASCII-compatible charset may arrive with LF or CR line ends: they are
// canonicalised to CRLF (RFC 2049 §4 step 2). A line starting with "--" and
// this message's boundary stem could end a body part early (RFC 2046 §5.1.1),
// so it is refused; any other line starting "--" is fine, which is what lets a
// message smtpcore wrote be forwarded inside another.
#include "smtpcore/mime/writer.hpp"

#include <cstring>

#include "smtpcore/detail/text_run.hpp"

// SSE2 is part of every x86-64 CPU: no run-time check is needed.
#if defined(__SSE2__) && !defined(SMTPCORE_SMALL_CODE) && !defined(SMTPCORE_NO_SIMD)
#include <immintrin.h>
#define SMTPCORE_LINE_CHECKER_SSE2 1
#endif

namespace smtpcore::mime::detail {
namespace {
constexpr std::size_t kMaxLine = 998;  // RFC 5322 §2.1.1

// Length of the run at the start of p of octets that need no check beyond
// the line length: not CR, LF or NUL, and in a 7bit part below 128. Most of
// a text body is such runs, so they are found sixteen octets at a time.
inline std::size_t ordinary_run(const char* p, std::size_t n, bool eight_bit) noexcept {
    std::size_t i = 0;
#if defined(SMTPCORE_LINE_CHECKER_SSE2)
    const __m128i crs = _mm_set1_epi8('\r');
    const __m128i lfs = _mm_set1_epi8('\n');
    const __m128i nuls = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, crs), _mm_cmpeq_epi8(v, lfs)),
                                          _mm_cmpeq_epi8(v, nuls));
        // movemask of v itself: the octets with the top bit set.
        const int mask = _mm_movemask_epi8(stop) | (eight_bit ? 0 : _mm_movemask_epi8(v));
        if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c == '\r' || c == '\n' || c == 0 || (!eight_bit && c >= 0x80)) break;
    }
    return i;
}

#if defined(SMTPCORE_TEXT_RUN_SSE2)
// ordinary_run() that also copies the run to `out`, for output that trails
// the input by 16 octets, as the writer's region layout keeps it
// (MessageWriter::encode_into): see copy_text_run(). Returns the run's
// length, or n + 1 when the output is too close to the input (the caller
// then searches and copies separately).
inline std::size_t copy_ordinary_run(const char* p, std::size_t n, char* out, bool eight_bit) noexcept {
    using smtpcore::detail::copy_text_run;
    if (!smtpcore::detail::output_trails_by_16(p, out)) return n + 1;
    if (eight_bit) return copy_text_run<false>(p, n, out, [](char c) { return c == '\r' || c == '\n' || c == 0; });
    return copy_text_run<true>(p, n, out, [](char c) { return c == '\r' || c == '\n' || c == 0 || (c & 0x80) != 0; });
}
#endif

#if defined(SMTPCORE_TEXT_RUN_SSE2)
// Whether octet `c` can start a line that needs no check beyond its length:
// ordinary (as in ordinary_run) and not '-' (no boundary to compare).
inline bool starts_plain_line(char c, bool eight_bit) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u != '\r' && u != '\n' && u != 0 && u != '-' && (eight_bit || u < 0x80);
}

struct Copied {
    std::size_t read = 0;
    std::size_t written = 0;
};

namespace sse2 {
constexpr std::size_t kVector = 16;
inline std::uint32_t copy_vector(const char* in, char* out, bool eight_bit) noexcept {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
    // Signed v < 14 is "<= 13 or >= 128"; unsigned v <= 13 is min(v, 13) == v.
    const __m128i marked = eight_bit ? _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(13)), v)
                                     : _mm_cmpgt_epi8(_mm_set1_epi8(14), v);
    return static_cast<std::uint32_t>(_mm_movemask_epi8(marked));
}
#include "line_copy.hpp"
}  // namespace sse2

// The same loop 32 octets a step, for CPUs with AVX2 (checked at run time):
// compiled for AVX2 whatever the build's -march.
SMTPCORE_AVX2_BEGIN
namespace avx2 {
constexpr std::size_t kVector = 32;
inline std::uint32_t copy_vector(const char* in, char* out, bool eight_bit) noexcept {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
    const __m256i marked = eight_bit ? _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(13)), v)
                                     : _mm256_cmpgt_epi8(_mm256_set1_epi8(14), v);
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(marked));
}
#include "line_copy.hpp"
}  // namespace avx2
SMTPCORE_AVX2_END

smtpcore::detail::TextKernel kernel = smtpcore::detail::best_text_kernel();

// Text that needs no change but CRLF line ends, with the kernel selected:
// 32 octets a step while they fit, then 16.
inline Copied copy_lines(const char* in, std::size_t n, char* out, std::uint16_t& line, bool eight_bit,
                         bool canonical) noexcept {
    using smtpcore::detail::TextKernel;
    const std::size_t gap = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(in) - reinterpret_cast<std::uintptr_t>(out));
    if (kernel == TextKernel::Portable || gap < 16) return {};
    if (kernel == TextKernel::Avx2 && gap >= 32) {
        const Copied c = avx2::copy_lines(in, n, out, gap, line, eight_bit, canonical);
        if (c.read > 0) return c;
    }
    return sse2::copy_lines(in, n, out, gap, line, eight_bit, canonical);
}
#endif

// Copies the run of ordinary octets at the start of p to `out` (in place:
// out <= p) and returns its length.
inline std::size_t copy_run(const char* p, std::size_t n, char* out, bool eight_bit) noexcept {
#if defined(SMTPCORE_TEXT_RUN_SSE2)
    const std::size_t run = copy_ordinary_run(p, n, out, eight_bit);
    if (run <= n) return run;
#endif
    const std::size_t run_found = ordinary_run(p, n, eight_bit);
    std::memmove(out, p, run_found);  // in place: out <= p
    return run_found;
}
}  // namespace

void LineChecker::reset(bool eight_bit, bool canonical, const char* stem, std::uint8_t stem_len) noexcept {
    *this = LineChecker{};
    eight_bit_ = eight_bit;
    canonical_ = canonical;
    stem_ = stem;
    stem_len_ = stem_len;
    prefix_ = stem_len == 0 ? std::int8_t(-1) : std::int8_t(0);
}

bool LineChecker::check_octet(char c) noexcept {
    if (c == '\0') return breach("NUL in a 7bit/8bit part");
    if (!eight_bit_ && static_cast<unsigned char>(c) >= 0x80) return breach("octet above 127 in a 7bit part");
    if (++line_ > kMaxLine) return breach("line longer than 998 octets in a 7bit/8bit part");
    if (prefix_ >= 0) {
        const char expected = prefix_ < 2 ? '-' : stem_[prefix_ - 2];
        prefix_ = (c == expected) ? static_cast<std::int8_t>(prefix_ + 1) : std::int8_t(-1);
        if (prefix_ == 2 + stem_len_) return breach("line starting with this message's boundary in a 7bit/8bit part");
    }
    return true;
}

#if defined(SMTPCORE_TEXT_RUN_SSE2)
smtpcore::detail::TextKernel line_kernel() noexcept { return kernel; }

bool select_line_kernel(smtpcore::detail::TextKernel k) noexcept {
    if (k == smtpcore::detail::TextKernel::Avx2 && smtpcore::detail::best_text_kernel() != k) return false;
    kernel = k;
    return true;
}
#endif

long LineChecker::update(const char* in, std::size_t n, char* out) noexcept {
    char* o = out;
    for (std::size_t i = 0; i < n; ++i) {
        if (!after_cr_ && prefix_ < 0) {
            // Inside a line, past the boundary check: copy the ordinary run up
            // to the line limit at once; the octet after it takes the checks
            // below (which also report a line that grows too long).
#if defined(SMTPCORE_TEXT_RUN_SSE2)
            const Copied fast = copy_lines(in + i, n - i, o, line_, eight_bit_, canonical_);
            i += fast.read;
            o += fast.written;
            if (i == n) break;
#endif
            // (Octets past the line limit may be copied too; they are not counted.)
            std::size_t run = copy_run(in + i, n - i, o, eight_bit_);
            const std::size_t room = line_ < kMaxLine ? kMaxLine - line_ : 0;
            if (run > room) run = room;
            o += run;
            i += run;
            line_ = static_cast<decltype(line_)>(line_ + run);
            if (i == n) break;
        }
        const char c = in[i];
        if (c == '\n' && after_cr_) {  // second half of a CRLF already written
            after_cr_ = false;
            continue;
        }
        if (!canonical_ && after_cr_) {
            reason_ = "bare CR in a 7bit/8bit part sent octet for octet";
            return -1;
        }
        after_cr_ = (c == '\r');
        if (c == '\r' || c == '\n') {
            if (!canonical_ && c == '\n') {
                reason_ = "bare LF in a 7bit/8bit part sent octet for octet";
                return -1;
            }
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
            line_ = 0;
            prefix_ = stem_len_ == 0 ? std::int8_t(-1) : std::int8_t(0);
            continue;
        }
        if (!check_octet(c)) return -1;
        *o++ = c;
    }
    return static_cast<long>(o - out);
}

std::size_t CrlfCanonicaliser::update(const char* in, std::size_t n, char* out) noexcept {
    char* o = out;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = in[i];
        if (c == '\n' && after_cr_) {
            after_cr_ = false;
            continue;
        }
        after_cr_ = (c == '\r');
        if (c == '\r' || c == '\n') {
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
        } else {
            *o++ = c;
        }
    }
    return static_cast<std::size_t>(o - out);
}

}  // namespace smtpcore::mime::detail
