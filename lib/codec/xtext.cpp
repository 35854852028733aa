// xtext (RFC 3461 §4) and the utf-8-addr encodings (RFC 6533 §3) used for
// the DSN parameters ENVID and ORCPT.
#include "smtpcore/codec/xtext.hpp"

#include <cstdint>

namespace smtpcore::codec {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

struct Out {
    char* p;
    std::size_t n = 0;
    void put(char c) noexcept {
        if (p != nullptr) p[n] = c;
        ++n;
    }
};

// xchar: "!" .. "~" except "+" and "=".
bool is_xchar(unsigned char c) noexcept { return c >= 33 && c <= 126 && c != '+' && c != '='; }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;  // RFC 3461 §4: upper case only
}

// The UTF-8 sequence starting at s[i] (well-formed, checked by the caller):
// its code point, and its length in `len`.
std::uint32_t code_point(std::string_view s, std::size_t i, std::size_t& len) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k])); };
    const std::uint32_t c = b(0);
    if (c < 0x80) return len = 1, c;
    if (c < 0xE0) return len = 2, ((c & 0x1F) << 6) | (b(1) & 0x3F);
    if (c < 0xF0) return len = 3, ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    return len = 4, ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// "\x{" HEXPOINT "}": at least two digits, no leading zeros beyond them.
void put_embedded(Out& out, std::uint32_t cp) noexcept {
    out.put('\\');
    out.put('x');
    out.put('{');
    int digits = 2;
    while (digits < 6 && (cp >> (4 * digits)) != 0) ++digits;
    while (digits-- > 0) out.put(kHex[(cp >> (4 * digits)) & 0xF]);
    out.put('}');
}

}  // namespace

std::size_t xtext_encode(std::string_view text, char* out) noexcept {
    Out o{out};
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_xchar(c)) {
            o.put(ch);
        } else {
            o.put('+');
            o.put(kHex[c >> 4]);
            o.put(kHex[c & 0xF]);
        }
    }
    return o.n;
}

std::size_t xtext_decode(std::string_view xtext, char* out) noexcept {
    Out o{out};
    for (std::size_t i = 0; i < xtext.size(); ++i) {
        const auto c = static_cast<unsigned char>(xtext[i]);
        if (c == '+') {
            if (i + 2 >= xtext.size()) return static_cast<std::size_t>(-1);  // "+" needs two digits
            const int hi = hex_value(xtext[i + 1]);
            const int lo = hex_value(xtext[i + 2]);
            if (hi < 0 || lo < 0) return static_cast<std::size_t>(-1);
            o.put(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (is_xchar(c)) {
            o.put(xtext[i]);
        } else {
            return static_cast<std::size_t>(-1);
        }
    }
    return o.n;
}

// RFC 3629 §4:
//   UTF8-2 = %xC2-DF UTF8-tail
//   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
//            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
//   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
//            %xF4 %x80-8F 2( UTF8-tail )
bool is_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto t = static_cast<unsigned char>(s[i + k]);
            if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xBF)) return false;
        }
        i += len;
    }
    return true;
}

std::size_t utf8_addr_encode(std::string_view text, bool unitext, char* out) noexcept {
    Out o{out};
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const std::uint32_t cp = code_point(text, i, len);
        // QCHAR: printable ASCII except "+", "=" and "\" (the escape itself).
        const bool qchar = cp >= 0x21 && cp <= 0x7E && cp != '+' && cp != '=' && cp != '\\';
        if (qchar || (unitext && cp >= 0x80)) {
            for (std::size_t k = 0; k < len; ++k) o.put(text[i + k]);
        } else {
            put_embedded(o, cp);
        }
        i += len;
    }
    return o.n;
}

}  // namespace smtpcore::codec
