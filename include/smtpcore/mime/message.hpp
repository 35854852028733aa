// smtpcore::mime — the description of a message, as plain caller-owned data.
//
// Everything here is a view: the writer copies nothing, so the strings, lists,
// buffers and sources a Message points at must stay alive and unchanged until
// the writer has returned End (or the caller gives up). Strings are UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/body_source.hpp"
#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::mime {

/// A mailbox (RFC 5322 §3.4): optional display name plus an addr-spec.
struct Mailbox {
    std::string_view name;     ///< display name, any UTF-8 (encoded-words when needed); may be empty
    std::string_view address;  ///< "local@domain": ASCII (RFC 5322 §3.4.1), or UTF-8 with Message::smtputf8 (RFC 6532 §3.2)
};

/// How a caller-defined header field's value is written (docs/mime.md, "Header kinds").
enum class HeaderKind : std::uint8_t {
    /// Chosen by the field name: In-Reply-To and References are MsgIdList;
    /// List-Help, -Unsubscribe, -Subscribe, -Post, -Owner and -Archive are
    /// UrlList when the value starts with "<", else Raw; Content-Language
    /// (RFC 3282: ASCII language tags) is Raw; anything else is Unstructured.
    /// Content-Language and Content-Description are the only Content-*
    /// fields a caller may give; the others are the writer's.
    Auto,
    /// RFC 5322 §3.2.5 unstructured text, any UTF-8: folded, and written as
    /// RFC 2047 encoded-words where needed.
    Unstructured,
    /// RFC 5322 §3.6.4: 1*msg-id ("<left@right>" separated by white space).
    /// Never encoded; folded between ids.
    MsgIdList,
    /// RFC 2369 §2: "<" URL ">" separated by commas. Never encoded; folded
    /// after the commas.
    UrlList,
    /// Printable ASCII written as given (checked for syntax only: VCHAR and
    /// white space, no token over 900 octets, no run of white space over 70),
    /// folded at its own white space. For structured fields the writer does
    /// not know.
    Raw,
};

/// A caller-defined header field (RFC 5322 §3.6.8).
struct Header {
    std::string_view name;
    std::string_view value;
    HeaderKind kind = HeaderKind::Auto;
};

/// Broken-down local time plus its offset from UTC, as RFC 5322 §3.3 writes it.
struct DateTime {
    int year = 1970;             ///< 1900..9999
    int month = 1;               ///< 1..12
    int day = 1;                 ///< 1..31 (checked against the month)
    int hour = 0;                ///< 0..23
    int minute = 0;              ///< 0..59
    int second = 0;              ///< 0..60 (leap second allowed)
    int utc_offset_minutes = 0;  ///< -1439..1439, e.g. +60 for CET
};

/// The DateTime of `unix_seconds` as seen at `utc_offset_minutes` from UTC.
/// The core reads no clock: the host passes its time in.
DateTime date_from_unix(std::int64_t unix_seconds, int utc_offset_minutes) noexcept;

/// Writes `d` as the writer's Date field does ("Tue, 05 Mar 2024 14:03:09
/// +0100", RFC 5322 §3.3, no leading space) into `out` and returns its
/// length; 0 when `d` is out of range or `cap` is under 31. For hosts that
/// write a Date field themselves (a raw message missing one).
std::size_t format_date(const DateTime& d, char* out, std::size_t cap) noexcept;

/// What the content is. Kind decides one thing: whether line breaks are
/// canonicalised to CRLF (RFC 2049 §4 step 2). That happens only for Text
/// whose charset is ASCII-compatible (RFC 2046 §4.1.1); UTF-16, UTF-32 and
/// charsets the writer does not know are sent octet for octet. The encoding
/// is chosen separately (Encoding), and charset= is written for every
/// text/* part whatever its Kind.
enum class Kind : std::uint8_t {
    Auto,    ///< text/* and message/* are Text, everything else Binary
    Text,    ///< line-oriented text: line breaks are canonicalised to CRLF
    Binary,  ///< octets that must come back bit for bit (base64 unless forced)
};

enum class Encoding : std::uint8_t {
    Auto,             ///< chosen by the rule in docs/mime.md
    SevenBit,         ///< forced; the writer checks every octet and fails the write on a breach
    EightBit,         ///< forced; needs the server's 8BITMIME; checked like SevenBit
    QuotedPrintable,  ///< forced
    Base64,           ///< forced
};

