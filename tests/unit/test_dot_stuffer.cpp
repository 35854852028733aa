// DotStuffer: DATA transparency (RFC 5321 §4.5.2) and SMTP smuggling defence.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "dot_reference.hpp"
#include "smtpcore/detail/dot_stuffer.hpp"

#if defined(SMTPCORE_DOT_STUFFER_KERNELS)
#include "../mime/simd_test_support.hpp"
#endif

using smtpcore::detail::DotStuffer;

namespace {

std::string stuff(const std::string& in, std::size_t piece = 0) {
    DotStuffer s;
    std::string out;
    for (std::size_t off = 0; off < in.size();) {
        const std::size_t n = piece == 0 ? in.size() - off : std::min(piece, in.size() - off);
        std::vector<char> buf(DotStuffer::max_output(n));
        const std::size_t w = s.stuff(in.data() + off, n, buf.data());
        REQUIRE(w <= buf.size());
        out.append(buf.data(), w);
        off += n;
    }
    char tail[DotStuffer::kFinishMax];
    out.append(tail, s.finish(tail));
    return out;
}

}  // namespace

TEST_CASE("line endings become CRLF, leading dots are doubled, the marker is added once") {
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"", ".\r\n"},
        {"a", "a\r\n.\r\n"},
        {"a\r\n", "a\r\n.\r\n"},
        {".", "..\r\n.\r\n"},
        {".a\r\n.\r\n", "..a\r\n..\r\n.\r\n"},
        {"a\n.\n", "a\r\n..\r\n.\r\n"},          // bare LF smuggling
        {"a\r.\r", "a\r\n..\r\n.\r\n"},          // bare CR smuggling
        {"a\r\n.\n", "a\r\n..\r\n.\r\n"},
        {"a\n.\r\n", "a\r\n..\r\n.\r\n"},
        {"a\r\r\n.\r\n", "a\r\n\r\n..\r\n.\r\n"},
        {"\r\n", "\r\n.\r\n"},
        {"\n\n", "\r\n\r\n.\r\n"},
        {"x.y\r\n", "x.y\r\n.\r\n"},
    };
    for (const Case& c : cases) {
        for (std::size_t piece = 0; piece < 6; ++piece) {
            CAPTURE(c.in);
            CAPTURE(piece);
            CHECK(stuff(c.in, piece) == c.out);
        }
    }
    // NUL passes through untouched.
    CHECK(stuff(std::string("a\0b", 3)) == std::string("a\0b\r\n.\r\n", 8));
}

TEST_CASE("random bodies: the same output for every split, and exactly one end-of-data marker") {
    std::mt19937 rng(20261123);
    const char alphabet[] = {'a', '.', '\r', '\n', '\0', 'Z'};
    for (int round = 0; round < 2000; ++round) {
        std::string body(rng() % 64, 'x');
        for (char& c : body) c = alphabet[rng() % sizeof alphabet];
        const std::string whole = stuff(body);
        CHECK(stuff(body, 1 + rng() % 7) == whole);
        // The wire has CRLF everywhere and "\r\n.\r\n" only at the very end.
        const std::string wire = "\r\n" + whole;
        CHECK(wire.find("\r\n.\r\n") == wire.size() - 5);
        for (std::size_t i = 0; i < wire.size(); ++i) {
            if (wire[i] == '\n') CHECK(wire[i - 1] == '\r');
            if (wire[i] == '\r') CHECK(wire[i + 1] == '\n');
        }
    }
}

TEST_CASE("a line of 998 octets passes, 999 stops (dots added by stuffing do not count)") {
    CHECK(stuff(std::string(998, 'a')) == std::string(998, 'a') + "\r\n.\r\n");
    CHECK(stuff("." + std::string(997, 'a')) == ".." + std::string(997, 'a') + "\r\n.\r\n");
    DotStuffer s;
    const std::string long_line(999, 'a');
    std::vector<char> buf(DotStuffer::max_output(long_line.size()));
    const std::size_t w = s.stuff(long_line.data(), long_line.size(), buf.data());
    CHECK(s.line_too_long());
    CHECK(w == 998);
    CHECK(s.stuff("b", 1, buf.data()) == 0);
}

TEST_CASE("in place: the window in the upper half of free space is never overtaken") {
    // The layout Client::body_buf() uses: free space F, window k = (F-2)/2 at
    // the top, output written from the bottom.
    std::mt19937 rng(7);
    const char alphabet[] = {'a', '.', '\r', '\n'};
    for (int round = 0; round < 2000; ++round) {
        const std::size_t free = 4 + rng() % 200;
        const std::size_t k = (free - 2) / 2;
        std::string input(k, 'x');
        for (char& c : input) c = alphabet[rng() % sizeof alphabet];
        std::vector<char> buf(free);
        std::memcpy(buf.data() + free - k, input.data(), k);
        DotStuffer in_place, reference;
        // Same state on entry for both: sometimes a CR pending from before.
        if (rng() % 2) {
            char scratch[4];
            in_place.stuff("\r", 1, scratch);
            reference.stuff("\r", 1, scratch);
        }
        const std::size_t w = in_place.stuff(buf.data() + free - k, k, buf.data());
        std::vector<char> expected(DotStuffer::max_output(k));
        const std::size_t we = reference.stuff(input.data(), k, expected.data());
        REQUIRE(w == we);
        CHECK(std::string(buf.data(), w) == std::string(expected.data(), we));
    }
}

