// Mailbox grammar shared by lib/core and lib/mime; see address_syntax.hpp.
#include "smtpcore/codec/address_syntax.hpp"

#include <cstddef>

namespace smtpcore::codec {
namespace {

#if defined(SMTPCORE_SMALL_CODE)
bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
#endif
bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }

#if !defined(SMTPCORE_SMALL_CODE)
// Full builds classify each octet with one load from a 256-entry table built
// at compile time from the same predicates the small build calls, instead of
// a switch and several range tests per octet (every submit checks each
// envelope address). Small builds keep the predicates: the table is 256
// octets of flash. tests/unit/test_address_differential.cpp holds both to the same
// verdicts.
enum OctetClass : unsigned char {
    kAtext = 1,     // atext, US-ASCII part (RFC 5322 §3.2.3)
    kLetDig = 2,    // ALPHA / DIGIT (RFC 5321 Let-dig)
    kHigh = 4,      // >= 0x80: UTF-8 with SMTPUTF8 (RFC 6531 §3.3)
    kDotHyphen = 8, // "." and "-": the rest of a domain's octets
};

constexpr bool is_atext_ascii(unsigned char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    for (const char special : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~'})
        if (c == static_cast<unsigned char>(special)) return true;
    return false;
}

struct OctetClasses {
    unsigned char of[256];
};

constexpr OctetClasses octet_classes() noexcept {
    OctetClasses t{};
    for (unsigned c = 0; c < 256; ++c) {
        const auto u = static_cast<unsigned char>(c);
        const bool let_dig = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
        t.of[c] = static_cast<unsigned char>((is_atext_ascii(u) ? kAtext : 0) | (let_dig ? kLetDig : 0) |
                                             (u >= 0x80 ? kHigh : 0) |
                                             (u == '.' || u == '-' ? kDotHyphen : 0));
    }
    return t;
}

constexpr OctetClasses kClasses = octet_classes();

inline unsigned class_of(char c) noexcept { return kClasses.of[static_cast<unsigned char>(c)]; }
#endif

}  // namespace

#if !defined(SMTPCORE_SMALL_CODE)

bool is_atext(char c, bool utf8) noexcept {
    return (class_of(c) & (utf8 ? kAtext | kHigh : kAtext)) != 0;
}

bool is_dot_string(std::string_view s, bool utf8) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    const unsigned ok = utf8 ? kAtext | kHigh : kAtext;
    char prev = 0;
    for (const char c : s) {
        if (c == '.') {
            if (prev == '.') return false;
        } else if ((class_of(c) & ok) == 0) {
            return false;
        }
        prev = c;
    }
    return true;
}

#else

bool is_atext(char c, bool utf8) noexcept {
    if (is_alnum(c)) return true;
    if (is_high(c)) return utf8;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
        return true;
    default:
        return false;
    }
}

bool is_dot_string(std::string_view s, bool utf8) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char prev = 0;
    for (const char c : s) {
        if (c == '.') {
            if (prev == '.') return false;
        } else if (!is_atext(c, utf8)) {
            return false;
        }
        prev = c;
    }
    return true;
}

#endif

bool is_quoted_string(std::string_view s, bool utf8) noexcept {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\') {
            if (i + 2 >= s.size()) return false;
            const char q = s[++i];
            if (q < 32 || q > 126) return false;
        } else if (c == '"') {
            return false;
        } else if (!((c >= 32 && c <= 126) || (utf8 && is_high(c)))) {
            return false;
        }
    }
    return true;
}

bool is_domain(std::string_view d, bool utf8) noexcept {
    if (d.empty()) return false;
    if (d.front() == '[') {
        if (d.size() < 3 || d.back() != ']') return false;
        for (std::size_t i = 1; i + 1 < d.size(); ++i) {
            const char c = d[i];
            if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') return false;
        }
        return true;
    }
#if !defined(SMTPCORE_SMALL_CODE)
    // Every octet is a letter, digit, "." or "-" (or UTF-8); then each label,
    // found at its dot, must be 1..63 octets and neither start nor end in "-".
    const unsigned domain_octet = utf8 ? kLetDig | kDotHyphen | kHigh : kLetDig | kDotHyphen;
    const auto label_ok = [d](std::size_t start, std::size_t end) {
        return end > start && end - start <= 63 && d[start] != '-' && d[end - 1] != '-';
    };
    std::size_t label_start = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const char c = d[i];
        if ((class_of(c) & domain_octet) == 0) return false;
        if (c == '.') {
            if (!label_ok(label_start, i)) return false;
            label_start = i + 1;
        }
    }
    return label_ok(label_start, d.size());
#else
    std::size_t label = 0;
    char prev = '.';
    for (const char c : d) {
        if (c == '.') {
            if (label == 0 || prev == '-') return false;
            label = 0;
        } else if (is_alnum(c) || (utf8 && is_high(c)) || (c == '-' && label > 0)) {
            if (++label > 63) return false;
        } else {
            return false;
        }
        prev = c;
    }
    return label > 0 && prev != '-';
#endif
}

}  // namespace smtpcore::codec
