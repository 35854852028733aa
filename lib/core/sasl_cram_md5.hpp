// CRAM-MD5 (RFC 2195), for old embedded servers: never chosen automatically,
// only when the caller forces it (MD5 and a password-equivalent secret on the
// server make it weaker than SCRAM). Internal.
#pragma once

#include <string_view>

#include "sasl_output.hpp"

namespace smtpcore::detail {

/// Writes the answer to the server's challenge (the decoded 334 text, RFC 2195
/// §2: a msg-id such as "<1896.697170952@postoffice.reston.mci.net>"):
/// user SP the 32 lowercase hex digits of HMAC-MD5(password, challenge).
/// Returns a reason when the inputs are unusable (nothing useful written).
const char* write_cram_md5_response(SaslOutput& out, std::string_view user, std::string_view password,
                                    std::string_view challenge) noexcept;

}  // namespace smtpcore::detail
