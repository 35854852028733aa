// ReplyParser (RFC 5321 §4.2): one test file per module (docs/contributing.md §8).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "smtpcore/detail/reply_parser.hpp"

using smtpcore::ErrorKind;
using smtpcore::Limits;
using smtpcore::detail::ReplyParser;

namespace {

// What the parser saw, as text: "250|text|text...;" per line, "!" + reason on error.
struct Parsed {
    std::string log;
    std::vector<int> codes;
    ErrorKind error = ErrorKind::None;
};

Parsed parse(const std::string& input, std::size_t piece = 0, Limits limits = {}, bool bare_lf = false) {
    ReplyParser p;
    p.configure(limits, bare_lf);
    Parsed out;
    std::string line;
    for (std::size_t off = 0; off < input.size();) {
        const std::size_t n = piece == 0 ? input.size() - off : std::min(piece, input.size() - off);
        std::size_t pos = 0;
        while (pos < n) {
            std::size_t used = 0;
            std::string_view text;
            const auto step = p.parse(input.data() + off + pos, n - pos, used, text);
            pos += used;
            if (step == ReplyParser::Step::Text) line += std::string(text);
            if (step == ReplyParser::Step::LineEnd) {
                out.log += std::to_string(p.code()) + "-" + line + ";";
                line.clear();
            }
            if (step == ReplyParser::Step::ReplyEnd) {
                out.log += std::to_string(p.code()) + " " + line + ";";
                out.codes.push_back(p.code());
                line.clear();
            }
            if (step == ReplyParser::Step::Error) {
                out.error = p.error().kind;
                out.log += std::string("!") + p.error().reason;
                return out;
            }
            if (step == ReplyParser::Step::NeedMore) break;
        }
        off += n;
    }
    return out;
}

}  // namespace

TEST_CASE("single and multi-line replies, in any pieces") {
    const std::string input = "220 mx.example ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250 SIZE 100\r\n354\r\n";
    const std::string expected = "220 mx.example ESMTP;250-mx;250-PIPELINING;250 SIZE 100;354 ;";
    for (std::size_t piece = 0; piece <= input.size(); ++piece) {
        const Parsed p = parse(input, piece);
        CHECK(p.log == expected);
        CHECK(p.codes == std::vector<int>{220, 250, 354});
    }
}

TEST_CASE("codes follow the grammar: %x32-35 %x30-35 %x30-39") {
    CHECK(parse("200 a\r\n").codes == std::vector<int>{200});
    CHECK(parse("559 a\r\n").codes == std::vector<int>{559});
    CHECK(parse("199 a\r\n").error == ErrorKind::PeerViolation);
    CHECK(parse("600 a\r\n").error == ErrorKind::PeerViolation);
    CHECK(parse("260 a\r\n").error == ErrorKind::PeerViolation);
    CHECK(parse("25x a\r\n").error == ErrorKind::PeerViolation);
    CHECK(parse("25\r\n").error == ErrorKind::PeerViolation);
}

TEST_CASE("text: HT and 8-bit octets pass, NUL and other controls do not") {
    CHECK(parse("250 a\tb\r\n").log == "250 a\tb;");
    CHECK(parse("250 gr\xc3\xbc\xc3\x9f\r\n").log == "250 gr\xc3\xbc\xc3\x9f;");
    CHECK(parse(std::string("250 a\0b\r\n", 9)).log == "!NUL in reply");
    CHECK(parse("250 a\x1b[2Jb\r\n").error == ErrorKind::PeerViolation);
    CHECK(parse("250 a\rb\r\n").log == "!bare CR in reply");
    CHECK(parse("250 a\nb\r\n").log == "!bare LF in reply");
    CHECK(parse("250 a\n250 b\n", 0, {}, true).log == "250 a;250 b;");
}

TEST_CASE("text: every octet at every position of a long line, in any pieces") {
    // Full builds scan text eight octets at a time; the verdict and the text
    // must not depend on where an octet falls in a word or a piece.
    auto expected = [](const std::string& text) -> std::string {
        for (const char c : text) {
            const auto u = static_cast<unsigned char>(c);
            if (u == 0) return "!NUL in reply";
            if (u == '\r') return "!bare CR in reply";
            if (u == '\n') return "!bare LF in reply";
            if ((u < 0x20 && u != '\t') || u == 0x7f) return "!control character in reply";
        }
        return "250 " + text + ";";
    };
    for (const int octet : {0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x9f, 0xff}) {
        for (std::size_t length = 1; length <= 40; ++length) {
            for (std::size_t at = 0; at < length; ++at) {
                std::string text(length, 'x');
                text[at] = static_cast<char>(octet);
                if (octet == 0x09 && at + 3 < length) text[at + 3] = '\t';  // two HTs in one word
                const std::string input = "250 " + text + "\r\n";
                CAPTURE(octet);
                CAPTURE(length);
                CAPTURE(at);
                const std::string want = octet == 0x0d && at + 1 == length ? "!bare CR in reply" : expected(text);
                CHECK(parse(input).log == want);
                CHECK(parse(input, 7).log == want);
            }
        }
    }
    // A multi-line reply whose lines all take the whole-code step, and one
    // whose continuation line changes code (the step must not take it).
    CHECK(parse("250-a\r\n250-b\r\n250 c\r\n").log == "250-a;250-b;250 c;");
    CHECK(parse("250-a\r\n251-b\r\n250 c\r\n").log == "250-a;!multi-line reply changed its code");
    CHECK(parse("250-a\r\n25").log == "250-a;");
}

TEST_CASE("a multi-line reply keeps one code") {
    CHECK(parse("250-a\r\n251 b\r\n").log == "250-a;!multi-line reply changed its code");
}

TEST_CASE("the reply line bound counts CRLF: 512 passes, 513 fails, at any split") {
    const std::string ok = "250 " + std::string(506, 'x') + "\r\n";  // 512 octets
    const std::string over = "250 " + std::string(507, 'x') + "\r\n";
    REQUIRE(ok.size() == 512);
    for (std::size_t piece : {0, 1, 7, 100}) {
        CHECK(parse(ok, piece).error == ErrorKind::None);
        CHECK(parse(over, piece).error == ErrorKind::LimitExceeded);
    }
    Limits small;
    small.reply_line = 64;
    CHECK(parse("250 " + std::string(59, 'x') + "\r\n", 0, small).error == ErrorKind::LimitExceeded);
}

TEST_CASE("lines per reply are bounded") {
    Limits l;
    l.reply_lines = 3;
    CHECK(parse("250-a\r\n250-b\r\n250 c\r\n", 0, l).error == ErrorKind::None);
    CHECK(parse("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", 0, l).error == ErrorKind::LimitExceeded);
}

TEST_CASE("after an error the parser stays failed") {
    ReplyParser p;
    std::size_t used = 0;
    std::string_view text;
    CHECK(p.parse("xyz", 3, used, text) == ReplyParser::Step::Error);
    CHECK(p.parse("250 ok\r\n", 8, used, text) == ReplyParser::Step::Error);
    p.reset();
    CHECK(p.parse("250 ok\r\n", 8, used, text) == ReplyParser::Step::Text);
}
