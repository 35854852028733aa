// base64 encoding kernels for x86-64: AVX2 and AVX-512 VBMI (see
// base64_simd.hpp for the contract). Built only on x86-64; each function
// carries its own target attribute, so this file compiles for baseline
// x86-64 and the kernels run only after the CPU said it has the instructions.
//
// Method (W. Muła and D. Lemire, "Faster Base64 Encoding and Decoding Using
// AVX2 Instructions", ACM TOW 2018; "Base64 encoding and decoding at almost
// the speed of a memory copy", SPE 2020):
//  - AVX2: 24 input octets -> two 12-octet lanes -> per 3 octets a 32-bit
//    word [b a c b]; two masks and a mulhi/mullo pair move the four 6-bit
//    values into the four bytes; a pshufb table adds the offset that maps
//    each value range (A-Z, a-z, 0-9, +, /) to ASCII.
//  - AVX-512 VBMI: 48 input octets; vpermb builds the [b a c b] words,
//    vpmultishiftqb extracts the four 6-bit fields per word, and vpermb with
//    the 64-character alphabet as the table translates (it uses the low
//    6 bits of each index).
#include "base64_simd.hpp"

#if SMTPCORE_BASE64_X86

#include <immintrin.h>

#include <cstring>

#define SMTPCORE_TARGET_AVX2 __attribute__((target("avx2")))
#define SMTPCORE_TARGET_AVX512 __attribute__((target("avx512vbmi,avx512bw,avx512f")))

namespace smtpcore::codec::detail {
namespace {

constexpr std::size_t kLineInput = 57;  // octets per 76-character line

alignas(64) constexpr char kAlphabet64[64] = {
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V',
    'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r',
    's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '/'};

// ---- AVX2 ------------------------------------------------------------------

// `in` holds 12 input octets at bytes 0..11 of each 128-bit lane; returns the
// 16 characters of each lane.
SMTPCORE_TARGET_AVX2 inline __m256i encode_lanes_avx2(__m256i in) noexcept {
    // Per triple (a, b, c): the 32-bit word with bytes [b, a, c, b].
    in = _mm256_shuffle_epi8(in, _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                                                  1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
    // Fields 0 and 2 (a's top 6 bits, b's low 4 + c's top 2) go down by
    // 10 and 6 bits; fields 1 and 3 up by 4 and 8 bits, each into its byte.
    const __m256i t0 = _mm256_and_si256(in, _mm256_set1_epi32(0x0fc0fc00));
    const __m256i t1 = _mm256_mulhi_epu16(t0, _mm256_set1_epi32(0x04000040));
    const __m256i t2 = _mm256_and_si256(in, _mm256_set1_epi32(0x003f03f0));
    const __m256i t3 = _mm256_mullo_epi16(t2, _mm256_set1_epi32(0x01000010));
    const __m256i idx = _mm256_or_si256(t1, t3);  // 6-bit values 0..63
    // Range class: 0..25 -> 13, 26..51 -> 0, 52..61 -> 1..10, 62 -> 11, 63 -> 12;
    // the table holds the offset ('A' - 0, 'a' - 26, '0' - 52, '+' - 62, '/' - 63).
    __m256i cls = _mm256_subs_epu8(idx, _mm256_set1_epi8(51));
    const __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), idx);
    cls = _mm256_or_si256(cls, _mm256_and_si256(upper, _mm256_set1_epi8(13)));
    constexpr char d = '0' - 52;
    const __m256i offsets = _mm256_setr_epi8('a' - 26, d, d, d, d, d, d, d, d, d, d, '+' - 62, '/' - 63, 'A', 0, 0,
                                             'a' - 26, d, d, d, d, d, d, d, d, d, d, '+' - 62, '/' - 63, 'A', 0, 0);
    return _mm256_add_epi8(_mm256_shuffle_epi8(offsets, cls), idx);
}

// 24 octets in dwords 0..5 of `raw` (selection `perm`) -> 32 characters.
SMTPCORE_TARGET_AVX2 inline __m256i encode24_avx2(__m256i raw, __m256i perm) noexcept {
    return encode_lanes_avx2(_mm256_permutevar8x32_epi32(raw, perm));
}

// ---- AVX-512 VBMI ----------------------------------------------------------

// `in` after the [b a c b] permutation -> 64 characters (one per byte).
SMTPCORE_TARGET_AVX512 inline __m512i translate_avx512(__m512i words, __m512i alphabet) noexcept {
    // Per 32-bit word, bit offsets of the four fields in output order:
    // 10 (a>>2), 4 (a<<4|b>>4), 22 (b<<2|c>>6), 16 (c), and +32 for the upper word.
    const __m512i shifts = _mm512_set1_epi64(0x3036242a1016040a);
    // (The maskz forms with an all-ones mask are the plain instructions; GCC 12
    // warns about the unmasked forms' undefined pass-through operand.)
    return _mm512_maskz_permutexvar_epi8(~0ull, _mm512_maskz_multishift_epi64_epi8(~0ull, shifts, words), alphabet);
}

// vpermb indices that turn 3-octet groups first..first+15 of a vector into
// [b a c b] words (indices wrap at 64; callers use only groups inside it).
struct GroupWords {
    alignas(64) std::uint8_t idx[64];
    constexpr explicit GroupWords(int first) : idx() {
        for (int g = 0; g < 16; ++g) {
            const int base = 3 * (first + g);
            idx[4 * g + 0] = static_cast<std::uint8_t>((base + 1) & 63);
            idx[4 * g + 1] = static_cast<std::uint8_t>(base & 63);
            idx[4 * g + 2] = static_cast<std::uint8_t>((base + 2) & 63);
            idx[4 * g + 3] = static_cast<std::uint8_t>((base + 1) & 63);
        }
    }
};
constexpr GroupWords kHeadWords{0};   // groups 0..15: characters 0..63
constexpr GroupWords kTailWords{16};  // groups 16..18 of a line: characters 64..75

}  // namespace

bool base64_cpu_has_avx2() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

bool base64_cpu_has_avx512vbmi() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi");
}

