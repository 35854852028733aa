// Envelope address checks. The point is safety first (no byte of an address
// can end a command line or open a new one), then the RFC 5321 grammar.
#include "address.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "control_octets.hpp"
#include "smtpcore/codec/address_syntax.hpp"
#include "reason.hpp"

namespace smtpcore::detail {

using namespace std::string_view_literals;  // "postmaster"sv: no strlen() at run time (commands.cpp)
namespace {

#if defined(SMTPCORE_SMALL_CODE) && !defined(SMTPCORE_NO_ADDRESS_GRAMMAR)
bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }
#endif

bool equals_nocase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

}  // namespace

#if defined(SMTPCORE_NO_ADDRESS_GRAMMAR)
// Built without the RFC 5321 grammar (docs/footprint.md): only the checks that
// keep an address inside its command line remain. No octet that could end the
// line (CR, LF, NUL), start a parameter (space) or close the path ('<', '>'),
// no control octet, 8-bit octets only with SMTPUTF8, and the length limits of
// RFC 5321 §4.5.3.1. Stricter than the grammar on one point: a quoted local
// part with a space in it is refused.
namespace {
const char* unsafe_octet(std::string_view text, bool utf8) noexcept {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '<' || c == '>')
            return SMTPCORE_REASON("address or client name contains a control character, a space, '<' or '>'");
        if (u >= 0x80 && !utf8) return SMTPCORE_REASON("address is not ASCII (needs SMTPUTF8)");
    }
    return nullptr;
}
}  // namespace

const char* check_mailbox(std::string_view m, bool utf8, bool postmaster_ok) noexcept {
    if (const char* why = unsafe_octet(m, utf8)) return why;
    if (m.empty()) return SMTPCORE_REASON("address is empty");
    if (m.size() > 254) return SMTPCORE_REASON("address longer than 254 octets (RFC 5321 §4.5.3.1.3)");
    if (postmaster_ok && equals_nocase(m, "postmaster"sv)) return nullptr;
    const std::size_t at = m.rfind('@');
    if (at == std::string_view::npos) return SMTPCORE_REASON("address has no '@'");
    if (at == 0 || at > 64) return SMTPCORE_REASON("local part empty or longer than 64 octets");
    if (at + 1 == m.size()) return SMTPCORE_REASON("malformed domain");
    return nullptr;
}

const char* check_client_name(std::string_view name) noexcept {
    if (name.empty()) return SMTPCORE_REASON("client name is empty");
    if (name.size() > 255) return SMTPCORE_REASON("client name longer than 255 octets");
    return unsafe_octet(name, false);
}
#else
const char* check_mailbox(std::string_view m, bool utf8, bool postmaster_ok) noexcept {
    // Safety before grammar, so the reason names the dangerous byte.
#if !defined(SMTPCORE_SMALL_CODE)
    // Full builds first look at every octet without a branch per octet (a
    // control octet or DEL, an octet >= 0x80), eight at a time, and name the
    // dangerous byte only when there is one; tests/unit/test_address_differential.cpp
    // holds this to the same verdicts as the loop below.
    std::uint64_t control = 0, high_seen = 0;
    std::size_t i = 0;
    for (; i + 8 <= m.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, m.data() + i, 8);
        high_seen |= x & kTopBits;
        control |= control_octets(x);
    }
    for (; i < m.size(); ++i) {
        const auto u = static_cast<unsigned char>(m[i]);
        control |= static_cast<unsigned>(u < 0x20) | static_cast<unsigned>(u == 0x7f);
        high_seen |= u >> 7;
    }
    if (control != 0)
#endif
    for (const char c : m) {
        if (c == '\r' || c == '\n') return SMTPCORE_REASON("address contains CR or LF");
        if (c == '\0') return SMTPCORE_REASON("address contains NUL");
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return SMTPCORE_REASON("address contains a control character");
    }
    if (m.empty()) return SMTPCORE_REASON("address is empty");
    if (m.size() > 254) return SMTPCORE_REASON("address longer than 254 octets (RFC 5321 §4.5.3.1.3)");
    if (postmaster_ok && equals_nocase(m, "postmaster"sv)) return nullptr;
    const std::size_t at = m.rfind('@');
    if (at == std::string_view::npos) return SMTPCORE_REASON("address has no '@'");
    const std::string_view local(m.data(), at);
    const std::string_view domain(m.data() + at + 1, m.size() - at - 1);
#if !defined(SMTPCORE_SMALL_CODE)
    const bool high = high_seen != 0;
#else
    bool high = false;
    for (const char c : m) high = high || is_high(c);
#endif
    if (high && !utf8) return SMTPCORE_REASON("address is not ASCII (needs SMTPUTF8)");
    if (local.empty() || local.size() > 64) return SMTPCORE_REASON("local part empty or longer than 64 octets");
    if (!codec::is_dot_string(local, utf8) && !codec::is_quoted_string(local, utf8)) return SMTPCORE_REASON("malformed local part");
    if (domain.size() > 255 || !codec::is_domain(domain, utf8)) return SMTPCORE_REASON("malformed domain");
    return nullptr;
}

const char* check_client_name(std::string_view name) noexcept {
    if (name.empty()) return SMTPCORE_REASON("client name is empty");
    if (name.size() > 255) return SMTPCORE_REASON("client name longer than 255 octets");
    return codec::is_domain(name, false) ? nullptr : SMTPCORE_REASON("client name is neither a domain nor an address literal");
}
#endif

}  // namespace smtpcore::detail
