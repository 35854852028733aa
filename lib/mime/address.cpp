// Addresses and message identifiers (RFC 5322 §3.4.1, §3.6.4; RFC 5321 §4.5.3.1).
#include "address.hpp"

#include <cstring>

#include "header_text.hpp"

namespace smtpcore::mime::detail {
namespace {

bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

//   dot-atom-text = 1*atext *("." 1*atext)
bool is_dot_atom_text(std::string_view s) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return false;
        } else if (!is_atext(s[i])) {
            return false;
        }
    }
    return true;
}

//   quoted-string (without CFWS/FWS) = DQUOTE *(qtext / quoted-pair) DQUOTE
//   qtext = %d33 / %d35-91 / %d93-126;  quoted-pair = "\" (VCHAR / WSP)
bool is_quoted_string(std::string_view s) noexcept {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\\') {
            if (i + 2 >= s.size()) return false;
            const auto n = static_cast<unsigned char>(s[++i]);
            if (n < 0x20 || n > 0x7E) return false;
        } else if (c == '"' || c < 0x20 || c > 0x7E) {
            return false;
        }
    }
    return true;
}

// RFC 5321 §4.1.2 Domain = sub-domain *("." sub-domain), Let-dig [Ldh-str];
// address-literal = "[" ... "]" (accepted with printable dtext, RFC 5322 §3.4.1).
bool is_domain(std::string_view d) noexcept {
    if (d.empty() || d.size() > 255) return false;
    if (d.front() == '[') {
        if (d.size() < 3 || d.back() != ']') return false;
        for (std::size_t i = 1; i + 1 < d.size(); ++i) {
            const char c = d[i];
            if (c < 33 || c > 126 || c == '[' || c == ']' || c == '\\') return false;
        }
        return true;
    }
    std::size_t label = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const char c = d[i];
        if (c == '.') {
            if (label == 0 || d[i - 1] == '-') return false;
            label = 0;
            continue;
        }
        if (!is_alnum(c) && !(c == '-' && label > 0)) return false;
        if (++label > 63) return false;
    }
    return label > 0 && d.back() != '-';
}

}  // namespace

// RFC 5322 §3.4.1: addr-spec = local-part "@" domain
//                  local-part = dot-atom / quoted-string / obs-local-part
// Limits from RFC 5321 §4.5.3.1.1 (local part 64) and §4.5.3.1.3 (path 256).
const char* check_addr_spec(std::string_view addr) noexcept {
    if (addr.empty()) return "is empty";
    if (has_line_break_or_nul(addr)) return "contains CR, LF or NUL";
    if (addr.size() > 254) return "is longer than 254 octets";
    const std::size_t at = addr.rfind('@');
    if (at == std::string_view::npos) return "has no @";
    const std::string_view local(addr.data(), at);
    const std::string_view domain(addr.data() + at + 1, addr.size() - at - 1);
    if (local.empty() || local.size() > 64) return "local part is empty or longer than 64 octets";
    for (char c : addr)
        if (static_cast<unsigned char>(c) >= 0x80) return "is not ASCII (SMTPUTF8 is not supported)";
    if (!is_dot_atom_text(local) && !is_quoted_string(local)) return "local part is not a dot-atom or quoted-string";
    if (!is_domain(domain)) return "domain is malformed";
    return nullptr;
}

const char* check_display_name(std::string_view name) noexcept {
    if (has_line_break_or_nul(name)) return "contains CR, LF or NUL";
    if (!valid_utf8(name)) return "is not valid UTF-8";
    if (name.size() > 900) return "is longer than 900 octets";
    return nullptr;
}

std::string_view strip_angles(std::string_view id) noexcept {
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') return std::string_view(id.data() + 1, id.size() - 2);
    return id;
}

const char* check_id_domain(std::string_view domain) noexcept {
    if (domain.empty() || domain.size() > 200) return "domain is empty or longer than 200 octets";
    if (!is_dot_atom_text(domain)) return "domain is not a dot-atom";
    return nullptr;
}

// RFC 5322 §3.6.4: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]
//   id-left = dot-atom-text / obs-id-left
//   id-right = dot-atom-text / no-fold-literal / obs-id-right
//   no-fold-literal = "[" *dtext "]"
// We accept dot-atom-text on both sides and the literal on the right.
const char* check_msg_id(std::string_view id) noexcept {
    if (has_line_break_or_nul(id)) return "contains CR, LF or NUL";
    const std::string_view bare = strip_angles(id);
    if (bare.empty() || bare.size() > 250) return "is empty or longer than 250 octets";
    const std::size_t at = bare.rfind('@');
    if (at == std::string_view::npos) return "has no @";
    const std::string_view left(bare.data(), at);
    const std::string_view right(bare.data() + at + 1, bare.size() - at - 1);
    if (!is_dot_atom_text(left)) return "left part is not a dot-atom";
    if (!is_dot_atom_text(right) && !(right.size() > 2 && right.front() == '[' && is_domain(right)))
        return "right part is not a dot-atom or literal";
    return nullptr;
}

// RFC 5322 §3.4: mailbox-list = (mailbox *("," mailbox)) / obs-mbox-list
//                mailbox = name-addr / addr-spec;  name-addr = [display-name] angle-addr
void put_mailbox_list(Sink& sink, Span<const Mailbox> list) noexcept {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Mailbox& m = list[i];
        const bool last = i + 1 == list.size();
        // "<" addr ">" "," as one token: an address is never folded inside.
        char token[254 + 4];
        std::size_t len = 0;
        if (!m.name.empty()) {
            put_phrase(sink, m.name);
            token[len++] = '<';
        }
        std::memcpy(token + len, m.address.data(), m.address.size());
        len += m.address.size();
        if (!m.name.empty()) token[len++] = '>';
        if (!last) token[len++] = ',';
        sink.token(std::string_view(token, len));
    }
}

}  // namespace smtpcore::mime::detail
