// Refuse bad input before writing anything: a CR or LF in a value would let
// application text become a header or end the header block (header
// injection), and a malformed address or type would be rejected downstream.
#include "validate.hpp"

#include "address.hpp"
#include "ascii.hpp"
#include "date.hpp"
#include "header_text.hpp"
#include "params.hpp"
#include "structured.hpp"

namespace smtpcore::mime::detail {
namespace {

// Fields the writer writes itself (or, for Bcc and Resent-Bcc, must never
// write: they would show the blind recipients to everyone, RFC 5322 §3.6.3, §3.6.6).
// Content-* fields are the MIME structure's (RFC 2045 §9: new ones may
// appear), except two that only describe the content: Content-Description
// (RFC 2045 §8) and Content-Language (RFC 3282), which the writer never writes.
bool reserved_field(std::string_view name) noexcept {
    static constexpr std::string_view kReserved[] = {"from", "sender", "to", "cc", "bcc", "resent-bcc", "reply-to",
                                                     "subject", "date", "message-id", "mime-version"};
    for (std::string_view r : kReserved)
        if (iequal(name, r)) return true;
    if (iequal(name, "content-description") || iequal(name, "content-language")) return false;
    return istarts_with(name, "content-");
}

// RFC 5322 §3.6.8: field-name = 1*ftext;  ftext = %d33-57 / %d59-126
const char* check_field_name(std::string_view name) noexcept {
    if (name.empty()) return "is empty";
    if (name.size() > 76) return "is longer than 76 octets";
    for (char c : name)
        if (c < 33 || c > 126 || c == ':') return "has a character outside RFC 5322 ftext";
    if (reserved_field(name)) return "is written by the writer (or is Bcc or Resent-Bcc, which are never written)";
    return nullptr;
}

const char* check_text(std::string_view value) noexcept {
    if (has_line_break_or_nul(value)) return "contains CR, LF or NUL";
    if (!valid_utf8(value)) return "is not valid UTF-8";
    return nullptr;
}

MimeError check_mailbox(const char* field, const Mailbox& m, std::size_t index, bool utf8) noexcept {
    if (const char* r = check_addr_spec(m.address, utf8)) return MimeError{field, r, index};
    if (const char* r = check_display_name(m.name)) return MimeError{field, r, index};
    return MimeError{};
}

MimeError check_list(const char* field, Span<const Mailbox> list, bool utf8) noexcept {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (MimeError e = check_mailbox(field, list[i], i, utf8)) return e;
    return MimeError{};
}

MimeError check_ids(const char* field, Span<const std::string_view> ids) noexcept {
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (const char* r = check_msg_id(ids[i])) return MimeError{field, r, i};
    return MimeError{};
}

MimeError check_header(const Message& m, std::size_t i) noexcept {
    const Header& h = m.headers[i];
    if (const char* r = check_field_name(h.name)) return MimeError{"header name", r, i};
    if (const char* r = check_text(h.value)) return MimeError{"header value", r, i};
    if (const char* r = check_header_value(resolve_header_kind(h), h.value)) return MimeError{"header value", r, i};
    if ((iequal(h.name, "in-reply-to") && !m.in_reply_to.empty()) || (iequal(h.name, "references") && !m.references.empty()))
        return MimeError{"header name", "is also given as a Message field", i};
    if (m.tls_required_no && iequal(h.name, "tls-required"))
        return MimeError{"header name", "is also given as Message::tls_required_no", i};
    return MimeError{};
}

MimeError check_part(const char* what, const Part& p, std::size_t index) noexcept {
    if (const char* r = check_content_type(p.content_type)) return MimeError{what, r, index};
    if (!is_token(p.charset) || p.charset.size() > 40) return MimeError{what, "charset is not a short token", index};
    if (const char* r = check_filename(p.filename)) return MimeError{what, r, index};
    if (!p.content_id.empty())
        if (const char* r = check_msg_id(p.content_id)) return MimeError{what, r, index};
    const bool multipart = p.content_type.size() >= 10 && istarts_with(p.content_type, "multipart/");
    if (multipart) return MimeError{what, "multipart types are built by the writer", index};
    return MimeError{};
}

}  // namespace

MimeError validate(const Message& m) noexcept {
    if (MimeError e = check_mailbox("from", m.from, 0, m.smtputf8)) return e;
    if (MimeError e = check_list("to", m.to, m.smtputf8)) return e;
    if (MimeError e = check_list("cc", m.cc, m.smtputf8)) return e;
    if (MimeError e = check_list("reply-to", m.reply_to, m.smtputf8)) return e;
    if (!m.sender.address.empty() || !m.sender.name.empty())
        if (MimeError e = check_mailbox("sender", m.sender, 0, m.smtputf8)) return e;
    if (MimeError e = check_ids("in-reply-to", m.in_reply_to)) return e;
    if (MimeError e = check_ids("references", m.references)) return e;
    if (const char* r = check_text(m.subject)) return MimeError{"subject", r, 0};
    if (m.date != nullptr)
        if (const char* r = check_date(*m.date)) return MimeError{"date", r, 0};
    if (!m.message_id.empty()) {
        if (const char* r = check_msg_id(m.message_id)) return MimeError{"message-id", r, 0};
    } else if (!m.message_id_random.empty() || !m.message_id_domain.empty()) {
        if (m.message_id_random.size() < 8) return MimeError{"message-id", "needs at least 8 random octets", 0};
        if (const char* r = check_id_domain(m.message_id_domain)) return MimeError{"message-id", r, 0};
    }
    for (std::size_t i = 0; i < m.headers.size(); ++i)
        if (MimeError e = check_header(m, i)) return e;
    if (m.text != nullptr)
        if (MimeError e = check_part("text part", *m.text, 0)) return e;
    if (m.html != nullptr)
        if (MimeError e = check_part("html part", *m.html, 0)) return e;
    if (!m.related.empty() && m.html == nullptr) return MimeError{"related part", "needs an html part", 0};
    for (std::size_t i = 0; i < m.related.size(); ++i)
        if (MimeError e = check_part("related part", m.related[i], i)) return e;
    for (std::size_t i = 0; i < m.attachments.size(); ++i)
        if (MimeError e = check_part("attachment", m.attachments[i], i)) return e;
    return MimeError{};
}

}  // namespace smtpcore::mime::detail