#if defined(SMTPCORE_DOT_STUFFER_KERNELS)
// x86: the vector copy loops (SSE2, AVX2) against the octet-wise state
// machine (Portable) and the whole-string reference, on text-shaped bodies:
// long CRLF lines, with now and then a bare CR or LF, a leading dot, a TAB,
// NUL or 8-bit octet, an empty line, and lines around the 998-octet limit.
namespace {

using StuffKernel = smtpcore::detail::TextKernel;

// Selects a kernel for the scope, then restores the one selected before.
using KernelScope = simd_test::ForceImpl<StuffKernel, smtpcore::detail::stuff_kernel, smtpcore::detail::select_stuff_kernel>;

std::string text_body(std::mt19937& rng, std::size_t size) {
    std::string body;
    while (body.size() < size) {
        const unsigned shape = rng() % 100;
        std::size_t len = shape < 80 ? 40 + rng() % 60 : shape < 90 ? rng() % 20 : shape < 97 ? rng() % 400 : 990 + rng() % 12;
        std::string line(len, 'a');
        for (char& c : line) c = static_cast<char>('a' + rng() % 26);
        if (len > 0 && rng() % 8 == 0) line[0] = '.';
        if (len > 0 && rng() % 10 == 0) line[rng() % len] = "\t\0\x80\x0b\x0c"[rng() % 5];
        const unsigned end = rng() % 40;
        body += line + (end == 0 ? "\n" : end == 1 ? "\r" : "\r\n");
    }
    if (rng() % 2) body.resize(size);  // sometimes cut mid-line, or between CR and LF
    return body;
}

struct Wire {
    std::string bytes;
    bool too_long = false;
};

// Client::body_buf()'s layout: the window at the top of the free space, the
// output written forward from its bottom; pieces of `piece` octets (0: whole).
Wire stuff_in_place(const std::string& body, bool dots, std::size_t piece) {
    DotStuffer s;
    if (!dots) s.reset_without_dots();
    Wire w;
    for (std::size_t off = 0; off < body.size() && !w.too_long;) {
        const std::size_t n = piece == 0 ? body.size() - off : std::min(piece, body.size() - off);
        std::vector<char> buf(2 * n + 2);
        char* window = buf.data() + buf.size() - n;
        std::memcpy(window, body.data() + off, n);
        const std::size_t out = s.stuff(window, n, buf.data());
        REQUIRE(out <= DotStuffer::max_output(n));
        w.bytes.append(buf.data(), out);
        w.too_long = s.line_too_long();
        off += n;
    }
    if (!w.too_long && dots) {
        char tail[DotStuffer::kFinishMax];
        w.bytes.append(tail, s.finish(tail));
    } else if (!w.too_long) {
        char tail[2];
        w.bytes.append(tail, s.end_line(tail));
    }
    return w;
}

bool has_long_line(const std::string& body) {
    std::size_t len = 0;
    for (char c : body) {
        if (c == '\r' || c == '\n') len = 0;
        else if (++len > DotStuffer::kMaxLine) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("stuff kernels: SSE2 and AVX2 write what the state machine and the reference write") {
    std::mt19937 rng(20261201);
    const StuffKernel kernels[] = {StuffKernel::Sse2, StuffKernel::Avx2};
    int compared = 0;
    for (int round = 0; round < 300; ++round) {
        const std::string body = text_body(rng, 1 + rng() % 3000);
        const bool dots = rng() % 4 != 0;
        const std::size_t piece = rng() % 3 == 0 ? 0 : 1 + rng() % 700;
        Wire portable;
        {
            KernelScope scope(StuffKernel::Portable);
            REQUIRE(scope.ok());
            portable = stuff_in_place(body, dots, piece);
        }
        CHECK(portable.too_long == has_long_line(body));
        if (!portable.too_long)
            CHECK(portable.bytes == smtpcore::test::reference_stuffed_body(body, dots) + (dots ? ".\r\n" : ""));
        for (StuffKernel k : kernels) {
            KernelScope scope(k);
            if (!scope.ok()) continue;  // a CPU without AVX2
            const Wire w = stuff_in_place(body, dots, piece);
            CHECK(w.too_long == portable.too_long);
            CHECK(w.bytes == portable.bytes);
            ++compared;
        }
    }
    CHECK(compared >= 300);
}

#if defined(__linux__)
TEST_CASE("stuff kernels: input that ends at an inaccessible page is not read past") {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const simd_test::GuardedPage guarded;
    std::mt19937 rng(99);
    const StuffKernel kernels[] = {StuffKernel::Portable, StuffKernel::Sse2, StuffKernel::Avx2};
    for (int round = 0; round < 200; ++round) {
        std::string body = text_body(rng, 1 + rng() % (page / 2 - 8));
        body.resize(std::min(body.size(), page / 2 - 8));  // the output fits below the window
        const bool dots = rng() % 2 != 0;
        const std::string expected = stuff_in_place(body, dots, 0).bytes;
        for (StuffKernel k : kernels) {
            KernelScope scope(k);
            if (!scope.ok()) continue;
            // In place, the window's last octet the page's last: the
            // output below it in the same page (2 * n + 2 <= page).
            const std::size_t n = body.size();
            char* window = guarded.tail(n);
            std::memcpy(window, body.data(), n);
            DotStuffer s;
            if (!dots) s.reset_without_dots();
            const std::size_t out = s.stuff(window, n, window - n - 2);
            std::string got(window - n - 2, out);
            if (!s.line_too_long()) {
                char tail[DotStuffer::kFinishMax];
                got.append(tail, dots ? s.finish(tail) : s.end_line(tail));
            }
            CHECK(got == expected);
        }
    }
}
#endif
#endif
