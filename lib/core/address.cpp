// Envelope address checks. The point is safety first (no byte of an address
// can end a command line or open a new one), then the RFC 5321 grammar.
#include "address.hpp"

#include <cstddef>
#include "reason.hpp"

namespace smtpcore::detail {
namespace {

bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }

// RFC 5321 §4.1.2 atext (RFC 5322 §3.2.3), plus UTF-8 octets when allowed.
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

// Dot-string = Atom *("." Atom)
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

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
// QcontentSMTP  = qtextSMTP / quoted-pairSMTP ; qtext: %d32-33 / %d35-91 / %d93-126
// quoted-pairSMTP = %d92 %d32-126
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

// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
// address-literal = "[" ( IPv4 / IPv6 / General ) "]"  (checked for safe octets only)
bool is_domain(std::string_view d, bool utf8) noexcept {
    if (d.empty()) return false;
    if (d.front() == '[') {
        if (d.size() < 3 || d.back() != ']') return false;
        for (std::size_t i = 1; i + 1 < d.size(); ++i) {
            const char c = d[i];
            // dcontent = %d33-90 / %d94-126 (no "[", "\", "]")
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

bool equals_nocase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

}  // namespace

const char* check_mailbox(std::string_view m, bool utf8, bool postmaster_ok) noexcept {
    // Safety before grammar, so the reason names the dangerous byte.
    for (const char c : m) {
        if (c == '\r' || c == '\n') return SMTPCORE_REASON("address contains CR or LF");
        if (c == '\0') return SMTPCORE_REASON("address contains NUL");
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return SMTPCORE_REASON("address contains a control character");
    }
    if (m.empty()) return SMTPCORE_REASON("address is empty");
    if (m.size() > 254) return SMTPCORE_REASON("address longer than 254 octets (RFC 5321 §4.5.3.1.3)");
    if (postmaster_ok && equals_nocase(m, "postmaster")) return nullptr;
    const std::size_t at = m.rfind('@');
    if (at == std::string_view::npos) return SMTPCORE_REASON("address has no '@'");
    const std::string_view local(m.data(), at);
    const std::string_view domain(m.data() + at + 1, m.size() - at - 1);
    bool high = false;
    for (const char c : m) high = high || is_high(c);
    if (high && !utf8) return SMTPCORE_REASON("address is not ASCII (needs SMTPUTF8)");
    if (local.empty() || local.size() > 64) return SMTPCORE_REASON("local part empty or longer than 64 octets");
    if (!is_dot_string(local, utf8) && !is_quoted_string(local, utf8)) return SMTPCORE_REASON("malformed local part");
    if (domain.size() > 255 || !is_domain(domain, utf8)) return SMTPCORE_REASON("malformed domain");
    return nullptr;
}

const char* check_client_name(std::string_view name) noexcept {
    if (name.empty()) return SMTPCORE_REASON("client name is empty");
    if (name.size() > 255) return SMTPCORE_REASON("client name longer than 255 octets");
    return is_domain(name, false) ? nullptr : SMTPCORE_REASON("client name is neither a domain nor an address literal");
}

}  // namespace smtpcore::detail
