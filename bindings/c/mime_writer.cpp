// The C ABI's MIME writer: smtpcore_message -> mime::Message, written by
// mime::MessageWriter, all in the caller's storage.
//
// Storage layout: [CWriter][mailboxes: to, cc, reply_to][headers][parts:
// related, attachments]. The caller's arrays are converted into these; the
// strings stay the caller's (borrowed until the writer ends).
#include <new>
#include <type_traits>

#include "convert.hpp"
#include "smtpcore/mime/writer.hpp"

using namespace smtpcore;
using namespace smtpcore::c_abi;

namespace {

struct CWriter {
    mime::MessageWriter writer;
    mime::Message message;
    mime::Part text;
    mime::Part html;
    mime::DateTime date;
};
static_assert(std::is_trivially_destructible<CWriter>::value, "a writer must need no teardown");

constexpr std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

Bytes bytes(smtpcore_str s) noexcept { return Bytes(s.data, s.data ? s.size : 0); }

mime::Part to_part(const smtpcore_part& in) noexcept {
    smtpcore_part defaults;
    smtpcore_part_init(&defaults, sizeof defaults);
    const smtpcore_part c = read_in(in, defaults);
    mime::Part p;
    p.content_type = view(c.content_type);
    p.charset = view(c.charset);
    p.data = bytes(c.data);
    p.kind = mime::Kind(c.kind);
    p.encoding = mime::Encoding(c.encoding);
    p.disposition = mime::Disposition(c.disposition);
    p.filename = view(c.filename);
    p.content_id = view(c.content_id);
    return p;
}

// The caller's struct over defaults, as the library sees it.
smtpcore_message read_message(const smtpcore_message& in) noexcept {
    smtpcore_message defaults;
    smtpcore_message_init(&defaults, sizeof defaults);
    return read_in(in, defaults);
}

std::size_t mailbox_count(const smtpcore_message& m) noexcept { return m.to_count + m.cc_count + m.reply_to_count; }
std::size_t part_count(const smtpcore_message& m) noexcept { return m.related_count + m.attachment_count; }

std::size_t mailboxes_offset() noexcept { return round_up(sizeof(CWriter), alignof(mime::Mailbox)); }
std::size_t headers_offset(const smtpcore_message& m) noexcept {
    return round_up(mailboxes_offset() + mailbox_count(m) * sizeof(mime::Mailbox), alignof(mime::Header));
}
std::size_t parts_offset(const smtpcore_message& m) noexcept {
    return round_up(headers_offset(m) + m.header_count * sizeof(mime::Header), alignof(mime::Part));
}

template <class T, class C, class Convert>
Span<const T> convert(T* out, const C* in, std::size_t n, Convert each) noexcept {
    for (std::size_t i = 0; i < n; ++i) out[i] = each(in[i]);
    return Span<const T>(out, n);
}

mime::Mailbox to_mailbox(const smtpcore_mailbox& m) noexcept { return mime::Mailbox{view(m.name), view(m.address)}; }
mime::Header to_header(const smtpcore_header& h) noexcept { return mime::Header{view(h.name), view(h.value)}; }

CWriter* self(smtpcore_mime_writer* w) noexcept { return reinterpret_cast<CWriter*>(w); }
const CWriter* self(const smtpcore_mime_writer* w) noexcept { return reinterpret_cast<const CWriter*>(w); }

}  // namespace

extern "C" {

void smtpcore_message_init(smtpcore_message* message, size_t struct_size) {
    smtpcore_message full{};
    full.struct_size = std::uint32_t(struct_size);
    message->struct_size = std::uint32_t(struct_size);
    copy_out(full, message);
}

void smtpcore_part_init(smtpcore_part* part, size_t struct_size) {
    const mime::Part d;
    smtpcore_part full{};
    full.struct_size = std::uint32_t(struct_size);
    full.content_type = str(d.content_type);
    full.charset = str(d.charset);
    part->struct_size = std::uint32_t(struct_size);
    copy_out(full, part);
}

size_t smtpcore_mime_writer_size(const smtpcore_message* message) {
    if (!message || message->struct_size < offsetof(smtpcore_message, from)) return 0;
    const smtpcore_message m = read_message(*message);
    return round_up(parts_offset(m) + part_count(m) * sizeof(mime::Part), SMTPCORE_CLIENT_ALIGN);
}

int smtpcore_mime_writer_start(void* storage, size_t storage_size, const smtpcore_message* message,
                               smtpcore_mime_writer** writer) {
    if (!writer) return -1;
    *writer = nullptr;
    const std::size_t needed = smtpcore_mime_writer_size(message);
    if (!storage || needed == 0 || storage_size < needed ||
        reinterpret_cast<std::uintptr_t>(storage) % SMTPCORE_CLIENT_ALIGN != 0)
        return -1;
    const smtpcore_message m = read_message(*message);
    char* base = static_cast<char*>(storage);
    CWriter* w = ::new (storage) CWriter();  // placement: the caller's storage, no heap
    auto* mailboxes = reinterpret_cast<mime::Mailbox*>(base + mailboxes_offset());
    auto* headers = reinterpret_cast<mime::Header*>(base + headers_offset(m));
    auto* parts = reinterpret_cast<mime::Part*>(base + parts_offset(m));

    mime::Message& out = w->message;
    out.from = to_mailbox(m.from);
    out.to = convert(mailboxes, m.to, m.to_count, to_mailbox);
    out.cc = convert(mailboxes + m.to_count, m.cc, m.cc_count, to_mailbox);
    out.reply_to = convert(mailboxes + m.to_count + m.cc_count, m.reply_to, m.reply_to_count, to_mailbox);
    out.subject = view(m.subject);
    if (m.has_date) {
        const smtpcore_date& d = m.date;
        w->date = mime::DateTime{d.year, d.month, d.day, d.hour, d.minute, d.second, d.utc_offset_minutes};
        out.date = &w->date;
    }
    out.message_id = view(m.message_id);
    out.message_id_random = bytes(m.message_id_random);
    out.message_id_domain = view(m.message_id_domain);
    out.headers = convert(headers, m.headers, m.header_count, to_header);
    if (m.text) {
        w->text = to_part(*m.text);
        out.text = &w->text;
    }
    if (m.html) {
        w->html = to_part(*m.html);
        out.html = &w->html;
    }
    out.related = convert(parts, m.related, m.related_count, to_part);
    out.attachments = convert(parts + m.related_count, m.attachments, m.attachment_count, to_part);
    out.boundary_random = bytes(m.boundary_random);
    out.eight_bit_mime = m.eight_bit_mime != 0;
    out.smtputf8 = m.smtputf8 != 0;
    out.tls_required_no = m.tls_required_no != 0;

    *writer = reinterpret_cast<smtpcore_mime_writer*>(w);
    return w->writer.start(out) ? 1 : 0;
}

smtpcore_read_status smtpcore_mime_writer_read(smtpcore_mime_writer* writer, char* out, size_t capacity,
                                               size_t* written) {
    const ReadResult r = self(writer)->writer.read(MutableBytes(out, capacity));
    if (written) *written = r.size;
    return smtpcore_read_status(r.status);
}

smtpcore_mime_error smtpcore_mime_writer_error(const smtpcore_mime_writer* writer) {
    const mime::MimeError e = self(writer)->writer.error();
    return smtpcore_mime_error{e.field, e.reason, e.index};
}

}  // extern "C"
