// Incremental reply parser; grammar and leniencies in reply_parser.hpp.
#include "smtpcore/detail/reply_parser.hpp"
#include "reason.hpp"

namespace smtpcore::detail {

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
            std::size_t end = used;
            while (end < n) {
                const auto u = static_cast<unsigned char>(in[end]);
                // RFC 5321 §4.2 textstring: HT and 32..126; DEL is a control
                // character too (octets over 127 pass, for SMTPUTF8 servers).
                if ((u < 0x20 && u != '\t') || u == 0x7f) break;
                ++end;
            }
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
