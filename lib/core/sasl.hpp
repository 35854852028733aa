// SASL responses for AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN. Internal.
//
// Responses are written as one base64 line, never wrapped (RFC 4954 §4).
#pragma once

#include <cstddef>
#include <string_view>

namespace smtpcore::detail {

/// Length of base64( authzid NUL authcid NUL passwd ) with an empty authzid.
std::size_t plain_response_size(std::string_view user, std::string_view password) noexcept;

/// RFC 4616 §2: authcid and passwd are 1..255 octets of UTF-8 without NUL.
const char* check_plain_credentials(std::string_view user, std::string_view password) noexcept;

/// A 334 challenge's text must be valid base64 (RFC 4954 §4); the client
/// answers an invalid one with "*" to cancel.
bool challenge_is_valid(std::string_view text) noexcept;

}  // namespace smtpcore::detail