enum class Disposition : std::uint8_t {
    Default,     ///< body text: none; attachments: "attachment"; related parts: "inline"
    Inline,
    Attachment,
};

/// One leaf body part. Its content is either `data` (a whole buffer the writer
/// may scan) or `source` (pulled piece by piece, never scanned ahead).
struct Part {
    std::string_view content_type = "text/plain";  ///< "type/subtype" only (no parameters)
    std::string_view charset = "utf-8";            ///< written for every text/* part
    Bytes data;                                    ///< used when source.read is null
    BodySource source;                             ///< takes precedence over data when set
    Kind kind = Kind::Auto;
    /// message/rfc822, message/partial and message/external-body are only
    /// ever 7bit or 8bit (RFC 2046 §5.2): start() refuses anything else.
    Encoding encoding = Encoding::Auto;
    /// For a streamed text part: the first bytes of its content, if the caller
    /// has them, so Auto can pick base64 over quoted-printable for mostly
    /// non-ASCII text. Not written; the source still produces every byte.
    Bytes sniff;
    Disposition disposition = Disposition::Default;
    /// Any UTF-8. Plain short ASCII goes as filename="…" and name="…"; anything
    /// else as RFC 2231 filename*= plus an RFC 2047 name="=?UTF-8?…?=" fallback.
    std::string_view filename;
    std::string_view content_id;  ///< for related parts, "id@host" (with or without <>)
};

/// The whole message. Only `from` is required.
struct Message {
    Mailbox from;
    /// RFC 5322 §3.6.2: the agent responsible for sending, when not the author.
    /// An empty address means no Sender field.
    Mailbox sender;
    Span<const Mailbox> to;
    Span<const Mailbox> cc;        ///< Bcc is envelope-only: the writer has no field for it
    Span<const Mailbox> reply_to;
    /// RFC 5322 §3.6.4: the msg-ids ("id@host", with or without <>) of the
    /// message replied to, and of the thread. Written as they are, never encoded.
    Span<const std::string_view> in_reply_to;
    Span<const std::string_view> references;
    std::string_view subject;
    const DateTime* date = nullptr;  ///< no Date field when null (an MSA may add it, RFC 6409 §8.3)
    /// Message-ID: either given ("id@host", with or without <>) or built from
    /// `message_id_random` (≥ 8 octets) and `message_id_domain`. Neither: no field.
    std::string_view message_id;
    Bytes message_id_random;
    std::string_view message_id_domain;
    Span<const Header> headers;

    const Part* text = nullptr;     ///< text/plain body
    const Part* html = nullptr;     ///< text/html alternative (multipart/alternative with text)
    Span<const Part> related;       ///< inline parts of the html (multipart/related); need html
    Span<const Part> attachments;   ///< multipart/mixed

    /// Randomness for MIME boundaries (up to 8 octets used). Boundaries start
    /// with "=_", which quoted-printable and base64 output can never contain,
    /// and 7bit/8bit parts are checked for lines starting with this message's
    /// own boundaries, so they cannot collide even without randomness.
    /// Randomness keeps them unique across messages, which is what lets a
    /// message written by smtpcore be forwarded (message/rfc822) inside another.
    Bytes boundary_random;
    /// The server advertised 8BITMIME (RFC 6152) and the envelope uses it:
    /// Auto may then send UTF-8 text as 8bit.
    bool eight_bit_mime = false;
    /// The message travels with SMTPUTF8 (RFC 6531; Envelope::smtputf8, and
    /// the server offers it): header fields are internationalized (RFC 6532
    /// §3.2), so UTF-8 addresses are accepted and UTF-8 display names written
    /// raw, without RFC 2047 encoded-words. Off: display names are RFC 2047
    /// encoded and a UTF-8 address is refused ("needs SMTPUTF8").
    bool smtputf8 = false;
    /// Writes "TLS-Required: No" (RFC 8689 §5): the sender asks that TLS
    /// policies (MTA-STS, DANE) be ignored to deliver this message. A caller
    /// header of that name is then refused.
    bool tls_required_no = false;
};

}  // namespace smtpcore::mime
SMTPCORE_END_PUBLIC
