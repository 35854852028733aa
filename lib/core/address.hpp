// Mailbox syntax checks for the envelope (RFC 5321 §4.1.2, §4.5.3.1). Internal.
#pragma once

#include <string_view>

namespace smtpcore::detail {

/// Returns nullptr when `mailbox` may be sent as a path, else a static reason.
///   Mailbox   = Local-part "@" ( Domain / address-literal )
///   Local-part = Dot-string / Quoted-string
/// Limits (§4.5.3.1.1-3): local part 64, domain 255, path 256 with brackets.
/// Octets >= 0x80 only with `utf8` (RFC 6531 §3.3). "Postmaster" without a
/// domain is accepted where `postmaster_ok` (RCPT TO, §4.1.1.3).
const char* check_mailbox(std::string_view mailbox, bool utf8, bool postmaster_ok) noexcept;

/// The EHLO argument: a domain or an address literal, printable, no spaces.
const char* check_client_name(std::string_view name) noexcept;

}  // namespace smtpcore::detail