SMTPCORE_TARGET_AVX2 std::size_t base64_groups_avx2(const std::uint8_t* p, std::size_t groups, char* out) noexcept {
    const __m256i perm = _mm256_setr_epi32(0, 1, 2, 0, 3, 4, 5, 0);
    std::size_t left = groups;
    // Full loads while 32 octets are there; the last block loads exactly 24.
    for (; left >= 8; left -= 8, p += 24, out += 32) {
        const __m256i raw = left >= 11 ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))
                                       : _mm256_maskload_epi32(reinterpret_cast<const int*>(p),
                                                               _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), encode24_avx2(raw, perm));
    }
    if (left >= 4) {  // 12 octets -> 16 characters, lane 0 only
        const __m256i raw =
            _mm256_maskload_epi32(reinterpret_cast<const int*>(p), _mm256_setr_epi32(-1, -1, -1, 0, 0, 0, 0, 0));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(encode24_avx2(raw, perm)));
        left -= 4;
    }
    return groups - left;
}

SMTPCORE_TARGET_AVX2 char* base64_lines_avx2(const std::uint8_t* p, std::size_t lines, char* out) noexcept {
    // A line is octets 0..23, 24..47 and 33..56 (the last block overlaps the
    // second by 12 characters, which it rewrites unchanged), so every load
    // stays inside the line's 57 octets. All loads precede the stores.
    const __m256i perm = _mm256_setr_epi32(0, 1, 2, 0, 3, 4, 5, 0);
    const __m256i perm_tail = _mm256_setr_epi32(2, 3, 4, 0, 5, 6, 7, 0);  // octets 8..31 of p + 25
    for (std::size_t i = 0; i < lines; ++i, p += kLineInput) {
        const __m256i r0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        const __m256i r1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 24));
        const __m256i r2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 25));
        const __m256i c0 = encode24_avx2(r0, perm);
        const __m256i c1 = encode24_avx2(r1, perm);
        const __m256i c2 = encode24_avx2(r2, perm_tail);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), c0);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32), c1);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 44), c2);
        out += 76;
        if (i + 1 < lines) {
            std::memcpy(out, "\r\n", 2);
            out += 2;
        }
    }
    return out;
}

SMTPCORE_TARGET_AVX512 std::size_t base64_groups_avx512vbmi(const std::uint8_t* p, std::size_t groups,
                                                            char* out) noexcept {
    const __m512i alphabet = _mm512_load_si512(kAlphabet64);
    const __m512i words = _mm512_load_si512(kHeadWords.idx);
    std::size_t left = groups;
    for (; left >= 16; left -= 16, p += 48, out += 64) {
        // A full 64-octet load while the input reaches that far, else exactly 48.
        const __m512i raw = left >= 22 ? _mm512_loadu_si512(p) : _mm512_maskz_loadu_epi8((1ull << 48) - 1, p);
        _mm512_storeu_si512(out, translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, words, raw), alphabet));
    }
    if (left > 0) {  // 1..15 groups: masked load and store of exactly their octets
        const __m512i raw = _mm512_maskz_loadu_epi8((1ull << (3 * left)) - 1, p);
        _mm512_mask_storeu_epi8(out, (1ull << (4 * left)) - 1,
                                translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, words, raw), alphabet));
    }
    return groups;
}

SMTPCORE_TARGET_AVX512 char* base64_lines_avx512vbmi(const std::uint8_t* p, std::size_t lines, char* out) noexcept {
    // A line is groups 0..15 (64 characters) and groups 16..18 (12), both
    // permuted out of one load of the line. Lines but the last load 64 octets
    // (7 of the next line, not yet overwritten: output so far ends before
    // this line's input) and store the 12 characters, CRLF and 2 bytes that
    // the next line's store overwrites; the last line loads exactly 57
    // octets and stores exactly 12 characters.
    if (lines == 0) return out;
    const __m512i alphabet = _mm512_load_si512(kAlphabet64);
    const __m512i head = _mm512_load_si512(kHeadWords.idx);
    const __m512i tail = _mm512_load_si512(kTailWords.idx);  // words 0..2 are used
    const __m512i crlf = _mm512_set1_epi16(0x0a0d);
    for (std::size_t i = 0; i + 1 < lines; ++i, p += kLineInput, out += 78) {
        const __m512i raw = _mm512_loadu_si512(p);
        const __m512i c0 = translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, head, raw), alphabet);
        __m512i c1 = translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, tail, raw), alphabet);
        c1 = _mm512_mask_blend_epi8(0x3000, c1, crlf);  // bytes 12, 13 = CR LF
        _mm512_storeu_si512(out, c0);
        // (maskz_extract: GCC 12 warns about _mm512_castsi512_si128's undefined operand.)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 64), _mm512_maskz_extracti32x4_epi32(0xf, c1, 0));
    }
    const __m512i raw = _mm512_maskz_loadu_epi8((1ull << kLineInput) - 1, p);
    const __m512i c0 = translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, head, raw), alphabet);
    const __m512i c1 = translate_avx512(_mm512_maskz_permutexvar_epi8(~0ull, tail, raw), alphabet);
    _mm512_storeu_si512(out, c0);
    _mm512_mask_storeu_epi8(out + 64, 0xfff, c1);
    return out + 76;
}

}  // namespace smtpcore::codec::detail

#endif  // SMTPCORE_BASE64_X86
