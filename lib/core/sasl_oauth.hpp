// OAuth 2.0 bearer tokens over SASL: XOAUTH2 (the Google / Microsoft format)
// and OAUTHBEARER (RFC 7628). The caller supplies the token. Internal.
//
// The error flow is the same for both: a failed token draws a 334 whose
// base64 text is a JSON status (RFC 7628 §3.2.2); the client answers it with
// oauth_error_ack() and the server then sends the final 535.
#pragma once

#include <cstdint>
#include <string_view>

#include "sasl_output.hpp"

namespace smtpcore::detail {

enum class OAuthMechanism : std::uint8_t { XOAuth2, OAuthBearer };

/// RFC 6750 §2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
/// Anything else (a control octet, a space, the \x01 separator) is refused:
/// a token must never be able to change the message's structure.
const char* check_bearer_token(std::string_view token) noexcept;

/// XOAUTH2 initial response: "user=" user ^A "auth=Bearer " token ^A ^A.
const char* write_xoauth2_response(SaslOutput& out, std::string_view user, std::string_view token) noexcept;

/// RFC 7628 §3.1 client-resp: gs2-header ("n,a=" saslname(user) ",", no
/// channel binding) ^A ["host=" host ^A] ["port=" port ^A] "auth=Bearer " token ^A ^A.
/// `host` may be empty and `port` 0: both are then left out.
const char* write_oauthbearer_response(SaslOutput& out, std::string_view user, std::string_view host,
                                       std::uint16_t port, std::string_view token) noexcept;

/// What the client answers to the server's error challenge: the empty
/// response for XOAUTH2, a single ^A for OAUTHBEARER (RFC 7628 §3.2.3).
std::string_view oauth_error_ack(OAuthMechanism mechanism) noexcept;

/// The value of the top-level "status" member of the server's JSON error
/// (RFC 7628 §3.2.2), e.g. "invalid_token", as it appears between the quotes
/// (escapes are left as they are). Empty when the text is not a JSON object
/// or has no string "status". A view into `json`. Reads at most `json`; nests
/// at most 16 levels deep.
std::string_view oauth_error_status(std::string_view json) noexcept;

}  // namespace smtpcore::detail
