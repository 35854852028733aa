// smtpcore — HMAC (RFC 2104) over SHA-256 (RFC 4231) or MD5 (RFC 2202). No heap.
//
// The keyed object holds the inner and outer hash states after the key block,
// so copying it is the cheap way to MAC many messages with one key (PBKDF2
// does that once per iteration).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/codec/md5.hpp"
#include "smtpcore/codec/sha256.hpp"

namespace smtpcore::codec {

template <class Hash>
class Hmac {
public:
    static constexpr std::size_t kDigestSize = Hash::kDigestSize;

    /// Keys the MAC. A key longer than the block is hashed first (RFC 2104 §2).
    Hmac(const void* key, std::size_t key_size) noexcept;
    explicit Hmac(std::string_view key) noexcept : Hmac(key.data(), key.size()) {}

    void update(const void* data, std::size_t n) noexcept { inner_.update(data, n); }
    void update(std::string_view s) noexcept { inner_.update(s.data(), s.size()); }
    /// Writes the MAC; the object is spent afterwards (copy a keyed one first).
    void finish(std::uint8_t out[kDigestSize]) noexcept;

    /// One-shot MAC of `n` octets under `key`.
    static void mac(const void* key, std::size_t key_size, const void* data, std::size_t n,
                    std::uint8_t out[kDigestSize]) noexcept;

private:
    Hash inner_;
    Hash outer_;
};

using HmacSha256 = Hmac<Sha256>;
using HmacMd5 = Hmac<Md5>;

extern template class Hmac<Sha256>;
extern template class Hmac<Md5>;

}  // namespace smtpcore::codec
