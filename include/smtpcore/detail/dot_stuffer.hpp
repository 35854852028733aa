// smtpcore — DATA transparency (RFC 5321 §4.5.2) as a streaming filter. Internal.
//
// Writes message content as it must appear on the wire:
//  - every line ends in CRLF: a bare CR or a bare LF becomes CRLF, so no
//    receiver can be tricked into seeing a different end of data (SMTP
//    smuggling, CVE-2023-51764/51765/51766);
//  - a line that starts with "." gets one more "." (§4.5.2);
//  - finish() ends an unterminated last line and adds "." CRLF once.
// The output does not depend on how the input was split into pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include "smtpcore/detail/text_run.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

class DotStuffer {
public:
    /// RFC 5321 §4.5.3.1.6: 1000 octets with CRLF, not counting a stuffed dot.
    static constexpr std::uint16_t kMaxLine = 998;

    /// Upper bound of stuff()'s output for n input bytes.
    static constexpr std::size_t max_output(std::size_t n) noexcept { return 2 * n + 2; }
    /// Output of finish() is at most this long.
    static constexpr std::size_t kFinishMax = 5;

    /// Filters in[0..n) into out. `out` may overlap `in` provided that
    /// out + max_output(k) <= in + k + 1 for every k <= n (the body window
    /// sits in the upper part of the send buffer's free space, see client.cpp).
    /// Stops at a line over kMaxLine octets: line_too_long() then says so and
    /// the remaining input is not used. Returns the bytes written.
    std::size_t stuff(const char* in, std::size_t n, char* out) noexcept;
    std::size_t finish(char* out) noexcept;

    bool line_too_long() const noexcept { return too_long_; }
    void reset() noexcept { *this = DotStuffer(); }
#ifndef SMTPCORE_NO_CHUNKING
    /// BDAT content (RFC 3030 §2): line ends are still made CRLF and the line
    /// limit holds, but no dot is doubled and finish() is not used.
    void reset_without_dots() noexcept {
        *this = DotStuffer();
        dots_ = false;
    }
#endif
    /// Ends an unterminated last line: writes 0 or 2 octets (CRLF).
    std::size_t end_line(char* out) noexcept;

private:
    bool at_line_start_ = true;
    bool pending_cr_ = false;
    bool too_long_ = false;
    bool dots_ = true;  // false for BDAT content
    std::uint16_t line_len_ = 0;
};

#if defined(SMTPCORE_TEXT_RUN_SSE2)
#define SMTPCORE_DOT_STUFFER_KERNELS 1
/// x86 only: the loop stuff() copies unchanged text with (text_run.hpp).
TextKernel stuff_kernel() noexcept;
/// Returns false, and changes nothing, when the CPU lacks the kernel.
bool select_stuff_kernel(TextKernel kernel) noexcept;
#endif

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
