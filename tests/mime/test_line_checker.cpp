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

namespace {

struct Checked {
    bool ok = true;
    std::string out;
    bool operator==(const Checked& o) const { return ok == o.ok && (!ok || out == o.out); }
};

// Feeds `text` in the given pieces, each copied into the top of a region and
// checked into the region's start with `gap` octets between output and input
// (MessageWriter::encode_into's layout has gap >= n + 4).
Checked check_pieces(const std::string& text, const std::vector<std::size_t>& pieces, bool eight_bit, bool canonical,
                     std::size_t gap) {
    LineChecker c;
    c.reset(eight_bit, canonical, kStem, sizeof kStem - 1);
    Checked r;
    std::size_t off = 0;
    for (const std::size_t piece : pieces) {
        const std::size_t n = piece < text.size() - off ? piece : text.size() - off;
        std::vector<char> region(gap + 2 * n + 2 + n);
        char* in = region.data() + region.size() - n;
        text.copy(in, n, off);
        char* out = in - gap - n;  // the output may reach n octets past its start before it meets the input
        const long w = c.update(in, n, out);
        if (w < 0) return Checked{false, {}};
        r.out.append(out, static_cast<std::size_t>(w));
        off += n;
        if (off == text.size()) break;
    }
    return r;
}

}  // namespace

TEST_CASE("line checker: random text gives the same answer and output for any pieces and any overlap") {
    // The vector copy (output at least 16 octets below the input) and the
    // octet-by-octet path (one octet per piece, or output close to the input)
    // must agree.
    static const char kAlphabet[] = "aaaaaaaaaaaaaaaaaaaaaaaaaa  ..--\n\n\n\r=_stem\xe9";
    std::uint64_t x = 0x8a5cd789635d2dffull;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int round = 0; round < 3000; ++round) {
        std::string text(next() % 3000, 'a');
        const bool nul = next() % 8 == 0;
        for (auto& ch : text) ch = kAlphabet[next() % (sizeof kAlphabet - 1)];
        if (nul && !text.empty()) text[next() % text.size()] = '\0';
        if (next() % 4 == 0 && text.size() > 1100) text.replace(next() % 100, 1000, std::string(1000, 'L'));
        const bool eight_bit = next() % 2 == 0;
        const bool canonical = next() % 4 != 0;
        std::vector<std::size_t> ones(text.size() + 1, 1), random;
        for (std::size_t total = 0; total <= text.size(); total += random.back()) random.push_back(1 + next() % 300);
        CAPTURE(round);
        const Checked octet_by_octet = check_pieces(text, ones, eight_bit, canonical, 0);
        CHECK(check_pieces(text, random, eight_bit, canonical, 4) == octet_by_octet);
        CHECK(check_pieces(text, {text.size() + 1}, eight_bit, canonical, 4) == octet_by_octet);
        CHECK(check_pieces(text, random, eight_bit, canonical, 0) == octet_by_octet);
    }
}
