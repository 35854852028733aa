// smtpcore — EHLO keyword parser (RFC 5321 §4.1.1.1). Internal.
//
//   ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//               / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                   *( "250-" ehlo-line CRLF )
//                   "250" SP ehlo-line CRLF )
//   ehlo-line   = ehlo-keyword *( SP ehlo-param )
//   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//
// Fed the text of every line after the first, in pieces, so it keeps only the
// current token (SASL mechanism names are at most 20 characters, RFC 4422
// §3.1; a longer token cannot be one we know and is skipped). Keywords are
// case-insensitive. Deliberate leniency: the pre-standard "AUTH=LOGIN PLAIN"
// form is read as AUTH (some servers still send it for old Outlook clients).
#pragma once

#include <cstdint>
#include <string_view>

#include "smtpcore/capabilities.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

class CapabilityParser {
public:
    void begin_line() noexcept;
    void text(Capabilities& caps, std::string_view piece) noexcept;
    void end_line(Capabilities& caps) noexcept;

private:
    enum class Keyword : std::uint8_t { None, Auth, Size, Other };
    void end_token(Capabilities& caps) noexcept;

    static constexpr std::uint8_t kTokenMax = 20;
    char token_[kTokenMax];
    std::uint8_t len_ = 0;
    bool overflow_ = false;
    std::uint16_t index_ = 0;  // token number within the line
    Keyword keyword_ = Keyword::None;
};

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
