#include "content_scan.hpp"

#include <unistd.h>

#include <cerrno>

namespace smtpcore::cli {
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
        for (ssize_t i = 0; i < n; ++i) scanner.octet(static_cast<unsigned char>(buf[i]));
        offset += static_cast<std::uint64_t>(n);
    }
    scanner.finish();
    return true;
}

ContentScan scan_text(std::string_view text) {
    ContentScan out;
    Scanner scanner{out};
    for (const char c : text) scanner.octet(static_cast<unsigned char>(c));
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
