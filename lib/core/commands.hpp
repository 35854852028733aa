// Command lines (RFC 5321 §4.1.1, §4.1.2). Internal.
//
// A builder runs with out == nullptr to measure, then again to write, so the
// engine reserves exactly the bytes a line needs; or once into the free room
// with a bound (LineBuilder::written() says whether the whole line is there).
// Arguments were checked at submit() or construction: nothing here can end a
// line early.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/capabilities.hpp"
#include "smtpcore/envelope.hpp"

namespace smtpcore::detail {

class LineBuilder {
public:
    static constexpr std::size_t kUnbounded = static_cast<std::size_t>(-1);
#if defined(SMTPCORE_SMALL_CODE)
    // Such builds measure every line before they write it (transaction.cpp),
    // so no bound is ever given: the checks of it are compiled out.
    static constexpr bool kBounded = false;
#else
    static constexpr bool kBounded = true;
#endif
#if defined(SMTPCORE_SMALL_CODE)
    /// Writes to `out` (nullptr: measures only); size() is the line's length.
    explicit LineBuilder(char* out) noexcept : out_(out), room_(kUnbounded) {}
#else
    /// Writes to `out` (nullptr: measures only) what fits in `room` octets;
    /// size() is the whole line's length either way.
    explicit LineBuilder(char* out, std::size_t room = kUnbounded) noexcept
        : out_(out), room_(out != nullptr ? room : 0) {}
#endif
    LineBuilder& put(std::string_view s) noexcept { return put(s.data(), s.size()); }
    /// A literal: its length is known at compile time (no strlen() at run
    /// time), and no string_view temporary takes a stack slot per call.
    template <std::size_t N>
    LineBuilder& put(const char (&s)[N]) noexcept { return put(s, N - 1); }
    LineBuilder& put(const char* s, std::size_t n) noexcept;
    LineBuilder& put_decimal(std::uint64_t v) noexcept;
    std::size_t size() const noexcept { return size_; }
    /// The whole line is at `out`: every piece fitted and none was left to
    /// an encoder that could only measure.
    bool written() const noexcept { return out_ != nullptr && complete_ && (!kBounded || size_ <= room_); }
    /// Where the next octet goes (nullptr while measuring), and how many an
    /// encoder wrote there: for values encoded in place (xtext). A bounded
    /// builder cannot tell an encoder its room, so the encoder measures only
    /// and the line is not written().
    char* cursor() noexcept {
        if (out_ == nullptr) return nullptr;
        if (kBounded && room_ != kUnbounded) {
            complete_ = false;
            return nullptr;
        }
        return out_ + size_;
    }
    void advance(std::size_t n) noexcept { size_ += n; }

private:
    char* out_;
    std::size_t room_;
    std::size_t size_ = 0;
    bool complete_ = true;
};

/// "MAIL FROM:<path>" [SP "SIZE=" n] [SP "BODY=8BITMIME"] [SP "SMTPUTF8"]
/// [SP "RET=" ...] [SP "ENVID=" xtext] [SP "REQUIRETLS"] CRLF
/// (no space after the colon: §4.1.2 and strict servers insist). SIZE and
/// the DSN parameters only when `caps` offers them.
void put_mail_command(LineBuilder& line, const Envelope& env, const Capabilities& caps) noexcept;
inline std::size_t mail_command(const Envelope& env, const Capabilities& caps, char* out) noexcept {
    LineBuilder line(out);
    put_mail_command(line, env, caps);
    return line.size();
}
/// "RCPT TO:<path>" [SP "NOTIFY=" ...] [SP "ORCPT=" type ";" xtext] CRLF for
/// recipient `index` (DSN parameters only when `caps` offers DSN).
void put_rcpt_command(LineBuilder& line, const Envelope& env, std::size_t index, const Capabilities& caps) noexcept;
inline std::size_t rcpt_command(const Envelope& env, std::size_t index, const Capabilities& caps, char* out) noexcept {
    LineBuilder line(out);
    put_rcpt_command(line, env, index, caps);
    return line.size();
}
/// "BDAT n" [SP "LAST"] CRLF (RFC 3030 §2); at most kBdatLineMax octets.
std::size_t bdat_command(std::uint32_t size, bool last, char* out) noexcept;
constexpr std::size_t kBdatLineMax = 22;  // "BDAT 4294967295 LAST" CRLF
/// bdat_command()'s length, counted without building the line (and without
/// a division: small builds have no divide instruction).
constexpr std::size_t bdat_line_size(std::uint32_t size, bool last) noexcept {
    std::size_t digits = 1;
    for (std::uint32_t power = 10; digits < 10 && size >= power; power *= 10) ++digits;
    return 5 + digits + (last ? 5 : 0) + 2;  // "BDAT " digits [" LAST"] CRLF
}
/// A verb with an optional argument: "EHLO name" CRLF, "DATA" CRLF, ...
std::size_t simple_command(std::string_view verb, std::string_view argument, char* out) noexcept;

}  // namespace smtpcore::detail
