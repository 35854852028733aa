// base64 (RFC 4648 §4). Portable scalar code; see bench/ for throughput.
#include "smtpcore/codec/base64.hpp"

namespace smtpcore::codec {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of a base64 character, or 0xFF for anything outside the alphabet.
constexpr std::uint8_t value_of(char c) noexcept {
    return (c >= 'A' && c <= 'Z')   ? static_cast<std::uint8_t>(c - 'A')
           : (c >= 'a' && c <= 'z') ? static_cast<std::uint8_t>(c - 'a' + 26)
           : (c >= '0' && c <= '9') ? static_cast<std::uint8_t>(c - '0' + 52)
           : (c == '+')             ? 62
           : (c == '/')             ? 63
                                    : 0xFF;
}

inline void encode_triple(const std::uint8_t* p, char* out) noexcept {
    const std::uint32_t v = (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
    out[0] = kAlphabet[(v >> 18) & 63];
    out[1] = kAlphabet[(v >> 12) & 63];
    out[2] = kAlphabet[(v >> 6) & 63];
    out[3] = kAlphabet[v & 63];
}

// Encodes the final 1 or 2 octets with '=' padding (RFC 4648 §4, cases 2 and 3).
inline void encode_tail(const std::uint8_t* p, std::size_t n, char* out) noexcept {
    const std::uint32_t v = (std::uint32_t(p[0]) << 16) | (n > 1 ? std::uint32_t(p[1]) << 8 : 0);
    out[0] = kAlphabet[(v >> 18) & 63];
    out[1] = kAlphabet[(v >> 12) & 63];
    out[2] = n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out[3] = '=';
}

}  // namespace

std::size_t base64_encode(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    char* o = out;
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3, o += 4) encode_triple(p + i, o);
    if (i < n) {
        encode_tail(p + i, n - i, o);
        o += 4;
    }
    return static_cast<std::size_t>(o - out);
}

std::size_t Base64Encoder::update(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    char* o = out;
    // Complete a triple started by an earlier call.
    while (pending_ > 0 && n > 0) {
        if (pending_ < 2) {
            carry_[pending_++] = *p++;
            --n;
            continue;
        }
        const std::uint8_t triple[3] = {carry_[0], carry_[1], *p++};
        --n;
        encode_triple(triple, o);
        o += 4;
        pending_ = 0;
    }
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3, o += 4) encode_triple(p + i, o);
    while (i < n) carry_[pending_++] = p[i++];
    return static_cast<std::size_t>(o - out);
}

std::size_t Base64Encoder::finish(char* out) noexcept {
    if (pending_ == 0) return 0;
    encode_tail(carry_, pending_, out);
    pending_ = 0;
    return 4;
}

long base64_validate(std::string_view text) noexcept {
    const std::size_t n = text.size();
    if (n % 4 != 0) return -1;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '=') {
            // Padding only in the last two positions, and nothing but padding after it.
            if (i + 2 < n) return -1;
            ++pad;
            continue;
        }
        if (pad > 0 || value_of(c) == 0xFF) return -1;
    }
    if (pad > 2) return -1;
    // RFC 4648 §3.5: the bits dropped by padding must be zero (canonical encoding).
    if (pad > 0) {
        const std::uint8_t last = value_of(text[n - pad - 1]);
        if ((pad == 1 && (last & 0x03) != 0) || (pad == 2 && (last & 0x0F) != 0)) return -1;
    }
    return static_cast<long>(n / 4 * 3 - pad);
}

long base64_decode(std::string_view text, void* out, std::size_t cap) noexcept {
    const long size = base64_validate(text);
    if (size < 0 || static_cast<std::size_t>(size) > cap) return -1;
    auto* o = static_cast<std::uint8_t*>(out);
    std::size_t w = 0;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            v = (v << 6) | (c == '=' ? 0u : value_of(c));
        }
        const std::uint8_t bytes[3] = {std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
        for (std::size_t k = 0; k < 3 && w < static_cast<std::size_t>(size); ++k) o[w++] = bytes[k];
    }
    return size;
}

}  // namespace smtpcore::codec
