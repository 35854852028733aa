// smtpcore — the encodings of DSN parameter values: xtext (RFC 3461 §4) and
// the utf-8-addr forms of RFC 6533 §3.
//
// Each encoder runs twice like the engine's command builders: with
// out == nullptr it measures, then it writes exactly that many octets. No
// output ever holds a control character, a space, "+" (except as xtext's
// own escape) or "=", so an encoded value cannot end or split a command line.
#pragma once

#include <cstddef>
#include <string_view>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::codec {

/// RFC 3461 §4:  xtext = *( xchar / hexchar )
///   xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except "+" and "="
///   hexchar = "+" 2(upper-case hex digit), for any other octet
/// Returns the encoded length; writes it to `out` unless null.
std::size_t xtext_encode(std::string_view text, char* out) noexcept;

/// The reverse: returns the decoded length, or npos when `xtext` is not
/// xtext (a bare "+" or "=", a lower-case or missing hex digit, an octet
/// outside 33..126). Writes to `out` unless null; `out` may equal the input.
std::size_t xtext_decode(std::string_view xtext, char* out) noexcept;

/// Well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view text) noexcept;

/// RFC 6533 §3 encodings of a UTF-8 address, for ORCPT=utf-8;...
///   utf-8-addr-xtext   = 1*(QCHAR / EmbeddedUnicodeChar)    (unitext false: all ASCII,
///                        safe without SMTPUTF8)
///   utf-8-addr-unitext = 1*(QUCHAR / EmbeddedUnicodeChar)   (unitext true: UTF-8 kept
///                        raw, for a session that uses SMTPUTF8)
///   QCHAR = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e  (printable ASCII but "+", "=", "\")
///   EmbeddedUnicodeChar = "\x{" HEXPOINT "}"  (the code point in upper-case hex, 2 to 6 digits)
/// `text` must be well-formed UTF-8 (is_utf8); returns the encoded length.
std::size_t utf8_addr_encode(std::string_view text, bool unitext, char* out) noexcept;

}  // namespace smtpcore::codec
SMTPCORE_END_PUBLIC
