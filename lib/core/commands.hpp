// Command lines (RFC 5321 §4.1.1, §4.1.2). Internal.
//
// Every builder runs twice: once with out == nullptr to measure, once to
// write, so the engine reserves exactly the bytes a line needs. Arguments
// were checked at submit() or construction: nothing here can end a line early.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/capabilities.hpp"
#include "smtpcore/envelope.hpp"

namespace smtpcore::detail {

class LineBuilder {
public:
    explicit LineBuilder(char* out) noexcept : out_(out) {}
    LineBuilder& put(std::string_view s) noexcept { return put(s.data(), s.size()); }
    /// A literal: its length is known at compile time (no strlen() at run
    /// time), and no string_view temporary takes a stack slot per call.
    template <std::size_t N>
    LineBuilder& put(const char (&s)[N]) noexcept { return put(s, N - 1); }
    LineBuilder& put(const char* s, std::size_t n) noexcept;
    LineBuilder& put_decimal(std::uint64_t v) noexcept;
    std::size_t size() const noexcept { return size_; }
    /// Where the next octet goes (nullptr while measuring), and how many an
    /// encoder wrote there: for values encoded in place (xtext).
    char* cursor() const noexcept { return out_ != nullptr ? out_ + size_ : nullptr; }
    void advance(std::size_t n) noexcept { size_ += n; }

private:
    char* out_;
    std::size_t size_ = 0;
};

/// "MAIL FROM:<path>" [SP "SIZE=" n] [SP "BODY=8BITMIME"] [SP "SMTPUTF8"]
/// [SP "RET=" ...] [SP "ENVID=" xtext] [SP "REQUIRETLS"] CRLF
/// (no space after the colon: §4.1.2 and strict servers insist). SIZE and
/// the DSN parameters only when `caps` offers them.
std::size_t mail_command(const Envelope& env, const Capabilities& caps, char* out) noexcept;
/// "RCPT TO:<path>" [SP "NOTIFY=" ...] [SP "ORCPT=" type ";" xtext] CRLF for
/// recipient `index` (DSN parameters only when `caps` offers DSN).
std::size_t rcpt_command(const Envelope& env, std::size_t index, const Capabilities& caps, char* out) noexcept;
/// "BDAT n" [SP "LAST"] CRLF (RFC 3030 §2); at most kBdatLineMax octets.
std::size_t bdat_command(std::uint32_t size, bool last, char* out) noexcept;
constexpr std::size_t kBdatLineMax = 22;  // "BDAT 4294967295 LAST" CRLF
/// A verb with an optional argument: "EHLO name" CRLF, "DATA" CRLF, ...
std::size_t simple_command(std::string_view verb, std::string_view argument, char* out) noexcept;

}  // namespace smtpcore::detail
