// Enhanced status codes (RFC 2034, RFC 3463): read at the front of every
// reply line. SMTPCORE_NO_ENHANCED_STATUS compiles the reading out (the
// minimal build, docs/footprint.md): events then carry no status and the
// code stays in the reply text.
#include "enhanced_status.hpp"

namespace smtpcore::detail {
#ifndef SMTPCORE_NO_ENHANCED_STATUS
namespace {

// Reads 1 to 3 digits at text[i]; returns false if there are none or more than 3.
bool read_number(std::string_view text, std::size_t& i, std::uint16_t& value) noexcept {
    const std::size_t start = i;
    value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (i - start == 3) return false;
        value = static_cast<std::uint16_t>(value * 10 + (text[i] - '0'));
        ++i;
    }
    return i > start;
}

}  // namespace
#endif

std::size_t parse_enhanced_status(std::string_view text, std::uint16_t reply_code,
                                  EnhancedStatus& out) noexcept {
    out = EnhancedStatus{};
#ifdef SMTPCORE_NO_ENHANCED_STATUS
    static_cast<void>(text);
    static_cast<void>(reply_code);
    return 0;
#else
    if (text.size() < 5) return 0;
    const char klass = text[0];
    if (klass != '2' && klass != '4' && klass != '5') return 0;
    if (klass - '0' != reply_code / 100 || text[1] != '.') return 0;
    std::size_t i = 2;
    std::uint16_t subject = 0, detail = 0;
    if (!read_number(text, i, subject) || i >= text.size() || text[i] != '.') return 0;
    ++i;
    if (!read_number(text, i, detail)) return 0;
    if (i < text.size() && text[i] != ' ') return 0;
    out = EnhancedStatus{static_cast<std::uint8_t>(klass - '0'), subject, detail};
    return i < text.size() ? i + 1 : i;
#endif
}

}  // namespace smtpcore::detail
