// smtpcore — base64 (RFC 4648 §4), streaming, no heap.
//
// Used by SASL (RFC 4954: one unwrapped base64 line per response) and by the
// MIME writer (RFC 2045 §6.8: 76-column lines). Both need to encode data that
// arrives in pieces, so the encoder carries up to two pending input octets
// between calls.
//
// On x86-64 the bulk of the encoding runs in AVX2 or AVX-512 VBMI kernels
// chosen once at run time (lib/codec/base64_simd.cpp); the output is the
// same octet for octet, and everything below holds for every implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::codec {

/// Exact encoded length of `n` input octets (no line breaks, with padding).
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept { return (n + 2) / 3 * 4; }

/// Encodes `n` octets in one go into `out` (which holds base64_encoded_size(n)).
/// Returns the number of characters written.
std::size_t base64_encode(const void* in, std::size_t n, char* out) noexcept;

/// Streaming encoder without line breaks: feed pieces, then finish().
/// The output of any split of the input equals the one-shot encoding.
class Base64Encoder {
public:
    /// Encodes `n` octets; writes at most base64_encoded_size(pending + n)
    /// characters (callers reserve `max_output(n)`). Returns characters written.
    std::size_t update(const void* in, std::size_t n, char* out) noexcept;
    /// Flushes the pending 1–2 octets with padding; writes at most 4 characters.
    std::size_t finish(char* out) noexcept;
    /// Upper bound of update()'s output for `n` more input octets.
    std::size_t max_output(std::size_t n) const noexcept {
        return (pending_ + n) / 3 * 4;
    }

private:
    std::uint8_t carry_[2] = {0, 0};
    std::uint8_t pending_ = 0;
};

/// Streaming MIME base64 (RFC 2045 §6.8): lines of exactly 76 characters
/// separated by CRLF. A line break is written only when another character
/// follows, so the output never ends in CRLF (the MIME delimiter or the
/// writer supplies the final one) and holds no empty line.
///
/// In-place use: `out` may point at or below `in` in the same buffer provided
/// `in - out >= 8` and the whole output (max_output) ends at or before
/// `in + n` — the writer reads the caller's window tail and encodes forward.
class Base64LineEncoder {
public:
    static constexpr std::size_t kLineChars = 76;

    /// Encodes `n` octets; returns characters written (≤ max_output(n)).
    std::size_t update(const void* in, std::size_t n, char* out) noexcept;
    /// Flushes the last 1–2 octets with padding; writes at most 6 characters.
    std::size_t finish(char* out) noexcept;
    /// Upper bound of update()'s output for `n` more input octets.
    std::size_t max_output(std::size_t n) const noexcept {
        const std::size_t chars = (pending_ + n) / 3 * 4;
        return chars + 2 * ((column_ + chars) / kLineChars + 1);
    }
    /// Largest input that update()+finish() turn into at most `room` characters.
    static std::size_t input_for(std::size_t room) noexcept {
        // 57 input octets make one 76-char line + CRLF; 16 covers the carry,
        // the partial first line and finish().
        return room < 16 + 78 ? (room > 24 ? (room - 24) / 2 : 0) : (room - 16) / 78 * 57;
    }

private:
    std::uint8_t carry_[2] = {0, 0};
    std::uint8_t pending_ = 0;
    std::uint8_t column_ = 0;  // characters on the current line, a multiple of 4
};

/// Checks that `text` is valid base64 (RFC 4648 alphabet, correct padding, no
/// white space) and returns the decoded length, or -1 when it is not.
long base64_validate(std::string_view text) noexcept;

/// Decodes valid base64 `text` into `out` (capacity `cap`). Returns the number
/// of octets written, or -1 when the text is not valid base64 or `cap` is too small.
long base64_decode(std::string_view text, void* out, std::size_t cap) noexcept;

}  // namespace smtpcore::codec
SMTPCORE_END_PUBLIC
