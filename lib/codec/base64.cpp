// base64 (RFC 4648 §4). Portable scalar code plus the run-time dispatch to
// the x86-64 SIMD kernels (base64_simd.cpp); see bench/ for throughput.
//
// Speed: the scalar encoder maps 12 input bits to two output characters with one
// lookup in a 4096-entry table of character pairs (8 KiB of read-only data),
// so a 3-octet group costs two loads and two 16-bit stores instead of four
// table lookups and four byte stores.
#include "smtpcore/codec/base64.hpp"

#include <cstring>

#include "base64_simd.hpp"

namespace smtpcore::codec {

namespace detail {

#if SMTPCORE_BASE64_X86
namespace {
// The selected implementation, -1 until the CPU was asked. Relaxed atomics:
// racing first calls each compute and store the same value.
int g_impl = -1;

Base64Impl detect() noexcept {
    if (base64_cpu_has_avx512vbmi()) return Base64Impl::Avx512Vbmi;
    if (base64_cpu_has_avx2()) return Base64Impl::Avx2;
    return Base64Impl::Scalar;
}
}  // namespace

bool base64_impl_supported(Base64Impl impl) noexcept {
    switch (impl) {
        case Base64Impl::Scalar: return true;
        case Base64Impl::Avx2: return base64_cpu_has_avx2();
        case Base64Impl::Avx512Vbmi: return base64_cpu_has_avx512vbmi();
    }
    return false;
}

Base64Impl base64_impl() noexcept {
    int v = __atomic_load_n(&g_impl, __ATOMIC_RELAXED);
    if (v < 0) {
        v = static_cast<int>(detect());
        __atomic_store_n(&g_impl, v, __ATOMIC_RELAXED);
    }
    return static_cast<Base64Impl>(v);
}

bool base64_select_impl(Base64Impl impl) noexcept {
    if (!base64_impl_supported(impl)) return false;
    __atomic_store_n(&g_impl, static_cast<int>(impl), __ATOMIC_RELAXED);
    return true;
}
#else
bool base64_impl_supported(Base64Impl impl) noexcept { return impl == Base64Impl::Scalar; }
Base64Impl base64_impl() noexcept { return Base64Impl::Scalar; }
bool base64_select_impl(Base64Impl impl) noexcept { return impl == Base64Impl::Scalar; }
#endif

const char* base64_impl_name(Base64Impl impl) noexcept {
    switch (impl) {
        case Base64Impl::Scalar: return "scalar";
        case Base64Impl::Avx2: return "avx2";
        case Base64Impl::Avx512Vbmi: return "avx512vbmi";
    }
    return "?";
}

}  // namespace detail

namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#ifndef SMTPCORE_SMALL_CODE
struct PairTable {
    char pairs[4096 * 2];
    constexpr PairTable() : pairs() {
        for (int i = 0; i < 4096; ++i) {
            pairs[2 * i] = kAlphabet[i >> 6];
            pairs[2 * i + 1] = kAlphabet[i & 63];
        }
    }
};
constexpr PairTable kPairs{};

// Writes the two characters for 12 bits.
inline void put_pair(std::uint32_t bits12, char* out) noexcept {
    std::memcpy(out, kPairs.pairs + 2 * bits12, 2);
}
#else
// Microcontroller builds (-DSMTPCORE_SMALL_CODE): no 8 KiB table in flash;
// SASL and small attachments do not need the speed.
inline void put_pair(std::uint32_t bits12, char* out) noexcept {
    out[0] = kAlphabet[bits12 >> 6];
    out[1] = kAlphabet[bits12 & 63];
}
#endif

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
    // Read all three octets before writing: the line encoder runs in place.
    const std::uint32_t v = (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
    put_pair(v >> 12, out);
    put_pair(v & 0xFFF, out + 2);
}

// Encodes `groups` whole triples; two per step so the loads of the second
// triple overlap the stores of the first (one per step in SMTPCORE_SMALL_CODE
// builds: half the code). In-place safe when out <= p.
inline void encode_groups_scalar(const std::uint8_t* p, std::size_t groups, char* out) noexcept {
#ifdef SMTPCORE_SMALL_CODE
    for (; groups > 0; --groups, p += 3, out += 4) encode_triple(p, out);
#else
    std::size_t g = 0;
    for (; g + 2 <= groups; g += 2, p += 6, out += 8) {
        const std::uint32_t a = (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
        const std::uint32_t b = (std::uint32_t(p[3]) << 16) | (std::uint32_t(p[4]) << 8) | p[5];
        put_pair(a >> 12, out);
        put_pair(a & 0xFFF, out + 2);
        put_pair(b >> 12, out + 4);
        put_pair(b & 0xFFF, out + 6);
    }
    if (g < groups) encode_triple(p, out);
#endif
}

// Encodes `groups` whole triples with the selected implementation. In-place
// safe when out <= p under the line encoder's contract.
inline void encode_groups(const std::uint8_t* p, std::size_t groups, char* out) noexcept {
#if SMTPCORE_BASE64_X86
    if (groups >= 4) {
        std::size_t done = 0;
        switch (detail::base64_impl()) {
            case detail::Base64Impl::Avx512Vbmi: done = detail::base64_groups_avx512vbmi(p, groups, out); break;
            case detail::Base64Impl::Avx2: done = detail::base64_groups_avx2(p, groups, out); break;
            case detail::Base64Impl::Scalar: break;
        }
        p += done * 3;
        out += done * 4;
        groups -= done;
    }
#endif
    encode_groups_scalar(p, groups, out);
}

#if SMTPCORE_BASE64_X86
// Encodes `lines` whole lines (19 triples = 76 characters each) with the
// selected SIMD kernel, CRLF between them and none after the last; returns
// the end of the output, or nullptr when the scalar encoder is selected.
inline char* encode_lines_simd(const std::uint8_t* p, std::size_t lines, char* out) noexcept {
    switch (detail::base64_impl()) {
        case detail::Base64Impl::Avx512Vbmi: return detail::base64_lines_avx512vbmi(p, lines, out);
        case detail::Base64Impl::Avx2: return detail::base64_lines_avx2(p, lines, out);
        case detail::Base64Impl::Scalar: break;
    }
    return nullptr;
}
#endif

// Encodes the final 1 or 2 octets with '=' padding (RFC 4648 §4, cases 2 and 3).
inline void encode_tail(const std::uint8_t* p, std::size_t n, char* out) noexcept {
    const std::uint32_t v = (std::uint32_t(p[0]) << 16) | (n > 1 ? std::uint32_t(p[1]) << 8 : 0);
    out[0] = kAlphabet[(v >> 18) & 63];
    out[1] = kAlphabet[(v >> 12) & 63];
    out[2] = n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out[3] = '=';
}

// Feeds octets into a 1–2 octet carry left by an earlier call. Returns true
// with `triple` filled when the carry became a whole group; advances p and n.
inline bool complete_carry(std::uint8_t (&carry)[2], std::uint8_t& pending, const std::uint8_t*& p,
                           std::size_t& n, std::uint8_t (&triple)[3]) noexcept {
    while (pending > 0 && n > 0) {
        --n;
        if (pending < 2) {
            carry[pending++] = *p++;
            continue;
        }
        triple[0] = carry[0];
        triple[1] = carry[1];
        triple[2] = *p++;
        pending = 0;
        return true;
    }
    return false;
}

}  // namespace

std::size_t base64_encode(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    const std::size_t groups = n / 3;
    encode_groups(p, groups, out);
    char* o = out + groups * 4;
    if (groups * 3 < n) {
        encode_tail(p + groups * 3, n - groups * 3, o);
        o += 4;
    }
    return static_cast<std::size_t>(o - out);
}

std::size_t Base64Encoder::update(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    char* o = out;
    std::uint8_t triple[3];
    if (complete_carry(carry_, pending_, p, n, triple)) {  // a triple started by an earlier call
        encode_triple(triple, o);
        o += 4;
    }
    const std::size_t groups = n / 3;
    encode_groups(p, groups, o);
    o += groups * 4;
    for (std::size_t i = groups * 3; i < n; ++i) carry_[pending_++] = p[i];
    return static_cast<std::size_t>(o - out);
}

std::size_t Base64Encoder::finish(char* out) noexcept {
    if (pending_ == 0) return 0;
    encode_tail(carry_, pending_, out);
    pending_ = 0;
    return 4;
}

// RFC 2045 §6.8: "The encoded output stream must be represented in lines of
// no more than 76 characters each." We write exactly 76 (19 groups) per line.
std::size_t Base64LineEncoder::update(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    char* o = out;
    std::uint8_t triple[3];
    if (complete_carry(carry_, pending_, p, n, triple)) {  // a triple started by an earlier call
        if (column_ == kLineChars) {
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
            column_ = 0;
        }
        encode_triple(triple, o);
        o += 4;
        column_ = static_cast<std::uint8_t>(column_ + 4);
    }
    std::size_t groups = n / 3;
#if SMTPCORE_BASE64_X86
    // SIMD: complete the current line, then whole lines in bulk; the loop
    // below does the rest (and everything for the scalar encoder).
    constexpr std::size_t kLineGroups = kLineChars / 4;
    if (groups >= 2 * kLineGroups && detail::base64_impl() != detail::Base64Impl::Scalar) {
        if (column_ != 0 && column_ != kLineChars) {
            const std::size_t take = (kLineChars - column_) / 4;
            encode_groups(p, take, o);
            p += take * 3;
            o += take * 4;
            column_ = kLineChars;
            groups -= take;
        }
        const std::size_t lines = groups / kLineGroups;
        if (column_ == kLineChars) {
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
        }
        o = encode_lines_simd(p, lines, o);
        p += lines * kLineGroups * 3;
        column_ = kLineChars;
        groups -= lines * kLineGroups;
    }
#endif
    while (groups > 0) {
        if (column_ == kLineChars) {
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
            column_ = 0;
        }
        std::size_t take = (kLineChars - column_) / 4;
        if (take > groups) take = groups;
        encode_groups(p, take, o);
        p += take * 3;
        o += take * 4;
        column_ = static_cast<std::uint8_t>(column_ + take * 4);
        groups -= take;
    }
    for (std::size_t i = 0; i < n % 3; ++i) carry_[pending_++] = p[i];
    return static_cast<std::size_t>(o - out);
}

std::size_t Base64LineEncoder::finish(char* out) noexcept {
    if (pending_ == 0) return 0;
    char* o = out;
    if (column_ == kLineChars) {
        o[0] = '\r';
        o[1] = '\n';
        o += 2;
        column_ = 0;
    }
    encode_tail(carry_, pending_, o);
    o += 4;
    pending_ = 0;
    return static_cast<std::size_t>(o - out);
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
