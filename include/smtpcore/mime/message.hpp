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
    std::string_view address;  ///< "local@domain", ASCII (RFC 5322 §3.4.1)
};

/// A caller-defined header field (RFC 5322 §3.6.8). The value is unstructured
/// text: folded, and written as encoded-words where needed.
struct Header {
    std::string_view name;
    std::string_view value;
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
    std::string_view charset = "utf-8";            ///< written for text/* types
    Bytes data;                                    ///< used when source.read is null
    BodySource source;                             ///< takes precedence over data when set
    Kind kind = Kind::Auto;
    Encoding encoding = Encoding::Auto;
    /// For a streamed text part: the first bytes of its content, if the caller
    /// has them, so Auto can pick base64 over quoted-printable for mostly
    /// non-ASCII text. Not written; the source still produces every byte.
    Bytes sniff;
    Disposition disposition = Disposition::Default;
    std::string_view filename;    ///< any UTF-8; RFC 2231 when not plain short ASCII
    std::string_view content_id;  ///< for related parts, "id@host" (with or without <>)
};

/// The whole message. Only `from` is required.
struct Message {
    Mailbox from;
    Span<const Mailbox> to;
    Span<const Mailbox> cc;        ///< Bcc is envelope-only: the writer has no field for it
    Span<const Mailbox> reply_to;
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
    /// and 7bit/8bit parts are checked for it, so they cannot collide even
    /// without randomness; randomness keeps them unique across messages.
    Bytes boundary_random;
    /// The server advertised 8BITMIME (RFC 6152) and the envelope uses it:
    /// Auto may then send UTF-8 text as 8bit.
    bool eight_bit_mime = false;
};

}  // namespace smtpcore::mime
SMTPCORE_END_PUBLIC
