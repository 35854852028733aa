// Structured header fields the writer never encodes (docs/mime.md, "Header
// kinds"): msg-id lists (RFC 5322 §3.6.4), angle-bracket URL lists (RFC 2369
// §2) and raw values checked for syntax only. Each writer folds only at white
// space between tokens, records checkpoints and stops when the sink is full.
#pragma once

#include <string_view>

#include "sink.hpp"
#include "smtpcore/mime/message.hpp"

namespace smtpcore::mime::detail {

/// The kind `h` is written as (Auto resolved from its name and value).
HeaderKind resolve_header_kind(const Header& h) noexcept;

/// nullptr when `value` can be written as kind `k`, else the reason.
const char* check_header_value(HeaderKind k, std::string_view value) noexcept;

/// " <id1> <id2> …" from a msg-id list value (white-space separated).
void put_msg_id_list(Sink& sink, std::string_view value) noexcept;
/// " <id1> <id2> …" from ids given with or without angle brackets.
void put_msg_ids(Sink& sink, Span<const std::string_view> ids) noexcept;
/// " <url1>, <url2> …" from an RFC 2369 list value.
void put_url_list(Sink& sink, std::string_view value) noexcept;
/// The value as given, folded at its own white space.
void put_raw(Sink& sink, std::string_view value) noexcept;

}  // namespace smtpcore::mime::detail
