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

#include "simd_test_support.hpp"

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

#if defined(SMTPCORE_TEXT_RUN_SSE2)
// x86: the vector copy loops (SSE2, AVX2) against the octet-wise path
// (Portable), on text-shaped input: long lines ending in LF, CRLF or now and
// then a bare CR, lines starting with '-', "--" and the boundary stem, a
// NUL, TAB or 8-bit octet inside, and lines around the 998-octet limit.
namespace {

using smtpcore::detail::TextKernel;
using LineKernelScope =
    simd_test::ForceImpl<TextKernel, smtpcore::mime::detail::line_kernel, smtpcore::mime::detail::select_line_kernel>;

std::string text_lines(simd_test::Rng& rng, std::size_t size) {
    std::string text;
    while (text.size() < size) {
        const std::size_t shape = rng.below(100);
        const std::size_t len = shape < 80 ? 40 + rng.below(60) : shape < 90 ? rng.below(20)
                              : shape < 97 ? rng.below(400) : 990 + rng.below(12);
        std::string line(len, 'a');
        for (char& c : line) c = static_cast<char>('a' + rng.below(26));
        if (len > 0 && rng.below(10) == 0) line[0] = '-';
        if (len > 8 && rng.below(40) == 0) line.replace(0, 8, "--=_stem");
        if (len > 0 && rng.below(12) == 0) line[rng.below(len)] = "\t\0\x80\xe9\x0b"[rng.below(5)];
        const std::size_t end = rng.below(30);
        text += line + (end == 0 ? "\r" : end < 10 ? "\r\n" : "\n");
    }
    if (rng.below(2) != 0) text.resize(size);
    return text;
}

}  // namespace

TEST_CASE("line checker kernels: SSE2 and AVX2 give the octet-wise path's answer and output") {
    simd_test::Rng rng{0x5eed1e55ull};
    int compared = 0;
    for (int round = 0; round < 400; ++round) {
        const std::string text = text_lines(rng, 1 + rng.below(3000));
        const bool eight_bit = rng.below(2) == 0;
        const bool canonical = rng.below(4) != 0;
        std::vector<std::size_t> pieces;
        if (rng.below(3) == 0) pieces.push_back(text.size() + 1);
        else
            for (std::size_t total = 0; total <= text.size(); total += pieces.back()) pieces.push_back(1 + rng.below(900));
        const std::size_t gap = rng.below(3) == 0 ? rng.below(40) : 4 + rng.below(4);
        CAPTURE(round);
        Checked portable;
        {
            LineKernelScope scope(TextKernel::Portable);
            REQUIRE(scope.ok());
            portable = check_pieces(text, pieces, eight_bit, canonical, gap);
        }
        for (TextKernel k : {TextKernel::Sse2, TextKernel::Avx2}) {
            LineKernelScope scope(k);
            if (!scope.ok()) continue;  // a CPU without AVX2
            CHECK(check_pieces(text, pieces, eight_bit, canonical, gap) == portable);
            ++compared;
        }
    }
    CHECK(compared >= 400);
}

TEST_CASE("line checker kernels: output that catches up with the input (LF made CRLF) is never ahead of it") {
    // Output 24 octets below the input and a line end every 4 octets: the
    // output gains an octet per LF, so after 8 a 16-octet store would reach
    // input not yet read. The octet-wise path is safe up to 23.
    std::string text;
    for (int i = 0; i < 23; ++i) text += "abc\n";
    for (TextKernel k : {TextKernel::Portable, TextKernel::Sse2, TextKernel::Avx2}) {
        LineKernelScope scope(k);
        if (!scope.ok()) continue;
        std::vector<char> region(3 * text.size());
        char* in = region.data() + region.size() - text.size();
        text.copy(in, text.size());
        LineChecker c;
        c.reset(true, true, kStem, sizeof kStem - 1);
        const long w = c.update(in, text.size(), in - 24);
        REQUIRE(w == static_cast<long>(text.size() + 23));
        std::string expected;
        for (int i = 0; i < 23; ++i) expected += "abc\r\n";
        CHECK(std::string(in - 24, static_cast<std::size_t>(w)) == expected);
    }
}

TEST_CASE("line checker kernels: a piece that starts with LF after a CR in the memory before it") {
    // fuzz_mime_writer found the vector loop reading in[-1]: with a CR
    // there (left from an earlier piece), the piece's first LF was taken for
    // the second half of a CRLF and copied bare.
    for (TextKernel k : {TextKernel::Portable, TextKernel::Sse2, TextKernel::Avx2}) {
        LineKernelScope scope(k);
        if (!scope.ok()) continue;
        LineChecker c;
        c.reset(true, true, kStem, sizeof kStem - 1);
        std::vector<char> region(512, 'z');
        long w = c.update("abc", 3, region.data());
        REQUIRE(w == 3);
        std::string out(region.data(), 3);
        const std::string piece = "\n" + std::string(70, 'x') + "\n";
        char* in = region.data() + 300;
        in[-1] = '\r';
        piece.copy(in, piece.size());
        w = c.update(in, piece.size(), region.data());
        REQUIRE(w >= 0);
        out.append(region.data(), static_cast<std::size_t>(w));
        CHECK(out == "abc\r\n" + std::string(70, 'x') + "\r\n");
    }
}

#if defined(__linux__)
TEST_CASE("line checker kernels: input that ends at an inaccessible page is not read past") {
    const simd_test::GuardedPage guarded;
    const std::size_t most = static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) / 3 - 2;  // input and 2n + 2 below it fit the page
    simd_test::Rng rng{0x9a6e5ull};
    for (int round = 0; round < 200; ++round) {
        std::string text = text_lines(rng, 1 + rng.below(most));
        text.resize(std::min(text.size(), most));
        const bool eight_bit = rng.below(2) == 0;
        Checked portable;
        for (TextKernel k : {TextKernel::Portable, TextKernel::Sse2, TextKernel::Avx2}) {
            LineKernelScope scope(k);
            if (!scope.ok()) continue;
            const std::size_t n = text.size();
            char* in = guarded.tail(n);
            text.copy(in, n);
            char* out = in - 2 * n - 2;
            LineChecker c;
            c.reset(eight_bit, true, kStem, sizeof kStem - 1);
            const long w = c.update(in, n, out);
            const Checked got = w < 0 ? Checked{false, {}} : Checked{true, std::string(out, static_cast<std::size_t>(w))};
            if (k == TextKernel::Portable) portable = got;
            else CHECK(got == portable);
        }
    }
}
#endif
#endif
