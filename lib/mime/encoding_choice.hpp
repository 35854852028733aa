// The three decisions a part's content needs (docs/mime.md, "Text and
// charsets"): whether line breaks are canonicalised to CRLF, which
// Content-Transfer-Encoding it gets (RFC 2045 §6), and whether charset= is
// written. Plus the start()-time check of what message/* parts may use.
#pragma once

#include <string_view>

#include "smtpcore/mime/message.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::mime::detail {

/// Text or Binary for `p` (Auto resolved from the content type).
Kind resolve_kind(const Part& p) noexcept;

/// RFC 2046 §4.1.1: true for the charsets known to write CR, LF and every
/// ASCII character as the single ASCII octet (US-ASCII, UTF-8, ISO-8859-*,
/// ISO-2022-*, windows-125x, KOI8, the EUC family, Shift_JIS, GB*, Big5, …).
/// UTF-16, UTF-32 and anything unknown: false.
bool ascii_compatible_charset(std::string_view charset) noexcept;

/// Decision 1: line breaks are canonicalised to CRLF (RFC 2049 §4 step 2)
/// only for Text in an ASCII-compatible charset; anything else goes octet-exact.
bool canonical_line_breaks(const Part& p) noexcept;

/// Decision 3: charset= is written for every text/* part.
bool writes_charset(const Part& p) noexcept;

/// message/rfc822, message/partial, message/external-body: only ever
/// 7bit, 8bit or binary (RFC 2046 §5.2.1, §5.2.2, §5.2.3).
bool is_unencodable_message(const Part& p) noexcept;

/// Decision 2: the encoding to write `p` with. Buffers are scanned: a 7bit or
/// 8bit candidate must have no NUL, no line over 998 octets and no line
/// starting with "--" `boundary_stem` (the prefix every boundary of this
/// message shares; empty for a single-part message). Streams are not scanned.
TransferEncoding choose_encoding(const Part& p, bool eight_bit_mime, std::string_view boundary_stem) noexcept;

/// nullptr when `p`'s encoding is allowed, else why not (checked by start()).
const char* check_part_encoding(const Part& p, bool eight_bit_mime, std::string_view boundary_stem) noexcept;

}  // namespace smtpcore::mime::detail
