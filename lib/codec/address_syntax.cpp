// Mailbox grammar shared by lib/core and lib/mime; see address_syntax.hpp.
#include "smtpcore/codec/address_syntax.hpp"

#include <cstddef>

namespace smtpcore::codec {
namespace {

bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }

}  // namespace

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
}

}  // namespace smtpcore::codec
