// The envelope address checks against the validator they replaced.
//
// Full builds check addresses with a class table and a branch-free first pass
// (lib/codec/address_syntax.cpp, lib/core/address.cpp); small builds keep the
// original predicates. `reference` below is that original code, kept here
// verbatim, and every verdict (and every reason text) must be the same on
// hostile and random input.
#include <doctest/doctest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

#include "address.hpp"
#include "smtpcore/codec/address_syntax.hpp"

namespace reference {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }

bool is_atext(char c, bool utf8) {
    if (is_alnum(c)) return true;
    if (is_high(c)) return utf8;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
        return true;
    default:
        return false;
    }
}

bool is_dot_string(std::string_view s, bool utf8) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char prev = 0;
    for (const char c : s) {
        if (c == '.') {
            if (prev == '.') return false;
        } else if (!is_atext(c, utf8)) {
            return false;
        }
        prev = c;
    }
    return true;
}

bool is_quoted_string(std::string_view s, bool utf8) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\') {
            if (i + 2 >= s.size()) return false;
            const char q = s[++i];
            if (q < 32 || q > 126) return false;
        } else if (c == '"') {
            return false;
        } else if (!((c >= 32 && c <= 126) || (utf8 && is_high(c)))) {
            return false;
        }
    }
    return true;
}

bool is_domain(std::string_view d, bool utf8) {
    if (d.empty()) return false;
    if (d.front() == '[') {
        if (d.size() < 3 || d.back() != ']') return false;
        for (std::size_t i = 1; i + 1 < d.size(); ++i) {
            const char c = d[i];
            if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']') return false;
        }
        return true;
    }
    std::size_t label = 0;
    char prev = '.';
    for (const char c : d) {
        if (c == '.') {
            if (label == 0 || prev == '-') return false;
            label = 0;
        } else if (is_alnum(c) || (utf8 && is_high(c)) || (c == '-' && label > 0)) {
            if (++label > 63) return false;
        } else {
            return false;
        }
        prev = c;
    }
    return label > 0 && prev != '-';
}

bool equals_nocase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// The reasons as the engine spells them (SMTPCORE_REASON is the text itself
// in this build).
const char* check_mailbox(std::string_view m, bool utf8, bool postmaster_ok) {
    for (const char c : m) {
        if (c == '\r' || c == '\n') return "address contains CR or LF";
        if (c == '\0') return "address contains NUL";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "address contains a control character";
    }
    if (m.empty()) return "address is empty";
    if (m.size() > 254) return "address longer than 254 octets (RFC 5321 §4.5.3.1.3)";
    if (postmaster_ok && equals_nocase(m, "postmaster")) return nullptr;
    const std::size_t at = m.rfind('@');
    if (at == std::string_view::npos) return "address has no '@'";
    const std::string_view local(m.data(), at);
    const std::string_view domain(m.data() + at + 1, m.size() - at - 1);
    bool high = false;
    for (const char c : m) high = high || is_high(c);
    if (high && !utf8) return "address is not ASCII (needs SMTPUTF8)";
    if (local.empty() || local.size() > 64) return "local part empty or longer than 64 octets";
    if (!is_dot_string(local, utf8) && !is_quoted_string(local, utf8)) return "malformed local part";
    if (domain.size() > 255 || !is_domain(domain, utf8)) return "malformed domain";
    return nullptr;
}

}  // namespace reference

namespace {

std::string verdict(const char* reason) { return reason == nullptr ? std::string("(accepted)") : std::string(reason); }

// Every check, both modes, against the reference; returns the number of
// disagreements (each one also reported with the input).
int compare_all(std::string_view s) {
    int differences = 0;
    for (const bool utf8 : {false, true}) {
        for (const bool postmaster : {false, true}) {
            const std::string got = verdict(smtpcore::detail::check_mailbox(s, utf8, postmaster));
            const std::string want = verdict(reference::check_mailbox(s, utf8, postmaster));
            if (got != want) {
                ++differences;
                CAPTURE(s);
                CAPTURE(utf8);
                CAPTURE(postmaster);
                CHECK(got == want);
            }
        }
        const bool agree = smtpcore::codec::is_dot_string(s, utf8) == reference::is_dot_string(s, utf8) &&
                           smtpcore::codec::is_quoted_string(s, utf8) == reference::is_quoted_string(s, utf8) &&
                           smtpcore::codec::is_domain(s, utf8) == reference::is_domain(s, utf8);
        if (!agree) {
            ++differences;
            CAPTURE(s);
            CAPTURE(utf8);
            CHECK(agree);
        }
    }
    return differences;
}

}  // namespace

