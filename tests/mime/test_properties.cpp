// RapidCheck properties (RapidCheck has no doctest glue: each rc::check runs
// inside a doctest CHECK).
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <smtpcore/codec/base64.hpp>
#include <smtpcore/codec/quoted_printable.hpp>
#include <smtpcore/mime/writer.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "header_reader.hpp"
#include "samples.hpp"

using namespace smtpcore;
using namespace smtpcore::codec;
namespace mt = smtpcore::mime::test;

namespace {

std::string to_string(const std::vector<std::uint8_t>& v) { return std::string(v.begin(), v.end()); }

// Splits `n` octets into pieces of the given sizes (cycled, 0 allowed).
template <class F>
void in_pieces(std::size_t n, const std::vector<std::size_t>& sizes, F&& f) {
    std::size_t pos = 0, k = 0, empty_in_a_row = 0;
    while (pos < n) {
        std::size_t take = sizes.empty() ? n : std::min(sizes[k++ % sizes.size()], n - pos);
        // Empty pieces are part of the test, but a cycle of them must not stall.
        empty_in_a_row = take == 0 ? empty_in_a_row + 1 : 0;
        if (empty_in_a_row > sizes.size()) take = n - pos;
        f(pos, take);
        pos += take;
    }
}

std::string strip_crlf(const std::string& s) {
    std::string o;
    for (char c : s)
        if (c != '\r' && c != '\n') o += c;
    return o;
}

}  // namespace

TEST_CASE("property: MIME base64 round-trips for any input and any pieces, lines of 76") {
    CHECK(rc::check("base64 lines round trip", [](const std::vector<std::uint8_t>& data,
                                                   const std::vector<std::size_t>& raw_sizes) {
        std::vector<std::size_t> sizes;
        for (std::size_t s : raw_sizes) sizes.push_back(s % 200);
        const std::string in = to_string(data);
        Base64LineEncoder e;
        std::string out;
        in_pieces(in.size(), sizes, [&](std::size_t pos, std::size_t take) {
            std::string buf(e.max_output(take) + 1, '\0');
            const std::size_t n = e.update(in.data() + pos, take, buf.data());
            RC_ASSERT(n <= e.max_output(0) + buf.size());
            out.append(buf.data(), n);
        });
        char tail[8];
        out.append(tail, e.finish(tail));
        // Every line but the last has exactly 76 characters.
        std::size_t start = 0;
        for (;;) {
            const std::size_t end = out.find("\r\n", start);
            if (end == std::string::npos) {
                RC_ASSERT(out.size() - start <= 76);
                break;
            }
            RC_ASSERT(end - start == 76);
            start = end + 2;
        }
        const std::string flat = strip_crlf(out);
        std::string decoded(flat.size(), '\0');
        const long n = base64_decode(flat, decoded.data(), decoded.size());
        RC_ASSERT(n == static_cast<long>(in.size()));
        decoded.resize(static_cast<std::size_t>(n));
        RC_ASSERT(decoded == in);
    }));
}

TEST_CASE("property: base64 in place (output below input in one buffer) equals out of place") {
    CHECK(rc::check("base64 in place", [](const std::vector<std::uint8_t>& data) {
        const std::string in = to_string(data);
        const std::size_t room = in.size() + in.size() / 2 + 40;
        // Size the input the way the writer does, then encode in place.
        const std::size_t n = std::min(in.size(), Base64LineEncoder::input_for(room));
        std::string buf(room, '\0');
        std::copy(in.begin(), in.begin() + static_cast<long>(n), buf.end() - static_cast<long>(n));
        Base64LineEncoder a, b;
        std::size_t w = a.update(buf.data() + room - n, n, buf.data());
        w += a.finish(buf.data() + w);
        std::string ref(b.max_output(n) + 8, '\0');
        std::size_t r = b.update(in.data(), n, ref.data());
        r += b.finish(ref.data() + r);
        RC_ASSERT(w <= room);
        RC_ASSERT(buf.substr(0, w) == ref.substr(0, r));
    }));
}

TEST_CASE("property: quoted-printable round-trips (binary mode exactly, text mode up to line breaks)") {
    CHECK(rc::check("qp round trip", [](const std::vector<std::uint8_t>& data, const std::vector<std::size_t>& raw_sizes,
                                       bool text_mode) {
        std::vector<std::size_t> sizes;
        for (std::size_t s : raw_sizes) sizes.push_back(s % 100);
        std::string in = to_string(data);
        QpEncoder e(text_mode ? QpEncoder::Mode::Text : QpEncoder::Mode::Binary);
        std::string out;
        in_pieces(in.size(), sizes, [&](std::size_t pos, std::size_t take) {
            std::string buf(QpEncoder::max_output(take), '\0');
            out.append(buf.data(), e.update(in.data() + pos, take, buf.data()));
        });
        char tail[8];
        out.append(tail, e.finish(tail));
        // RFC 2045 §6.7: lines ≤ 76, only CRLF breaks, no white space before a break.
        std::size_t start = 0;
        for (;;) {
            const std::size_t end = out.find("\r\n", start);
            const std::size_t stop = end == std::string::npos ? out.size() : end;
            RC_ASSERT(stop - start <= 76);
            if (stop > start) RC_ASSERT(out[stop - 1] != ' ' && out[stop - 1] != '\t');
            if (end == std::string::npos) break;
            start = end + 2;
        }
        for (char c : out) RC_ASSERT((c >= 32 && c <= 126) || c == '\r' || c == '\n' || c == '\t');
        std::string decoded(out.size(), '\0');
        const long n = qp_decode(out, decoded.data(), decoded.size());
        RC_ASSERT(n >= 0);
        decoded.resize(static_cast<std::size_t>(n));
        if (text_mode) {
            // Text mode canonicalises CR, LF and CRLF to CRLF.
            std::string canon;
            for (std::size_t i = 0; i < in.size(); ++i) {
                if (in[i] == '\r' || in[i] == '\n') {
                    canon += "\r\n";
                    if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
                } else {
                    canon += in[i];
                }
            }
            in = canon;
        }
        RC_ASSERT(decoded == in);
    }));
}

