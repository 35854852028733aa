// The 7bit/8bit line checker (lib/mime/line_checker.cpp) copies runs of
// ordinary octets sixteen at a time; these cases hold its limits exactly
// where a run ends: a line of 998 octets passes and one of 999 does not
// (RFC 5322 §2.1.1), a NUL or (7bit) an octet above 127 anywhere in a line is
// caught, and a line starting with the boundary stem is still refused, for
// every way of cutting the input into pieces.
#include <doctest/doctest.h>

#include <smtpcore/mime/writer.hpp>

#include <string>
#include <vector>

using smtpcore::mime::detail::LineChecker;

namespace {

constexpr char kStem[] = "=_stem";

// Feeds `text` in pieces of `piece` octets; true when every piece passed,
// with the output in `out`.
bool check(const std::string& text, std::size_t piece, bool eight_bit, std::string* out = nullptr) {
    LineChecker c;
    c.reset(eight_bit, true, kStem, sizeof kStem - 1);
    std::string all;
    for (std::size_t off = 0; off < text.size(); off += piece) {
        const std::size_t n = text.size() - off < piece ? text.size() - off : piece;
        std::vector<char> buffer(2 * n + 2);
        const long w = c.update(text.data() + off, n, buffer.data());
        if (w < 0) return false;
        all.append(buffer.data(), static_cast<std::size_t>(w));
    }
    if (out) *out = all;
    return true;
}

}  // namespace

TEST_CASE("line checker: the 998-octet limit holds at every cut") {
    for (const std::size_t piece : {1u, 7u, 16u, 64u, 997u, 998u, 999u, 5000u}) {
        for (const std::size_t len : {997u, 998u, 999u, 1000u}) {
            const std::string line = "a" + std::string(len - 1, 'x');
            std::string out;
            const std::string text = "short\n" + line + "\nend\n";
            CHECK_MESSAGE(check(text, piece, false, &out) == (len <= 998), "len " << len << " piece " << piece);
            if (len <= 998) CHECK(out == "short\r\n" + line + "\r\nend\r\n");
        }
    }
}

TEST_CASE("line checker: NUL and 8-bit octets are found inside long runs") {
    const std::string line(200, 'y');
    for (std::size_t at = 0; at < line.size(); at += 13) {
        for (const std::size_t piece : {1u, 16u, 50u, 1000u}) {
            std::string nul = line;
            nul[at] = '\0';
            CHECK_FALSE(check(nul + "\n", piece, true));
            std::string high = line;
            high[at] = '\xe9';
            CHECK_FALSE(check(high + "\n", piece, false));
            CHECK(check(high + "\n", piece, true));
        }
    }
}

TEST_CASE("line checker: a line starting with the boundary stem is refused") {
    for (const std::size_t piece : {1u, 3u, 16u, 1000u}) {
        CHECK_FALSE(check(std::string(40, 'z') + "\n--" + kStem + "tail\n", piece, false));
        CHECK(check(std::string(40, 'z') + "\n-- " + kStem + "\n", piece, false));
        CHECK(check("x--" + std::string(kStem) + "\n", piece, false));
    }
}
