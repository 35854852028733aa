// CRAM-MD5, RFC 2195 §2: digest = HMAC-MD5(secret, challenge), sent as
// "user SP hex(digest)".
#include "sasl_cram_md5.hpp"

#include "reason.hpp"
#include "smtpcore/codec/hmac.hpp"

namespace smtpcore::detail {

const char* write_cram_md5_response(SaslOutput& out, std::string_view user, std::string_view password,
                                    std::string_view challenge) noexcept {
    if (challenge.empty()) return SMTPCORE_REASON("CRAM-MD5 challenge is empty");
    if (user.empty() || user.size() > 255) return SMTPCORE_REASON("username must be 1 to 255 octets");
    for (const char c : user)
        if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f')
            return SMTPCORE_REASON("CRAM-MD5 username contains a space or control character");
    std::uint8_t digest[codec::HmacMd5::kDigestSize];
    codec::HmacMd5::mac(password.data(), password.size(), challenge.data(), challenge.size(), digest);
    static const char kHex[] = "0123456789abcdef";
    out.put(user);
    out.put(' ');
    for (const std::uint8_t b : digest) {
        out.put(kHex[b >> 4]);
        out.put(kHex[b & 15]);
    }
    codec::secure_zero(digest, sizeof digest);
    return nullptr;
}

}  // namespace smtpcore::detail
