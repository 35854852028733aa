// Content-Type / Content-Disposition parameters (RFC 2045 §5.1, RFC 2231).
#pragma once

#include <string_view>

#include "sink.hpp"

namespace smtpcore::mime::detail {

/// RFC 2045 §5.1 token: 1*<any US-ASCII CHAR except SPACE, CTLs, or tspecials>.
bool is_token(std::string_view s) noexcept;
/// nullptr when `type` is "type/subtype" made of tokens, else the reason.
const char* check_content_type(std::string_view type) noexcept;
/// nullptr when `name` can be written as a filename parameter, else the reason.
const char* check_filename(std::string_view name) noexcept;

/// Writes `;` and then `attribute=value` as a token, a quoted-string, or —
/// for non-ASCII or long values — RFC 2231 extended parameters
/// (`attribute*=UTF-8''%XX..`, split into `attribute*0*=`, `attribute*1*=` …
/// continuations that each fit a 78-column line).
void put_param(Sink& sink, std::string_view attribute, std::string_view value) noexcept;

/// Writes `; name=` for a part's filename: like put_param when the name is a
/// short printable ASCII value, else as RFC 2047 encoded-words in a
/// quoted-string (the fallback for readers that know no RFC 2231).
void put_name_param(Sink& sink, std::string_view filename) noexcept;

}  // namespace smtpcore::mime::detail
