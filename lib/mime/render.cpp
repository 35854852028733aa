// Header fields (RFC 5322 §3.6), MIME part headers (RFC 2045 §5, §6,
// RFC 2183) and multipart delimiters (RFC 2046 §5.1.1).
#include "render.hpp"

#include "address.hpp"
#include "date.hpp"
#include "encoding_choice.hpp"
#include "header_text.hpp"
#include "params.hpp"
#include "structured.hpp"

namespace smtpcore::mime::detail {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Fixed fields before the caller's own; MIME fields after them.
enum Field : std::size_t {
    kDate, kMessageId, kFrom, kSender, kReplyTo, kTo, kCc, kInReplyTo, kReferences, kSubject, kCustom
};

const char* encoding_name(TransferEncoding e) noexcept {
    switch (e) {
        case TransferEncoding::SevenBit: return "7bit";
        case TransferEncoding::EightBit: return "8bit";
        case TransferEncoding::QuotedPrintable: return "quoted-printable";
        case TransferEncoding::Base64: return "base64";
    }
    return "7bit";
}

// "Name:" is written only when the rendering starts at the field's start, not
// when it resumes from a checkpoint inside the value.
void start_field(Sink& s, std::string_view name) noexcept {
    if (s.resumed() == nullptr) s.field(name);
}

void put_list_field(Sink& s, std::string_view name, Span<const Mailbox> list, bool utf8) noexcept {
    if (list.empty()) return;
    start_field(s, name);
    put_mailbox_list(s, list, utf8);
    s.crlf();
}

void put_msg_id_field(Sink& s, std::string_view name, Span<const std::string_view> ids) noexcept {
    if (ids.empty()) return;
    start_field(s, name);
    put_msg_ids(s, ids);
    s.crlf();
}

// A caller's field, written as its kind says (docs/mime.md, "Header kinds").
void put_custom_field(Sink& s, const Header& h) noexcept {
    start_field(s, h.name);
    switch (resolve_header_kind(h)) {
        case HeaderKind::MsgIdList: put_msg_id_list(s, h.value); break;
        case HeaderKind::UrlList: put_url_list(s, h.value); break;
        case HeaderKind::Raw: put_raw(s, h.value); break;
        case HeaderKind::Auto:
        case HeaderKind::Unstructured: put_unstructured(s, h.value); break;
    }
    s.crlf();
}

// RFC 5322 §3.6.4: "Message-ID:" msg-id CRLF
void put_message_id(Sink& s, const Message& m) noexcept {
    if (!m.message_id.empty()) {
        s.field("Message-ID");
        s.put(" <");
        s.put(strip_angles(m.message_id));
        s.put('>');
        s.crlf();
        return;
    }
    if (m.message_id_random.empty()) return;
    // id-left: hex of the caller's random octets (up to 16, i.e. 128 bits).
    s.field("Message-ID");
    s.put(" <");
    const std::size_t n = m.message_id_random.size() < 16 ? m.message_id_random.size() : 16;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(m.message_id_random[i]);
        s.put(kHex[c >> 4]);
        s.put(kHex[c & 15]);
    }
    s.put('@');
    s.put(m.message_id_domain);
    s.put('>');
    s.crlf();
}

// RFC 2046 §5.1.1: multipart/x with its boundary parameter.
// RFC 2387 §3.1: multipart/related has a required type parameter, the
// type of its root (first) part: here the html part. RFC 2045 §6.4: a
// multipart holding 8bit parts is itself 8bit (7bit, the default, is not written).
void put_multipart_type(Sink& s, const RenderInput& in, int c) noexcept {
    s.field("Content-Type");
    s.put(" multipart/");
    s.put(container_subtype(c));
    s.mark_word();
    put_param(s, "boundary", in.boundary[c]);
    if (c == kRelated) put_param(s, "type", in.msg.html->content_type);
    s.crlf();
    if (in.eight_bit[c]) s.put("Content-Transfer-Encoding: 8bit\r\n");
}

// RFC 2045 §5 Content-Type, §6 Content-Transfer-Encoding, RFC 2183
// Content-Disposition, RFC 2392 Content-ID.
void put_leaf_headers(Sink& s, const RenderInput& in, std::size_t i) noexcept {
    const Part& p = in.layout.leaf(in.msg, i);
    s.field("Content-Type");
    s.token(p.content_type);
    if (writes_charset(p)) put_param(s, "charset", p.charset);  // whatever the Kind or encoding
    // name= for clients that read only Content-Type (RFC 2047 form when needed).
    if (!p.filename.empty()) put_name_param(s, p.filename);
    s.crlf();
    s.field("Content-Transfer-Encoding");
    s.put(' ');
    s.put(encoding_name(in.encoding));
    s.crlf();
    const char* disposition = nullptr;
    switch (p.disposition) {
        case Disposition::Inline: disposition = "inline"; break;
        case Disposition::Attachment: disposition = "attachment"; break;
        case Disposition::Default:
            disposition = in.layout.is_attachment(i) ? "attachment"
                          : (in.layout.is_related(i) || !p.filename.empty()) ? "inline"
                                                                              : nullptr;
            break;
    }
    if (disposition != nullptr) {
        s.field("Content-Disposition");
        s.token(disposition);
        if (!p.filename.empty()) put_param(s, "filename", p.filename);
        s.crlf();
    }
    if (!p.content_id.empty()) {
        s.field("Content-ID");
        s.put(" <");
        s.put(strip_angles(p.content_id));
        s.put('>');
        s.crlf();
    }
}

