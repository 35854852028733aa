// Addresses and message identifiers (RFC 5322 §3.4.1, §3.6.4; RFC 5321 §4.5.3.1).
#include "address.hpp"

#include <cstring>

#include "header_text.hpp"
#include "smtpcore/codec/address_syntax.hpp"

namespace smtpcore::mime::detail {
namespace {

// dot-atom-text = 1*atext *("." 1*atext)  (RFC 5322 §3.2.3)
bool is_dot_atom_text(std::string_view s) noexcept { return codec::is_dot_string(s); }

}  // namespace

// RFC 5322 §3.4.1: addr-spec = local-part "@" domain
//                  local-part = dot-atom / quoted-string / obs-local-part
// Limits from RFC 5321 §4.5.3.1.1 (local part 64) and §4.5.3.1.3 (path 256).
// RFC 6532 §3.2 extends atext, qtext and the domain with UTF8-non-ascii.
const char* check_addr_spec(std::string_view addr, bool utf8) noexcept {
    if (addr.empty()) return "is empty";
    if (has_line_break_or_nul(addr)) return "contains CR, LF or NUL";
    if (addr.size() > 254) return "is longer than 254 octets";
    const std::size_t at = addr.rfind('@');
    if (at == std::string_view::npos) return "has no @";
    const std::string_view local(addr.data(), at);
    const std::string_view domain(addr.data() + at + 1, addr.size() - at - 1);
    if (local.empty() || local.size() > 64) return "local part is empty or longer than 64 octets";
    for (char c : addr)
        if (static_cast<unsigned char>(c) >= 0x80 && !utf8)
            return "is not ASCII: a UTF-8 address needs SMTPUTF8 (Message::smtputf8, RFC 6532)";
    if (utf8 && !valid_utf8(addr)) return "is not valid UTF-8";
    if (!codec::is_dot_string(local, utf8) && !codec::is_quoted_string(local, utf8))
        return "local part is not a dot-atom or quoted-string";
    if (domain.size() > 255 || !codec::is_domain(domain, utf8)) return "domain is malformed";
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

namespace {
// RFC 5322 §3.6.4: id-right = dot-atom-text / no-fold-literal / obs-id-right
//                  no-fold-literal = "[" *dtext "]"
//                  dtext = %d33-90 / %d94-126
bool is_no_fold_literal(std::string_view s) noexcept {
    if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        const char c = s[i];
        if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') return false;
    }
    return true;
}
}  // namespace

const char* check_id_domain(std::string_view domain) noexcept {
    if (domain.empty() || domain.size() > 200) return "domain is empty or longer than 200 octets";
    if (!is_dot_atom_text(domain) && !is_no_fold_literal(domain)) return "domain is not a dot-atom or [literal]";
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
    if (!is_dot_atom_text(right) && !is_no_fold_literal(right))
        return "right part is not a dot-atom or literal";
    return nullptr;
}

// RFC 5322 §3.4: mailbox-list = (mailbox *("," mailbox)) / obs-mbox-list
//                mailbox = name-addr / addr-spec;  name-addr = [display-name] angle-addr
// Checkpoints: key = index of the next mailbox.
void put_mailbox_list(Sink& sink, Span<const Mailbox> list, bool utf8) noexcept {
    const Checkpoint* cp = sink.resumed();
    for (std::size_t i = cp != nullptr ? cp->key : 0; i < list.size(); ++i) {
        if (i > 0) {
            sink.checkpoint(i);
            if (sink.full()) return;
        }
        const Mailbox& m = list[i];
        const bool last = i + 1 == list.size();
        // "<" addr ">" "," as one token: an address is never folded inside.
        char token[254 + 4];
        std::size_t len = 0;
        if (!m.name.empty()) {
            put_phrase(sink, m.name, utf8);
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
