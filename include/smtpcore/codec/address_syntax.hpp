// smtpcore — the grammar of mailbox addresses, shared by the engine's envelope
// checks (RFC 5321 §4.1.2) and the MIME writer's header checks (RFC 5322 §3.4.1).
//
// Pure functions over a view: they say whether the text matches, nothing more;
// each caller adds its own limits and reasons. Octets >= 0x80 are accepted only
// with `utf8` (RFC 6531 §3.3 extends atext, qtext and labels with UTF-8).
#pragma once

#include <string_view>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::codec {

/// atext (RFC 5322 §3.2.3): ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~".
bool is_atext(char c, bool utf8 = false) noexcept;

/// Dot-string (RFC 5321) = dot-atom-text (RFC 5322) = 1*atext *("." 1*atext)
bool is_dot_string(std::string_view s, bool utf8 = false) noexcept;

/// Quoted-string without folding white space:
///   DQUOTE *( qtextSMTP / quoted-pairSMTP ) DQUOTE
///   qtextSMTP = %d32-33 / %d35-91 / %d93-126;  quoted-pairSMTP = "\" %d32-126
bool is_quoted_string(std::string_view s, bool utf8 = false) noexcept;

/// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
/// (labels of at most 63 octets), or an address-literal "[" 1*dcontent "]"
/// whose dcontent is printable US-ASCII except "[", "\" and "]".
bool is_domain(std::string_view d, bool utf8 = false) noexcept;

}  // namespace smtpcore::codec
SMTPCORE_END_PUBLIC
