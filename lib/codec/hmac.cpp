// HMAC, RFC 2104 §2: H(K ^ opad, H(K ^ ipad, text)).
#include "smtpcore/codec/hmac.hpp"

namespace smtpcore::codec {

template <class Hash>
Hmac<Hash>::Hmac(const void* key, std::size_t key_size) noexcept {
    std::uint8_t block[Hash::kBlockSize] = {};
    if (key_size > Hash::kBlockSize) {
        Hash::hash(key, key_size, block);  // "applications that use keys longer than B bytes will first hash the key"
    } else {
        const auto* k = static_cast<const std::uint8_t*>(key);
        for (std::size_t i = 0; i < key_size; ++i) block[i] = k[i];
    }
    std::uint8_t pad[Hash::kBlockSize];
    for (std::size_t i = 0; i < Hash::kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
    inner_.update(pad, sizeof pad);
    for (std::size_t i = 0; i < Hash::kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
    outer_.update(pad, sizeof pad);
    secure_zero(block, sizeof block);
    secure_zero(pad, sizeof pad);
}

template <class Hash>
void Hmac<Hash>::finish(std::uint8_t out[kDigestSize]) noexcept {
    std::uint8_t inner_digest[kDigestSize];
    inner_.finish(inner_digest);
    outer_.update(inner_digest, kDigestSize);
    outer_.finish(out);
    secure_zero(inner_digest, sizeof inner_digest);
}

template <class Hash>
void Hmac<Hash>::mac(const void* key, std::size_t key_size, const void* data, std::size_t n,
                     std::uint8_t out[kDigestSize]) noexcept {
    Hmac h(key, key_size);
    h.update(data, n);
    h.finish(out);
}

template class Hmac<Sha256>;
template class Hmac<Md5>;

}  // namespace smtpcore::codec