TEST_CASE("property: writer output is identical whatever window sizes are used") {
    using namespace smtpcore::mime;
    mt::Sample samples[mt::kSampleCount];
    std::string whole[mt::kSampleCount];
    for (int i = 0; i < mt::kSampleCount; ++i) {
        mt::sample_by_index(samples[i], i);
        whole[i] = mt::write_all(samples[i].msg, {1 << 20});
    }
    CHECK(rc::check("window sizes", [&](const std::vector<std::size_t>& raw_windows) {
        const int which = *rc::gen::inRange(0, mt::kSampleCount);
        std::vector<std::size_t> windows;
        for (std::size_t w : raw_windows) windows.push_back(1 + w % 700);
        if (windows.empty()) windows.push_back(1);
        RC_ASSERT(mt::write_all(samples[which].msg, windows) == whole[which]);
    }));
}

namespace {

// Text built from pieces that stress the layout: words of every length,
// single and long runs of spaces and tabs, non-ASCII, "=?", quotes, commas.
std::string layout_text(const std::vector<int>& picks) {
    static const char* const kPieces[] = {
        "word", " ", "\t", "  ", " \t ", "Gr\xc3\xbc\xc3\x9f\x65", "\xe6\x97\xa5\xe6\x9c\xac", "=?x?=", "\"q\"", "a,b",
        "back\\slash", "O'Neil", "v2*final%", "\xf0\x9f\x8e\x89", "x",
    };
    std::string s;
    for (int p : picks) {
        if (s.size() > 500) break;  // display names are limited to 900 octets
        const unsigned k = static_cast<unsigned>(p);
        if (k % 23 == 0) {
            s += std::string(k % 300 + 70, k % 2 ? ' ' : '\t');  // a long run of white space
        } else if (k % 29 == 0) {
            s += std::string(k % 120 + 60, 'L');  // a word too long for a line
        } else {
            s += kPieces[k % (sizeof kPieces / sizeof kPieces[0])];
        }
    }
    return s;
}

std::string trim_wsp(const std::string& s) {
    const std::size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") + 1 - b);
}

}  // namespace

TEST_CASE("property: every header line keeps the layout limits, and unfolding gives back the text") {
    using namespace smtpcore::mime;
    CHECK(rc::check("layout", [](const std::vector<int>& a, const std::vector<int>& b, const std::vector<int>& c,
                                 const std::vector<int>& d) {
        const std::string subject = layout_text(a), name = layout_text(b), value = layout_text(c),
                          filename = layout_text(d);
        Message m;
        m.from = Mailbox{name, "a@example.org"};
        const Mailbox to[] = {{name, "b@example.org"}, {"", "c@example.org"}, {name, "d@example.org"}};
        m.to = Span<const Mailbox>(to, 3);
        m.subject = subject;
        const Header headers[] = {{"X-Value", value}, {"X-A-Rather-Long-Header-Field-Name", value}};
        m.headers = Span<const Header>(headers, 2);
        Part att;
        att.content_type = "application/octet-stream";
        att.filename = filename;
        if (!filename.empty()) m.attachments = Span<const Part>(&att, 1);
        const std::string out = mt::write_all(m, {1 + static_cast<std::size_t>(a.size() % 97)});
        RC_ASSERT(out.rfind("START", 0) != 0);
        RC_ASSERT(out.rfind("FAILED", 0) != 0);
        const std::string block = mt::header_block(out);
        const std::vector<std::string> breaches = mt::layout_breaches(out.substr(0, out.rfind("\r\n\r\n") + 2));
        RC_ASSERT(breaches.empty());
        if (!trim_wsp(subject).empty())
            RC_ASSERT(mt::decode_unstructured(mt::field_body(block, "Subject")) == trim_wsp(subject));
        RC_ASSERT(mt::decode_unstructured(mt::field_body(block, "X-Value")) == trim_wsp(value));
        RC_ASSERT(mt::decode_unstructured(mt::field_body(block, "X-A-Rather-Long-Header-Field-Name")) == trim_wsp(value));
    }));
}
