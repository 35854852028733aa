// smtpcore-send's pre-scan of a file (tools/smtpcore-send/content_scan.cpp):
// the vector run of plain text gives the same scan as the octet-wise one on
// random text, and never reads past its input.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "../mime/simd_test_support.hpp"
#include "content_scan.hpp"

using namespace smtpcore::cli;

namespace {

std::string random_text(simd_test::Rng& rng, std::size_t n) {
    static const char* const kPieces[] = {"\r\n", "\n", "\r", "=", "\t", "--=_", "-", "\xc3\xa9", "\xff", "\xfe",
                                          std::string_view("\0", 1).data(), "\x80", "\x7f", "\x1f", " "};
    std::string s;
    while (s.size() < n) {
        if (rng.below(8) != 0) {
            s += static_cast<char>(33 + rng.below(94));
        } else {
            const std::size_t k = rng.below(15);
            s.append(kPieces[k], k == 10 ? 1 : std::strlen(kPieces[k]));
        }
    }
    if (rng.below(3) == 0) s.insert(0, rng.below(2) ? "\xff\xfe" : "--=_x");
    return s;
}

void check_same(const ContentScan& a, const ContentScan& b) {
    CHECK(a.size == b.size);
    CHECK(a.non_ascii == b.non_ascii);
    CHECK(a.crlf == b.crlf);
    CHECK(a.bare_lf == b.bare_lf);
    CHECK(a.bare_cr == b.bare_cr);
    CHECK(a.longest_line == b.longest_line);
    CHECK(a.qp_text_bound == b.qp_text_bound);
    CHECK(a.nul == b.nul);
    CHECK(a.utf8 == b.utf8);
    CHECK(a.utf16_bom == b.utf16_bom);
    CHECK(a.boundary_line == b.boundary_line);
    CHECK(a.ends_crlf == b.ends_crlf);
}

}  // namespace

TEST_CASE("content scan: plain-text runs give the octet-wise scan of random text") {
    simd_test::Rng rng{0x5ca9};
    for (int round = 0; round < 2000; ++round) {
        const std::string text = random_text(rng, rng.below(round < 1000 ? 40 : 3000));
        check_same(scan_text(text, true), scan_text(text, false));
        const std::size_t at = rng.below(text.size() + 1);
        CHECK(plain_text_run(text.data() + at, text.size() - at) ==
              plain_text_run_portable(text.data() + at, text.size() - at));
    }
    // Long plain lines, where the runs do all the work.
    const std::string line(5000, 'a');
    check_same(scan_text(line + "\n" + line, true), scan_text(line + "\n" + line, false));
    CHECK(plain_text_run(line.data(), line.size()) == line.size());
}

TEST_CASE("content scan: every octet value is plain or not as the octet-wise rule says") {
    for (int c = 0; c < 256; ++c) {
        char block[40];
        std::memset(block, 'a', sizeof block);
        for (std::size_t at = 0; at < 20; ++at) {
            block[at] = static_cast<char>(c);
            CHECK(plain_text_run(block, sizeof block) == plain_text_run_portable(block, sizeof block));
            block[at] = 'a';
        }
    }
}

#if defined(__linux__)
TEST_CASE("content scan: input that ends at an inaccessible page is not read past") {
    simd_test::GuardedPage page;
    simd_test::Rng rng{77};
    for (std::size_t n = 0; n <= 100; ++n) {
        char* p = page.tail(n);
        for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<char>(rng.below(4) ? 'a' + rng.below(26) : ' ');
        CHECK(plain_text_run(p, n) == plain_text_run_portable(p, n));
        const ContentScan fast = scan_text(std::string_view(p, n), true);
        check_same(fast, scan_text(std::string_view(p, n), false));
    }
}
#endif
