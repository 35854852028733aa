// PBKDF2, RFC 8018 §5.2, with HMAC-SHA-256 as the PRF:
//   T_i = U_1 ^ U_2 ^ ... ^ U_c,  U_1 = PRF(P, S || INT(i)),  U_j = PRF(P, U_{j-1})
#include "smtpcore/codec/pbkdf2.hpp"

#include "smtpcore/codec/hmac.hpp"

namespace smtpcore::codec {

void pbkdf2_hmac_sha256(const void* password, std::size_t password_size, const void* salt,
                        std::size_t salt_size, std::uint32_t iterations, std::uint8_t* out,
                        std::size_t out_size) noexcept {
    constexpr std::size_t kH = HmacSha256::kDigestSize;
    // Keyed once; each U_j starts from a copy, so an iteration costs two
    // compressions instead of four.
    const HmacSha256 keyed(password, password_size);
    std::uint8_t u[kH], t[kH];
    for (std::uint32_t block = 1; out_size > 0; ++block) {
        const std::uint8_t index[4] = {std::uint8_t(block >> 24), std::uint8_t(block >> 16),
                                       std::uint8_t(block >> 8), std::uint8_t(block)};
        HmacSha256 first = keyed;
        first.update(salt, salt_size);
        first.update(index, sizeof index);
        first.finish(u);
        for (std::size_t k = 0; k < kH; ++k) t[k] = u[k];
        for (std::uint32_t j = 1; j < iterations; ++j) {
            HmacSha256 next = keyed;
            next.update(u, kH);
            next.finish(u);
            for (std::size_t k = 0; k < kH; ++k) t[k] ^= u[k];
        }
        const std::size_t take = out_size < kH ? out_size : kH;
        for (std::size_t k = 0; k < take; ++k) out[k] = t[k];
        out += take;
        out_size -= take;
    }
    secure_zero(u, sizeof u);
    secure_zero(t, sizeof t);
}

}  // namespace smtpcore::codec
