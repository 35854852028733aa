// Fuzz target: quoted-printable (RFC 2045 §6.7), both modes, any pieces.
// tests/mime/test_properties.cpp holds the RapidCheck round trip; this target
// adds coverage-guided inputs and the line rules.
//
// Input: [mode][piece seed] then the data. Checks:
//  - Binary mode: qp_decode(encode(x)) == x; Text mode: == x with CR, LF and
//    CRLF all made CRLF;
//  - output is CRLF-separated lines of at most 76 characters, only printable
//    ASCII, no white space before a line end (rule 3);
//  - update() never writes more than max_output(); qp_decode never over-reads
//    arbitrary text;
//  - every SIMD implementation this CPU supports (lib/codec/qp_simd.cpp)
//    gives the scalar output octet for octet.
#include <cstdint>
#include <string>
#include <vector>

#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "qp_simd.hpp"
#include "smtpcore/codec/quoted_printable.hpp"

using smtpcore::codec::QpEncoder;
using smtpcore::codec::qp_decode;
namespace detail = smtpcore::codec::detail;

namespace {

std::string normalise_line_ends(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' || s[i] == '\n') {
            if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += "\r\n";
        } else {
            out += s[i];
        }
    }
    return out;
}

void check_lines(const std::string& out) {
    std::size_t line = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        if (c == '\r') {
            FUZZ_CHECK(i + 1 < out.size() && out[i + 1] == '\n', "bare CR in quoted-printable output");
            FUZZ_CHECK(i == 0 || (out[i - 1] != ' ' && out[i - 1] != '\t'), "white space before a line end");
            line = 0;
            ++i;
            continue;
        }
        FUZZ_CHECK(c != '\n', "bare LF in quoted-printable output");
        FUZZ_CHECK(c == ' ' || c == '\t' || (c >= 33 && c <= 126), "octet that must be encoded was not");
        ++line;
        FUZZ_CHECK(line <= QpEncoder::kLineChars, "quoted-printable line over 76 characters");
    }
    if (!out.empty()) FUZZ_CHECK(out.back() != ' ' && out.back() != '\t', "white space at the end");
}

// The whole encoding with the selected implementation, in pieces whose sizes
// come from `sizes`.
std::string encode_pieces(QpEncoder::Mode mode, const std::string& sizes, const std::string& input) {
    QpEncoder enc(mode);
    std::string out;
    std::size_t offset = 0, turn = 0;
    while (offset < input.size()) {
        std::size_t n = static_cast<unsigned char>(sizes[turn++ % sizes.size()]) % 100;
        if (n > input.size() - offset) n = input.size() - offset;
        std::vector<char> buffer(QpEncoder::max_output(n));
        const std::size_t w = enc.update(input.data() + offset, n, buffer.data());
        FUZZ_CHECK(w <= buffer.size(), "update() wrote more than max_output()");
        out.append(buffer.data(), w);
        offset += n;
    }
    char tail[6];
    out.append(tail, enc.finish(tail));
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const QpEncoder::Mode mode = fdp.ConsumeBool() ? QpEncoder::Mode::Text : QpEncoder::Mode::Binary;
    const std::string sizes = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 8)) + "\x40";
    const std::string input = fdp.ConsumeRemainingBytesAsString();

    const detail::QpImpl best = detail::qp_impl();
    detail::qp_select_impl(detail::QpImpl::Scalar);
    const std::string out = encode_pieces(mode, sizes, input);
    for (const detail::QpImpl impl : {detail::QpImpl::Avx2, detail::QpImpl::Avx512Bw}) {
        if (!detail::qp_select_impl(impl)) continue;
        FUZZ_CHECK(encode_pieces(mode, sizes, input) == out, "a SIMD quoted-printable encoder differs from the scalar one");
    }
    detail::qp_select_impl(best);
    check_lines(out);

    std::string decoded(out.size(), '\0');
    const long n = qp_decode(out, decoded.data(), decoded.size());
    FUZZ_CHECK(n >= 0, "decoder refused the encoder's output");
    decoded.resize(static_cast<std::size_t>(n));
    const std::string expected = mode == QpEncoder::Mode::Binary ? input : normalise_line_ends(input);
    FUZZ_CHECK(decoded == expected, "quoted-printable does not round-trip");

    std::string scratch(input.size(), '\0');
    (void)qp_decode(input, scratch.data(), scratch.size());
    return 0;
}
