// Header text: UTF-8 checks, RFC 2047 encoded-words, unstructured fields and
// display-name phrases, all written through a folding Sink.
#pragma once

#include <cstddef>
#include <string_view>

#include "sink.hpp"

namespace smtpcore::mime::detail {

/// True when `s` is well-formed UTF-8 (RFC 3629 §4; no overlongs, no surrogates).
bool valid_utf8(std::string_view s) noexcept;
/// True when `s` holds CR, LF or NUL — never allowed in a header value.
bool has_line_break_or_nul(std::string_view s) noexcept;
/// Length of the UTF-8 character starting at s[i] (1 for ASCII), clipped to s.
std::size_t utf8_char_length(std::string_view s, std::size_t i) noexcept;

/// Text glued around a run of encoded-words: a quoted parameter value is
/// written as prefix `name="`, the words, suffix `"`.
struct WordFrame {
    std::string_view prefix;
    std::string_view suffix;
};

/// Writes `text` as RFC 2047 encoded-words in UTF-8, the first preceded by
/// white space `ws` (non-empty), the rest by a space or a fold. Each word is
/// at most 75 characters and every line holding one at most 76 (RFC 2047 §2).
void put_encoded_words(Sink& sink, std::string_view ws, std::string_view text, const WordFrame& frame = {}) noexcept;

/// Writes an unstructured field body (RFC 5322 §3.2.5 "unstructured") after
/// "Name:". Words that are plain printable ASCII stay as they are; runs of
/// words that are not (or that look like encoded-words, or cannot be folded
/// under the line limit) become encoded-words (RFC 2047 §5 (1)). Resumable:
/// records checkpoints and stops when the sink is full.
void put_unstructured(Sink& sink, std::string_view value) noexcept;

/// Writes a display name as an RFC 5322 §3.2.5 phrase: atoms, a quoted-string,
/// or encoded-words (RFC 2047 §5 (3)) for non-ASCII or long names.
void put_phrase(Sink& sink, std::string_view name, bool utf8 = false) noexcept;

}  // namespace smtpcore::mime::detail