// RFC 2046 §5.1.1: dash-boundary := "--" boundary;  delimiter := CRLF dash-boundary
// The first delimiter follows the header block directly (no preamble).
void put_delimiter(Sink& s, const RenderInput& in, int c, bool first) noexcept {
    if (!first) s.crlf();
    s.put("--");
    s.put(in.boundary[c]);
    s.crlf();
}

}  // namespace

std::size_t header_segments(const Message& m) noexcept { return kCustom + m.headers.size() + 2; }

void render_header(Sink& s, const RenderInput& in, std::size_t k) noexcept {
    const Message& m = in.msg;
    switch (k) {
        case kDate:
            if (m.date != nullptr) {
                s.field("Date");
                put_date(s, *m.date);
                s.crlf();
            }
            return;
        case kMessageId: put_message_id(s, m); return;
        case kFrom: put_list_field(s, "From", Span<const Mailbox>(&m.from, 1), m.smtputf8); return;
        case kSender:
            if (!m.sender.address.empty()) put_list_field(s, "Sender", Span<const Mailbox>(&m.sender, 1), m.smtputf8);
            return;
        case kReplyTo: put_list_field(s, "Reply-To", m.reply_to, m.smtputf8); return;
        case kTo: put_list_field(s, "To", m.to, m.smtputf8); return;
        case kCc: put_list_field(s, "Cc", m.cc, m.smtputf8); return;
        case kInReplyTo: put_msg_id_field(s, "In-Reply-To", m.in_reply_to); return;
        case kReferences: put_msg_id_field(s, "References", m.references); return;
        case kSubject:
            if (!m.subject.empty()) {
                start_field(s, "Subject");
                put_unstructured(s, m.subject);
                s.crlf();
            }
            return;
        default: break;
    }
    if (k < kCustom + m.headers.size()) {
        put_custom_field(s, m.headers[k - kCustom]);
        return;
    }
    if (k == kCustom + m.headers.size()) {
        if (m.tls_required_no) s.put("TLS-Required: No\r\n");  // RFC 8689 §5
        s.put("MIME-Version: 1.0\r\n");  // RFC 2045 §4
        return;
    }
    const int root = in.layout.root();
    if (root == kNone) {
        put_leaf_headers(s, in, 0);
    } else {
        put_multipart_type(s, in, root);
    }
    s.crlf();  // the empty line that ends the header block (RFC 5322 §2.1)
}

void render_part_head(Sink& s, const RenderInput& in, std::size_t i) noexcept {
    const Layout& l = in.layout;
    const int root = l.root();
    if (root == kNone) return;  // single part: its headers are in the top block
    for (int c = kMixed; c <= kRelated; ++c) {
        if (!l.opens_at(c, i) || c == root) continue;
        const int parent = l.parent_of_container(c);
        put_delimiter(s, in, parent, l.opens_at(parent, i));
        put_multipart_type(s, in, c);
        s.crlf();
    }
    const int parent = l.parent_of_leaf(i);
    put_delimiter(s, in, parent, l.opens_at(parent, i));
    put_leaf_headers(s, in, i);
    s.crlf();
}

void render_part_tail(Sink& s, const RenderInput& in, std::size_t i, bool body_ended_crlf) noexcept {
    const Layout& l = in.layout;
    // RFC 2046 §5.1.1: close-delimiter := delimiter "--"; innermost first.
    for (int c = kRelated; c >= kMixed; --c) {
        if (!l.closes_at(c, i)) continue;
        s.crlf();
        s.put("--");
        s.put(in.boundary[c]);
        s.put("--");
    }
    // The message ends with a line break (RFC 5321 §4.1.1.4 ends DATA with
    // CRLF.CRLF); a multipart ends in its close delimiter, which needs one.
    // A single quoted-printable body gets a soft break "=" CRLF instead, so
    // the decoded content gains no newline; base64 decoders ignore the CRLF;
    // a 7bit/8bit body not ending in CRLF does gain one (unavoidable).
    if (i + 1 != l.leaves()) return;
    if (l.root() != kNone) {
        s.crlf();
    } else if (!body_ended_crlf) {
        if (in.encoding == TransferEncoding::QuotedPrintable) s.put('=');
        s.crlf();
    }
}

void make_boundary(char (&out)[24], Bytes random, int c) noexcept {
    // "=_" cannot occur in quoted-printable ("=" is always followed by a hex
    // digit or CRLF) nor in base64, so these boundaries cannot collide with
    // encoded content (RFC 2045 §6.7 note, RFC 2046 §5.1.1).
    std::size_t len = 0;
    out[len++] = '=';
    out[len++] = '_';
    const std::size_t n = random.size() < 8 ? random.size() : 8;
    if (n == 0) {
        for (const char* p = "smtpcore"; *p != 0; ++p) out[len++] = *p;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const auto b = static_cast<unsigned char>(random[k]);
        out[len++] = kHex[b >> 4];
        out[len++] = kHex[b & 15];
    }
    out[len++] = '_';
    out[len++] = container_subtype(c)[0];  // m, a, r
    out[len] = '\0';
}

}  // namespace smtpcore::mime::detail
