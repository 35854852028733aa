// smtpcore — SHA-256 (FIPS 180-4 §6.2). No heap, no tables beyond the 64
// round constants. Used by HMAC-SHA-256 and PBKDF2 for SCRAM-SHA-256
// (RFC 7677) and its channel-bound -PLUS variant.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/codec/block_hash.hpp"

namespace smtpcore::codec {

class Sha256 : public BlockHash<Sha256> {
public:
    static constexpr std::size_t kDigestSize = 32;
    static constexpr bool kBigEndianLength = true;

    Sha256() noexcept;
    /// Writes the 32-octet digest of everything given to update(). The object
    /// is spent afterwards (construct a new one, or copy a keyed one first).
    void finish(std::uint8_t out[kDigestSize]) noexcept;
    /// One-shot digest of `n` octets.
    static void hash(const void* data, std::size_t n, std::uint8_t out[kDigestSize]) noexcept;

    /// Processes one 64-octet block (FIPS 180-4 §6.2.2); BlockHash calls it.
    void compress(const std::uint8_t block[kBlockSize]) noexcept;

private:
    std::uint32_t state_[8];
};

}  // namespace smtpcore::codec
