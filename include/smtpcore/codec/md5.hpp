// smtpcore — MD5 (RFC 1321). No heap.
//
// Only for CRAM-MD5 (RFC 2195), which old embedded servers still offer; MD5
// is broken for collisions, and HMAC-MD5 is kept solely for that mechanism.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/codec/block_hash.hpp"

namespace smtpcore::codec {

class Md5 : public BlockHash<Md5> {
public:
    static constexpr std::size_t kDigestSize = 16;
    static constexpr bool kBigEndianLength = false;  // RFC 1321 §3.2: low-order word first

    Md5() noexcept;
    /// Writes the 16-octet digest; the object is spent afterwards.
    void finish(std::uint8_t out[kDigestSize]) noexcept;
    static void hash(const void* data, std::size_t n, std::uint8_t out[kDigestSize]) noexcept;

    /// Processes one 64-octet block (RFC 1321 §3.4); BlockHash calls it.
    void compress(const std::uint8_t block[kBlockSize]) noexcept;

private:
    std::uint32_t state_[4];
};

}  // namespace smtpcore::codec
