// xtext (RFC 3461 §4) and the RFC 6533 §3 utf-8-addr encodings.
#include <doctest/doctest.h>

#include <string>

#include "smtpcore/codec/xtext.hpp"

using namespace smtpcore;

namespace {

std::string xtext(std::string_view s) {
    std::string out(codec::xtext_encode(s, nullptr), '?');
    CHECK(codec::xtext_encode(s, out.data()) == out.size());  // measure == write
    return out;
}

std::string utf8_addr(std::string_view s, bool unitext) {
    std::string out(codec::utf8_addr_encode(s, unitext, nullptr), '?');
    CHECK(codec::utf8_addr_encode(s, unitext, out.data()) == out.size());
    return out;
}

std::string decode(std::string_view s) {
    std::string out(s.size(), '?');
    const std::size_t n = codec::xtext_decode(s, out.data());
    return n == static_cast<std::size_t>(-1) ? "<malformed>" : out.substr(0, n);
}

}  // namespace

TEST_CASE("xtext: xchar as is, '+', '=', space, controls and 8-bit octets as +HH (RFC 3461 §4)") {
    CHECK(xtext("") == "");
    CHECK(xtext("QQ314159") == "QQ314159");
    CHECK(xtext("!~") == "!~");
    CHECK(xtext("a+b=c") == "a+2Bb+3Dc");
    CHECK(xtext("a b") == "a+20b");
    CHECK(xtext("\r\n") == "+0D+0A");
    CHECK(xtext(std::string_view("\0", 1)) == "+00");
    CHECK(xtext("\x7f\x80\xff") == "+7F+80+FF");
}

TEST_CASE("xtext: every octet round-trips, and the encoding holds only xchar and '+'") {
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    const std::string encoded = xtext(all);
    for (const char c : encoded) {
        const auto u = static_cast<unsigned char>(c);
        CHECK((u >= 33 && u <= 126 && u != '='));
    }
    CHECK(decode(encoded) == all);
}

TEST_CASE("xtext decoding refuses what is not xtext") {
    CHECK(decode("a+2Bb") == "a+b");
    CHECK(decode("+") == "<malformed>");
    CHECK(decode("+2") == "<malformed>");
    CHECK(decode("+2b") == "<malformed>");  // upper-case hex only
    CHECK(decode("a=b") == "<malformed>");
    CHECK(decode("a b") == "<malformed>");
}

TEST_CASE("is_utf8: RFC 3629 §4 forms only") {
    CHECK(codec::is_utf8("plain"));
    CHECK(codec::is_utf8("j\xc3\xb6ran"));
    CHECK(codec::is_utf8("\xf0\x9f\x93\xa7"));
    CHECK_FALSE(codec::is_utf8("\xc3"));              // truncated
    CHECK_FALSE(codec::is_utf8("\xc0\xaf"));          // overlong
    CHECK_FALSE(codec::is_utf8("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(codec::is_utf8("\xf4\x90\x80\x80"));  // over U+10FFFF
    CHECK_FALSE(codec::is_utf8("\x80"));
}

TEST_CASE("utf-8-addr-xtext: all ASCII, \\x{HEX} for non-ASCII and for '+', '=', '\\', space (RFC 6533 §3)") {
    CHECK(utf8_addr("a@example.org", false) == "a@example.org");
    CHECK(utf8_addr("j\xc3\xb6ran@example.org", false) == "j\\x{F6}ran@example.org");
    CHECK(utf8_addr("\xe2\x82\xac", false) == "\\x{20AC}");
    CHECK(utf8_addr("\xf0\x9f\x93\xa7", false) == "\\x{1F4E7}");
    CHECK(utf8_addr("a+b=c\\d e", false) == "a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e");
    CHECK(utf8_addr("\x01\x7f", false) == "\\x{01}\\x{7F}");
}

TEST_CASE("utf-8-addr-unitext: UTF-8 kept raw, the ASCII specials still escaped") {
    CHECK(utf8_addr("j\xc3\xb6ran+1@b\xc3\xbc" "cher.example", true) == "j\xc3\xb6ran\\x{2B}1@b\xc3\xbc" "cher.example");
    CHECK(utf8_addr("a b", true) == "a\\x{20}b");
}
