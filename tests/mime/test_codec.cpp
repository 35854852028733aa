// Codec unit tests: known vectors from the RFCs, and the line rules.
#include <doctest/doctest.h>

#include <smtpcore/codec/base64.hpp>
#include <smtpcore/codec/decimal.hpp>
#include <smtpcore/codec/quoted_printable.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace smtpcore::codec;

namespace {

std::string b64_lines(const std::string& in) {
    Base64LineEncoder e;
    std::string out(e.max_output(in.size()) + 8, '\0');
    std::size_t n = e.update(in.data(), in.size(), out.data());
    n += e.finish(out.data() + n);
    out.resize(n);
    return out;
}

std::string qp(const std::string& in, QpEncoder::Mode mode = QpEncoder::Mode::Text) {
    QpEncoder e(mode);
    std::string out(QpEncoder::max_output(in.size()) + 8, '\0');
    std::size_t n = e.update(in.data(), in.size(), out.data());
    n += e.finish(out.data() + n);
    out.resize(n);
    return out;
}

}  // namespace

TEST_CASE("base64: RFC 4648 §10 test vectors, one shot and with the pair table") {
    const char* vectors[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},       {"foo", "Zm9v"},
                                {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (auto& v : vectors) {
        const std::string in = v[0];
        std::string out(base64_encoded_size(in.size()), '\0');
        CHECK(base64_encode(in.data(), in.size(), out.data()) == out.size());
        CHECK(out == v[1]);
        CHECK(b64_lines(in) == v[1]);
    }
}

TEST_CASE("base64 lines: 76 characters, CRLF between lines, none at the end") {
    const std::string in(57 * 3, 'x');
    const std::string out = b64_lines(in);
    CHECK(out.size() == 76 * 3 + 2 * 2);
    CHECK(out.substr(76, 2) == "\r\n");
    CHECK(out.substr(76 * 2 + 2, 2) == "\r\n");
    CHECK(out.compare(out.size() - 2, 2, "\r\n") != 0);
    // One more octet starts a fourth line with a padded group.
    const std::string more = b64_lines(in + "y");
    CHECK(more.substr(more.size() - 6) == "\r\neQ==");
}

TEST_CASE("base64 lines: input_for keeps output inside the room") {
    for (std::size_t room = 24; room < 2000; ++room) {
        const std::size_t n = Base64LineEncoder::input_for(room);
        Base64LineEncoder e;
        // Worst case: the encoder is mid-line with two carried octets.
        const std::string warm(2 + 57 * 2 - 3, 'a');
        std::string scratch(e.max_output(warm.size()) + 8, '\0');
        e.update(warm.data(), warm.size(), scratch.data());
        const std::string in(n, 'b');
        std::string out(room + 16, '\0');
        std::size_t w = e.update(in.data(), in.size(), out.data());
        w += e.finish(out.data() + w);
        CHECK_MESSAGE(w <= room, "room " << room);
    }
}

TEST_CASE("quoted-printable: RFC 2045 §6.7 rules") {
    CHECK(qp("plain text") == "plain text");
    CHECK(qp("a=b") == "a=3Db");                       // rule 1: "=" is escaped
    CHECK(qp("caf\xc3\xa9") == "caf=C3=A9");           // rule 1: 8-bit octets
    CHECK(qp("end \r\nnext") == "end=20\r\nnext");     // rule 3: space before a break
    CHECK(qp("tab\t") == "tab=09");                    // rule 3: at the end of the data
    CHECK(qp("a \tb") == "a \tb");                     // whitespace inside a line stays
    CHECK(qp("l1\nl2\rl3\r\nl4") == "l1\r\nl2\r\nl3\r\nl4");  // rule 4 (text): breaks → CRLF
    CHECK(qp("l1\r\n", QpEncoder::Mode::Binary) == "l1=0D=0A");  // binary: breaks escaped
    // Rule 5: soft breaks keep lines at most 76 characters including "=".
    const std::string long_line(200, 'x');
    const std::string out = qp(long_line);
    std::size_t start = 0;
    while (start < out.size()) {
        std::size_t end = out.find("\r\n", start);
        if (end == std::string::npos) end = out.size();
        CHECK(end - start <= 76);
        start = end + 2;
    }
    CHECK(out.find("=\r\n") == 75);
}

TEST_CASE("quoted-printable decode: soft breaks, both hex cases, malformed input") {
    char buf[64];
    const std::string enc = "a=3Db=\r\nc=c3=A9";
    const long n = qp_decode(enc, buf, sizeof buf);
    REQUIRE(n == 6);
    CHECK(std::string(buf, 6) == "a=bc\xc3\xa9");
    CHECK(qp_decode("=G1", buf, sizeof buf) == -1);
    CHECK(qp_decode("abc=", buf, sizeof buf) == -1);
    CHECK(qp_decode("abcd", buf, 3) == -1);
}

TEST_CASE("format_decimal: the digits of every magnitude, as std::to_string writes them") {
    // Values are checked as they are drawn, not stored: the same test runs
    // on a 16 KiB Cortex-M0 board, where a vector of a thousand would not fit.
    char out[smtpcore::codec::kMaxDecimalDigits];
    const auto check = [&out](std::uint64_t v) {
        const std::size_t n = smtpcore::codec::format_decimal(v, out);
        CHECK(std::string(out, n) == std::to_string(v));
    };
    for (const std::uint64_t v : {std::uint64_t(0), std::uint64_t(1), std::uint64_t(9),
                                  std::uint64_t(10), std::uint64_t(99), std::uint64_t(100),
                                  std::uint64_t(4294967295ull), std::uint64_t(4294967296ull),
                                  std::uint64_t(10000000000000000000ull), ~std::uint64_t(0)})
        check(v);
    std::uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 1000; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        check(x >> (x % 64));  // every length of number
    }
}