TEST_CASE("address differential: every octet is classified as before") {
    for (int c = 0; c < 256; ++c) {
        for (const bool utf8 : {false, true}) {
            CAPTURE(c);
            CAPTURE(utf8);
            CHECK(smtpcore::codec::is_atext(static_cast<char>(c), utf8) == reference::is_atext(static_cast<char>(c), utf8));
        }
        // Each octet alone and in every part of an address.
        const std::string o(1, static_cast<char>(c));
        for (const std::string& s : {o, o + "@example.org", "a" + o + "b@example.org", "a@ex" + o + "ample.org",
                                     "a@" + o, "\"a" + o + "b\"@example.org", "a@[1" + o + "2]", o + o + "@" + o + o})
            CHECK(compare_all(s) == 0);
    }
}

TEST_CASE("address differential: hostile input") {
    const std::string label63(63, 'a'), label64(64, 'a'), local64(64, 'x'), local65(65, 'x');
    const std::string hostile[] = {
        "", "@", "@@", ".", "a@", "@b", "a@b", "a.@b", ".a@b", "a..b@c", "a@b.", "a@.b", "a@b..c", "a@-b", "a@b-",
        "a@b-.c", "a@b.-c", "a@b--c", "a@[]", "a@[", "a@]", "a@[1]", "a@[[1]]", "a@[1\\]", "a@[IPv6:2001:db8::1]",
        "\"\"@b", "\"@b", "\"a\\\"@b", "\"a\\\\\"@b", "\"a\\\x01\"@b", "\"a\"b\"@b", "\"a\r\nRCPT TO:<x>\"@b",
        "a@b.example\r\nDATA", "a@b\n", std::string("a\0@b", 4), "a@b\x7f", "a\t@b", "a b@c", "<a@b>", "a>@b",
        "postmaster", "POSTMASTER", "PostMaster", "postmaste", "postmaster@", "\xc3\xa9@b", "a@\xc3\xa9.example",
        "\"\xc3\xa9\"@b", "a@[\xc3\xa9]", "\x80", "\xff@\xff", "a@b@c", "a@b@c.d", "@a@b",
        "a@" + label63, "a@" + label64, "a@" + label63 + "." + label63, "a@" + label64 + ".b",
        local64 + "@b", local65 + "@b", "a@" + std::string(252, 'b'), "a@" + std::string(253, 'b'),
        std::string(254, 'a'), std::string(255, 'a'), "a@" + std::string(300, '.'),
    };
    for (const std::string& s : hostile) CHECK(compare_all(s) == 0);
}

TEST_CASE("address differential: random input") {
    // Octets weighted towards the ones the grammar cares about, so that many
    // random strings come close to valid and the branches all run.
    static const char kAlphabet[] = "aZ09.@-_+!#~\"\\[]:<> \t\r\n\x7f\x01\x80\xc3\xa9\xffxyzQ";
    std::mt19937 random(20261201);
    std::uniform_int_distribution<int> pick(0, static_cast<int>(sizeof kAlphabet) - 2);
    std::uniform_int_distribution<int> any_octet(0, 255);
    std::uniform_int_distribution<int> length(0, 80);
    int differences = 0;
    for (int i = 0; i < 40000 && differences == 0; ++i) {
        std::string s;
        const int n = i % 200 == 0 ? 250 + length(random) % 10 : length(random);
        for (int k = 0; k < n; ++k)
            s += random() % 16 == 0 ? static_cast<char>(any_octet(random)) : kAlphabet[pick(random)];
        // Half of them get a plausible shape: local@domain.
        if (i % 2 == 0 && s.find('@') == std::string::npos) s.insert(s.size() / 2, "@");
        differences += compare_all(s);
    }
    CHECK(differences == 0);
}
