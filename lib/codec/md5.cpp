// MD5, RFC 1321 §3.4: the four rounds of the compression function.
#include "smtpcore/codec/md5.hpp"

namespace smtpcore::codec {
namespace {

// §3.4: T[i] = floor(2^32 * |sin(i)|), i = 1..64.
constexpr std::uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
// The left rotations of each round, four per round.
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

constexpr std::uint32_t rotl(std::uint32_t x, int n) noexcept { return (x << n) | (x >> (32 - n)); }

}  // namespace

// §3.3: the initial buffer, words A B C D.
Md5::Md5() noexcept : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

void Md5::compress(const std::uint8_t block[kBlockSize]) noexcept {
    std::uint32_t x[16];
    for (int i = 0; i < 16; ++i)
        x[i] = std::uint32_t(block[4 * i]) | std::uint32_t(block[4 * i + 1]) << 8 |
               std::uint32_t(block[4 * i + 2]) << 16 | std::uint32_t(block[4 * i + 3]) << 24;
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    for (int i = 0; i < 64; ++i) {
        const int round = i / 16;
        std::uint32_t f;
        int k;  // which message word this step reads (§3.4's [abcd k s i])
        switch (round) {
        case 0: f = (b & c) | (~b & d); k = i; break;                 // F
        case 1: f = (b & d) | (c & ~d); k = (5 * i + 1) & 15; break;  // G
        case 2: f = b ^ c ^ d; k = (3 * i + 5) & 15; break;           // H
        default: f = c ^ (b | ~d); k = (7 * i) & 15; break;           // I
        }
        const std::uint32_t next = b + rotl(a + f + x[k] + kSine[i], kShift[round][i & 3]);
        a = d;
        d = c;
        c = b;
        b = next;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
}

void Md5::finish(std::uint8_t out[kDigestSize]) noexcept {
    pad();
    // §3.5: the digest is A B C D, each low-order octet first.
    for (int i = 0; i < 4; ++i)
        for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<std::uint8_t>(state_[i] >> (8 * k));
}

void Md5::hash(const void* data, std::size_t n, std::uint8_t out[kDigestSize]) noexcept {
    Md5 h;
    h.update(data, n);
    h.finish(out);
}

}  // namespace smtpcore::codec
