// Incremental reply parser; grammar and leniencies in reply_parser.hpp.
#include "smtpcore/detail/reply_parser.hpp"
#include "reason.hpp"

#if !defined(SMTPCORE_SMALL_CODE)
#include <cstdint>
#include <cstring>

#include "control_octets.hpp"
#endif

namespace smtpcore::detail {
namespace {

// RFC 5321 §4.2 textstring: HT and 32..126; DEL is a control character too
// (octets over 127 pass, for SMTPUTF8 servers).
bool ends_text(unsigned char u) noexcept { return (u < 0x20 && u != '\t') || u == 0x7f; }

// The end of the run of text octets in in[from, n).
std::size_t text_run_end(const char* in, std::size_t from, std::size_t n) noexcept {
    std::size_t end = from;
#if !defined(SMTPCORE_SMALL_CODE)
    // Full builds test eight octets at a time (SWAR, control_octets.hpp);
    // a word with a candidate (usually the CR, sometimes a HT) stops there.
    while (end + 8 <= n) {
        std::uint64_t x;
        std::memcpy(&x, in + end, 8);
        const std::uint64_t candidates = control_octets(x);
        if (candidates == 0) {
            end += 8;
            continue;
        }
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        // The lowest flagged octet is a real candidate (a borrow only flags
        // octets above a real one): the CR, or a HT to step over.
        end += static_cast<std::size_t>(__builtin_ctzll(candidates)) / 8;
        if (in[end] != '\t') return end;
        ++end;
#else
        const std::size_t word_end = end + 8;
        while (end < word_end && !ends_text(static_cast<unsigned char>(in[end]))) ++end;
        if (end < word_end) return end;
#endif
    }
#endif
    while (end < n && !ends_text(static_cast<unsigned char>(in[end]))) ++end;
    return end;
}

#if !defined(SMTPCORE_SMALL_CODE)
bool in_range(char c, char lo, char hi) noexcept { return c >= lo && c <= hi; }
#endif

}  // namespace

void ReplyParser::reset() noexcept {
    const std::uint16_t max_line = max_line_;
    const std::uint16_t max_lines = max_lines_;
    const bool bare_lf = bare_lf_;
    *this = ReplyParser();
    max_line_ = max_line;
    max_lines_ = max_lines;
    bare_lf_ = bare_lf;
}

ReplyParser::Step ReplyParser::fail(ErrorKind kind, const char* reason) noexcept {
    state_ = State::Failed;
    error_kind_ = kind;
    error_reason_ = reason;
    return Step::Error;
}

ReplyParser::Step ReplyParser::end_line() noexcept {
    // The line is complete (CRLF seen). Count it against the reply's bound.
    ++line_;
    if (line_ > max_lines_) return fail(ErrorKind::LimitExceeded, SMTPCORE_REASON("reply has too many lines"));
    line_len_ = 0;
    state_ = State::Code0;
    if (!last_) return Step::LineEnd;
    --line_;  // report the index of the line that just ended
    return Step::ReplyEnd;
}

ReplyParser::Step ReplyParser::parse(const char* in, std::size_t n, std::size_t& used,
                                     std::string_view& text) noexcept {
    used = 0;
    if (state_ == State::Failed) return Step::Error;
    // A new reply starts after ReplyEnd: forget the previous one's line count.
    if (state_ == State::Code0 && line_len_ == 0 && last_) {
        last_ = false;
        line_ = 0;
    }
    // Octets allowed before CRLF (the bound counts CRLF, §4.5.3.1.5).
    const std::uint16_t max_before_crlf = static_cast<std::uint16_t>(max_line_ - 2);

    while (used < n) {
#if !defined(SMTPCORE_SMALL_CODE)
        // Full builds take a whole well-formed "ddd " or "ddd-" (the same
        // code as the lines before it) in one step; anything else, or a line
        // start split across reads, goes through the states one octet at a
        // time below, which also name what is wrong.
        if (state_ == State::Code0 && n - used >= 4) {
            const char* p = in + used;
            const std::uint16_t code = static_cast<std::uint16_t>((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
            if (in_range(p[0], '2', '5') && in_range(p[1], '0', '5') && in_range(p[2], '0', '9') &&
                (p[3] == ' ' || p[3] == '-') && (line_ == 0 || code == code_)) {
                line_code_ = code;
                code_ = code;
                last_ = p[3] == ' ';
                state_ = State::Text;
                line_len_ = static_cast<std::uint16_t>(line_len_ + 4);
                used += 4;
                continue;
            }
        }
#endif
        const char c = in[used];
        switch (state_) {
        case State::Code0:
        case State::Code1:
        case State::Code2: {
            // Reply-code = %x32-35 %x30-35 %x30-39
            const char lo = state_ == State::Code0 ? '2' : '0';
            const char hi = state_ == State::Code0 ? '5' : state_ == State::Code1 ? '5' : '9';
            if (c < lo || c > hi) {
                if (c == '\0') return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("NUL in reply"));
                return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("malformed reply code"));
            }
            line_code_ = static_cast<std::uint16_t>(
                (state_ == State::Code0 ? 0 : line_code_ * 10) + (c - '0'));
            state_ = state_ == State::Code0 ? State::Code1
                     : state_ == State::Code1 ? State::Code2
                                              : State::Separator;
            ++line_len_;
            ++used;
            break;
        }
        case State::Separator:
            if (c == '-' || c == ' ') {
                last_ = c == ' ';
                state_ = State::Text;
            } else if (c == '\r') {
                last_ = true;  // SMTPCORE_REASON("Reply-code CRLF"): text is optional
                state_ = State::Cr;
            } else if (c == '\n' && bare_lf_) {
                last_ = true;
            } else {
                return fail(ErrorKind::PeerViolation, c == '\0' ? SMTPCORE_REASON("NUL in reply")
                                                                : SMTPCORE_REASON("malformed reply: no SP or '-' after the code"));
            }
            // Every line of a multi-line reply carries the same code (§4.2.1).
            if (line_ == 0) {
                code_ = line_code_;
            } else if (line_code_ != code_) {
                return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("multi-line reply changed its code"));
            }
            ++line_len_;
            ++used;
            if (c == '\n') return end_line();
            break;
        case State::Text: {
            // Hand out the longest run of text octets in one piece.
            const std::size_t end = text_run_end(in, used, n);
            if (end > used) {
                const std::size_t run = end - used;
                if (line_len_ + run > max_before_crlf)
                    return fail(ErrorKind::LimitExceeded, SMTPCORE_REASON("reply line longer than the limit (512 octets by default)"));
                line_len_ = static_cast<std::uint16_t>(line_len_ + run);
                text = std::string_view(in + used, run);
                used = end;
                return Step::Text;
            }
            if (c == '\r') {
                state_ = State::Cr;
                ++used;
            } else if (c == '\n' && bare_lf_) {
                ++used;
                return end_line();
            } else if (c == '\n') {
                return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("bare LF in reply"));
            } else if (c == '\0') {
                return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("NUL in reply"));
            } else {
                return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("control character in reply"));
            }
            break;
        }
        case State::Cr:
            if (c != '\n') return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("bare CR in reply"));
            ++used;
            return end_line();
        case State::Failed:
            return Step::Error;
        }
    }
    return Step::NeedMore;
}

}  // namespace smtpcore::detail
