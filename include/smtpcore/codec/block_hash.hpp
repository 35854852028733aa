// smtpcore — the buffering shared by MD5 and SHA-256. No heap.
//
// Both are Merkle–Damgård hashes over 64-octet blocks, padded with 0x80, zeros
// and the message length in bits as 64 bits (RFC 1321 §3.1–3.2, FIPS 180-4
// §5.1.1). Only the byte order of that length and of the words differs, so the
// hash supplies `compress()` and the order; this base does the rest.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smtpcore::codec {

/// CRTP base: `Hash` provides `void compress(const std::uint8_t block[64])`
/// and `static constexpr bool kBigEndianLength`.
template <class Hash>
class BlockHash {
public:
    static constexpr std::size_t kBlockSize = 64;

    /// Adds `n` octets of message (any split gives the same digest).
    void update(const void* data, std::size_t n) noexcept {
        const auto* p = static_cast<const std::uint8_t*>(data);
        total_ += n;
        if (used_ > 0) {
            while (n > 0 && used_ < kBlockSize) {
                buffer_[used_++] = *p++;
                --n;
            }
            if (used_ < kBlockSize) return;
            self().compress(buffer_);
            used_ = 0;
        }
        for (; n >= kBlockSize; n -= kBlockSize, p += kBlockSize) self().compress(p);
        for (; n > 0; --n) buffer_[used_++] = *p++;
    }

protected:
    /// Appends the padding and the length; the hash then reads its state out.
    void pad() noexcept {
        const std::uint64_t bits = total_ * 8;
        buffer_[used_++] = 0x80;
        if (used_ > kBlockSize - 8) {
            while (used_ < kBlockSize) buffer_[used_++] = 0;
            self().compress(buffer_);
            used_ = 0;
        }
        while (used_ < kBlockSize - 8) buffer_[used_++] = 0;
        for (int i = 0; i < 8; ++i) {
            const int shift = Hash::kBigEndianLength ? 56 - 8 * i : 8 * i;
            buffer_[used_++] = static_cast<std::uint8_t>(bits >> shift);
        }
        self().compress(buffer_);
        used_ = 0;
    }

private:
    Hash& self() noexcept { return static_cast<Hash&>(*this); }

    std::uint8_t buffer_[kBlockSize] = {};
    std::uint64_t total_ = 0;
    std::uint8_t used_ = 0;
};

/// Overwrites secrets (keys, intermediate digests) so they do not linger in
/// caller memory; the volatile write keeps the compiler from dropping it.
inline void secure_zero(void* p, std::size_t n) noexcept {
    volatile std::uint8_t* v = static_cast<volatile std::uint8_t*>(p);
    while (n-- > 0) *v++ = 0;
}

}  // namespace smtpcore::codec
