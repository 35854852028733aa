#include "content_scan.hpp"

#include <unistd.h>

#include <cerrno>

#if defined(__SSE2__) && !defined(SMTPCORE_NO_SIMD)
#include <emmintrin.h>
#define SMTPCORE_SCAN_SSE2 1
#endif

namespace smtpcore::cli {

// Plain text: what the scanner only counts. Not CR, LF, NUL or an octet over
// 127, quoted-printable cost 1 (RFC 2045 §6.7 rules 2 and 3), and ASCII, so
// no UTF-8 sequence is open or started.
static bool plain(unsigned char c) { return (c >= 32 && c <= 126 && c != '=') || c == '\t'; }

std::size_t plain_text_run_portable(const char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n && plain(static_cast<unsigned char>(p[i]))) ++i;
    return i;
}

std::size_t plain_text_run(const char* p, std::size_t n) {
#ifdef SMTPCORE_SCAN_SSE2
    // Sixteen octets a step; loads stay inside p[0..n) (the tail is octet-wise).
    const __m128i below = _mm_set1_epi8(31), above = _mm_set1_epi8(127);
    const __m128i equals = _mm_set1_epi8('='), tab = _mm_set1_epi8('\t');
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        // Signed compares: octets over 127 are negative, so not above 31.
        const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above));
        const __m128i ok = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(v, equals), printable), _mm_cmpeq_epi8(v, tab));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(ok));
        if (mask != 0xffff) return i + static_cast<std::size_t>(__builtin_ctz(~mask));
    }
    return i + plain_text_run_portable(p + i, n - i);
#else
    return plain_text_run_portable(p, n);
#endif
}

namespace {

// Incremental state, so a file is read in fixed-size pieces.
struct Scanner {
    ContentScan& s;
    std::uint64_t line = 0;       // octets on the current line
    std::uint64_t line_cost = 0;  // its quoted-printable cost
    int prefix = 0;               // how much of "--=_" the line starts with; -1: no
    int utf8_pending = 0;         // continuation octets still expected
    bool after_cr = false;
    unsigned char last = 0;

    void end_line() {
        if (line > s.longest_line) s.longest_line = line;
        // RFC 2045 §6.7 rule 5: soft breaks keep lines at 76; each costs "=" CRLF.
        s.qp_text_bound += line_cost + 3 * (line_cost / 72 + 1) + 2;
        line = line_cost = 0;
        prefix = 0;
    }

    void octet(unsigned char c) {
        if (s.size == 0 && (c == 0xff || c == 0xfe)) s.utf16_bom = true;  // confirmed below
        if (s.size == 1 && s.utf16_bom && !((last == 0xff && c == 0xfe) || (last == 0xfe && c == 0xff)))
            s.utf16_bom = false;
        ++s.size;
        if (after_cr) {
            after_cr = false;
            if (c == '\n') {
                ++s.crlf;
                last = c;
                return;
            }
            ++s.bare_cr;
        }
        last = c;
        if (c == '\r') {
            after_cr = true;
            end_line();
            return;
        }
        if (c == '\n') {
            ++s.bare_lf;
            end_line();
            return;
        }
        if (c == 0) s.nul = true;
        if (c > 127) ++s.non_ascii;
        ++line;
        line_cost += (c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t' ? 1 : 3;
        if (prefix >= 0 && prefix < 4) {
            prefix = c == "--=_"[prefix] ? prefix + 1 : -1;
            if (prefix == 4) s.boundary_line = true;
        }
        if (!utf8_step(utf8_pending, c)) s.utf8 = false;
    }

    // A piece of the input: runs of plain text (plain_text_run) only move
    // the counters, every other octet goes through octet().
    void piece(const char* p, std::size_t n, bool fast) {
        std::size_t i = 0;
        while (i < n) {
            // No CR pending, no UTF-8 sequence open, past the BOM and the
            // boundary-prefix checks: a plain octet would change nothing else.
            if (fast && !after_cr && utf8_pending == 0 && (prefix < 0 || prefix == 4) && s.size >= 2) {
                const std::size_t k = plain_text_run(p + i, n - i);
                s.size += k;
                line += k;
                line_cost += k;
                i += k;
                if (k > 0) last = static_cast<unsigned char>(p[i - 1]);
                if (i == n) break;
            }
            octet(static_cast<unsigned char>(p[i++]));
        }
    }

    void finish() {
        if (after_cr) ++s.bare_cr;
        if (line > 0 || s.size == 0) end_line();
        if (utf8_pending > 0) s.utf8 = false;
        if (s.size < 2) s.utf16_bom = false;
        s.ends_crlf = s.size >= 2 && last == '\n' && s.crlf > 0 && !after_cr;
    }
};

}  // namespace

bool utf8_step(int& pending, unsigned char c) {
    if (pending > 0) {
        --pending;
        return (c & 0xc0) == 0x80;
    }
    if (c < 0x80) return true;
    if (c >= 0xc2 && c <= 0xdf) pending = 1;
    else if (c >= 0xe0 && c <= 0xef) pending = 2;
    else if (c >= 0xf0 && c <= 0xf4) pending = 3;
    else return false;
    return true;
}

bool is_utf8(std::string_view text) {
    int pending = 0;
    for (const char c : text)
        if (!utf8_step(pending, static_cast<unsigned char>(c))) return false;
    return pending == 0;
}

std::string_view ContentScan::charset() const {
    if (utf16_bom) return "utf-16";
    if (ascii()) return "us-ascii";
    if (utf8 && !nul) return "utf-8";
    return "unknown-8bit";
}

bool scan_file(int fd, std::uint64_t offset, ContentScan& out) {
    out = ContentScan{};
    Scanner scanner{out};
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = pread(fd, buf, sizeof buf, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        scanner.piece(buf, static_cast<std::size_t>(n), true);
        offset += static_cast<std::uint64_t>(n);
    }
    scanner.finish();
    return true;
}

ContentScan scan_text(std::string_view text, bool fast) {
    ContentScan out;
    Scanner scanner{out};
    scanner.piece(text.data(), text.size(), fast);
    scanner.finish();
    return out;
}

std::uint64_t base64_size(std::uint64_t n) {
    const std::uint64_t chars = (n + 2) / 3 * 4;
    return chars + (chars + 75) / 76 * 2;
}

std::uint64_t canonical_text_size(const ContentScan& s) {
    return s.size + s.bare_lf + s.bare_cr + 2;  // each bare break becomes CRLF; a final CRLF may be added
}

}  // namespace smtpcore::cli
