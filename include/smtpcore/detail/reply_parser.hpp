// smtpcore — incremental SMTP reply parser (RFC 5321 §4.2). Internal.
//
//   Reply-line     = *( Reply-code "-" [ textstring ] CRLF )
//                    Reply-code [ SP textstring ] CRLF
//   Reply-code     = %x32-35 %x30-35 %x30-39
//   textstring     = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII
//
// The parser streams: it holds no line buffer, only a few counters, and hands
// out the text of each line as pieces of the caller's input. So a reply of any
// length passes through a receive window of a few dozen bytes, and every
// bound (line length, lines per reply) is checked as bytes arrive.
//
// Deliberate leniency: text octets >= 0x80 are accepted (servers speaking
// SMTPUTF8 send UTF-8 text, RFC 6531 §3.7.4). Optional, off by default: a bare
// LF ends a line (Config::accept_bare_lf_in_replies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/config.hpp"
#include "smtpcore/error.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

class ReplyParser {
public:
    enum class Step : std::uint8_t {
        NeedMore,  ///< all input consumed, the reply is not complete
        Text,      ///< `text` holds the next piece of the current line's text
        LineEnd,   ///< a continuation line ended (more lines follow)
        ReplyEnd,  ///< the last line ended: the reply is complete
        Error,     ///< malformed or over a bound; see error()
    };

    void configure(const Limits& limits, bool bare_lf) noexcept {
        max_line_ = limits.reply_line;
        max_lines_ = limits.reply_lines;
        bare_lf_ = bare_lf;
    }

    /// Consumes input up to the next step; `used` is how many bytes of
    /// `in[0..n)` were taken. For Step::Text, `text` points into `in`.
    Step parse(const char* in, std::size_t n, std::size_t& used, std::string_view& text) noexcept;

    /// The reply code (valid from the first line's separator on).
    std::uint16_t code() const noexcept { return code_; }
    /// 0-based index of the line being parsed (during Text). After LineEnd
    /// it is already the index of the next line (the number of lines ended);
    /// after ReplyEnd it is the index of the reply's last line.
    std::uint16_t line() const noexcept { return line_; }
    /// True between replies (nothing of the next reply seen yet).
    bool idle() const noexcept {
        return state_ == State::Code0 && line_len_ == 0 && (line_ == 0 || last_);
    }
    Error error() const noexcept { return Error{error_kind_, error_reason_, "reply"}; }
    void reset() noexcept;

private:
    enum class State : std::uint8_t { Code0, Code1, Code2, Separator, Text, Cr, Failed };
    Step fail(ErrorKind kind, const char* reason) noexcept;
    Step end_line() noexcept;

    State state_ = State::Code0;
    bool last_ = false;
    bool bare_lf_ = false;
    std::uint16_t code_ = 0;
    std::uint16_t line_code_ = 0;
    std::uint16_t line_ = 0;
    std::uint16_t line_len_ = 0;
    std::uint16_t max_line_ = 512;
    std::uint16_t max_lines_ = 256;
    ErrorKind error_kind_ = ErrorKind::None;
    const char* error_reason_ = "";
};

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
