// DotStuffer: DATA transparency (RFC 5321 §4.5.2) and SMTP smuggling defence.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "smtpcore/detail/dot_stuffer.hpp"

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
