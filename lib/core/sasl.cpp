#include "sasl.hpp"

#include "smtpcore/codec/base64.hpp"
#include "reason.hpp"

namespace smtpcore::detail {

std::size_t plain_response_size(std::string_view user, std::string_view password) noexcept {
    return codec::base64_encoded_size(user.size() + password.size() + 2);
}

const char* check_plain_credentials(std::string_view user, std::string_view password) noexcept {
    if (user.empty() || user.size() > 255) return SMTPCORE_REASON("username must be 1 to 255 octets");
    if (password.empty() || password.size() > 255) return SMTPCORE_REASON("password must be 1 to 255 octets");
    for (const char c : user)
        if (c == '\0') return SMTPCORE_REASON("username contains NUL");
    for (const char c : password)
        if (c == '\0') return SMTPCORE_REASON("password contains NUL");
    return nullptr;
}

bool challenge_is_valid(std::string_view text) noexcept {
    return codec::base64_validate(text) >= 0;
}

}  // namespace smtpcore::detail
