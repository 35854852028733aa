// smtpcore — quoted-printable (RFC 2045 §6.7), streaming, no heap.
//
// The MIME writer encodes text parts that arrive in pieces, so the encoder
// keeps the little state quoted-printable needs across calls: the output
// column (for soft line breaks), a whitespace octet whose fate depends on
// what follows it (rule 3), and whether the last input octet was a CR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace smtpcore::codec {

class QpEncoder {
public:
    enum class Mode : std::uint8_t {
        /// Input is text: CRLF, a bare LF and a bare CR are all line breaks and
        /// come out as a hard CRLF (RFC 2045 §6.7 rule 4; canonical form, RFC 2049 §4).
        Text,
        /// Input is arbitrary octets: CR and LF are encoded as =0D and =0A, so
        /// decoding gives back exactly the input.
        Binary,
    };
    /// Longest encoded line, not counting CRLF (rule 5: at most 76 with the "=").
    static constexpr std::size_t kLineChars = 76;

    explicit QpEncoder(Mode mode = Mode::Text) noexcept : mode_(mode) {}

    /// Encodes `n` octets; returns characters written (at most max_output(n)).
    /// In-place use like Base64LineEncoder: `out` may lie below `in` in the
    /// same buffer when the output of this call plus finish() ends before in + n.
    std::size_t update(const void* in, std::size_t n, char* out) noexcept;
    /// Ends the data: a pending trailing space or tab is encoded (rule 3).
    /// Writes at most 6 characters.
    std::size_t finish(char* out) noexcept;
    /// Upper bound of update()'s output for `n` more octets: 3 per octet plus
    /// a soft break "=\r\n" per 25 octets (at worst 75 chars per line) plus
    /// what a held whitespace octet may still add.
    static constexpr std::size_t max_output(std::size_t n) noexcept {
        return 3 * n + 3 * (n / 25 + 1) + 9;
    }
    /// Largest input whose update()+finish() output fits in `room` characters.
    static constexpr std::size_t input_for(std::size_t room) noexcept {
        return room <= 24 ? 0 : (room - 24) * 25 / 78;
    }

private:
    using RunSearch = std::size_t (*)(const std::uint8_t*, std::size_t) noexcept;
    char* encode_octet(std::uint8_t c, char* o) noexcept;
    char* emit_run(const std::uint8_t* p, std::size_t run, char* o) noexcept;
    std::size_t update_runs(const std::uint8_t* p, std::size_t n, char* out, RunSearch search) noexcept;
    char* soft_break_before(std::size_t width, char* o) noexcept;
    char* emit_literal(char c, char* o) noexcept;
    char* emit_escaped(std::uint8_t c, char* o) noexcept;
    char* hard_break(char* o) noexcept;

    Mode mode_;
    std::uint8_t column_ = 0;
    char held_ws_ = 0;        // a space or tab not yet known to end a line
    bool after_cr_ = false;   // last octet was CR: a following LF belongs to it
};

/// Decodes quoted-printable `text` into `out` (capacity `cap`): "=XX" (either
/// case), soft breaks "=\r\n" (and "=\n"), other octets as they are.
/// Returns octets written, or -1 on a malformed escape or when `cap` is too small.
long qp_decode(std::string_view text, void* out, std::size_t cap) noexcept;

}  // namespace smtpcore::codec
