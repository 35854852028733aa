// A small, independent reader for the writer's header output, written from
// the RFCs (not from the writer's code): split the header block into fields,
// unfold them (RFC 5322 §2.2.3) and decode RFC 2047 encoded-words (§6.2).
#pragma once

#include <string>
#include <vector>

namespace smtpcore::mime::test {

/// The header block of a message (up to, not including, the empty line).
std::string header_block(const std::string& message);
/// Every physical line of `text` (CRLF-separated, CRLF not included).
std::vector<std::string> lines_of(const std::string& text);
/// The unfolded body of the first field called `name` (case-sensitive) in
/// `block`, without the single space after the colon; "<none>" if absent.
std::string field_body(const std::string& block, const std::string& name);
/// Decodes the encoded-words of an unstructured value: white space between
/// two adjacent encoded-words is dropped, everything else is kept as it is.
/// "<bad>" when a word does not decode.
std::string decode_unstructured(const std::string& value);
/// The body of a single-part message (after the empty line).
std::string body_of(const std::string& message);
/// base64 with line breaks removed, decoded; "<bad>" on error.
std::string base64_lines_decode(const std::string& text);
/// Header lines breaking the layout policy: over 998 octets, over 78
/// columns, or over 76 columns while holding an encoded-word. One string per
/// offending line, empty when all is well.
std::vector<std::string> layout_breaches(const std::string& block);

}  // namespace smtpcore::mime::test
