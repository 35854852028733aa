// Fuzz target: base64 (RFC 4648 §4) — the unwrapped streaming encoder used by
// SASL and the 76-column line encoder used by MIME (RFC 2045 §6.8).
// tests/mime/test_properties.cpp holds the RapidCheck versions of these round
// trips; this target adds coverage-guided inputs and the in-place contract.
//
// Input: [piece seed] then the data, run through every supported encoder
// (scalar, AVX2, AVX-512 VBMI). Checks:
//  - any split gives the one-shot encoding; decode(encode(x)) == x;
//  - validate() agrees with decode() on the encoded text and on raw input;
//  - line encoder: lines of exactly 76 characters but the last, CRLF between
//    them, no trailing CRLF, in place (output below input) == out of place.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "base64_simd.hpp"
#include "smtpcore/codec/base64.hpp"

using namespace smtpcore::codec;
using smtpcore::codec::detail::Base64Impl;

namespace {

std::size_t piece_size(const std::string& sizes, std::size_t& turn, std::size_t left) {
    const std::size_t want = static_cast<unsigned char>(sizes[turn++ % sizes.size()]) % 80;
    return want < left ? want : left;  // 0 is a legal piece too
}

std::string decode(const std::string& text) {
    std::string out(text.size(), '\0');
    const long n = base64_decode(text, out.data(), out.size());
    FUZZ_CHECK(n >= 0, "decoder refused the encoder's output");
    out.resize(static_cast<std::size_t>(n));
    return out;
}

void check_plain(const std::string& data, const std::string& sizes) {
    std::string once(base64_encoded_size(data.size()), '\0');
    FUZZ_CHECK(base64_encode(data.data(), data.size(), once.data()) == once.size(), "one-shot size is wrong");

    Base64Encoder enc;
    std::string streamed;
    std::size_t offset = 0, turn = 0;
    while (offset < data.size()) {
        const std::size_t n = piece_size(sizes, turn, data.size() - offset);
        const std::size_t bound = enc.max_output(n);
        std::vector<char> out(bound + 1);
        const std::size_t w = enc.update(data.data() + offset, n, out.data());
        FUZZ_CHECK(w <= bound, "update() wrote more than max_output()");
        streamed.append(out.data(), w);
        offset += n;
    }
    char tail[4];
    streamed.append(tail, enc.finish(tail));
    FUZZ_CHECK(streamed == once, "streamed encoding differs from the one-shot encoding");
    FUZZ_CHECK(decode(once) == data, "base64 does not round-trip");
    FUZZ_CHECK(base64_validate(once) == static_cast<long>(data.size()), "validate() disagrees with the length");
}

// The MIME line encoder, out of place and in place (input at the top of one
// buffer, output written forward from 8 bytes below it, as the writer does).
void check_lines(const std::string& data, const std::string& sizes) {
    Base64LineEncoder out_of_place, in_place;
    std::string a, b;
    std::size_t offset = 0, turn = 0;
    while (offset < data.size()) {
        const std::size_t n = piece_size(sizes, turn, data.size() - offset);
        const std::size_t bound = out_of_place.max_output(n);
        std::vector<char> out(bound + 6);
        a.append(out.data(), out_of_place.update(data.data() + offset, n, out.data()));

        // In place: in - out >= 8 and out + max_output(n) <= in + n.
        std::vector<char> buffer(bound > n + 8 ? bound : n + 8);
        char* in = buffer.data() + buffer.size() - n;
        std::memcpy(in, data.data() + offset, n);
        b.append(buffer.data(), in_place.update(in, n, buffer.data()));
        offset += n;
    }
    char tail[6];
    a.append(tail, out_of_place.finish(tail));
    b.append(tail, in_place.finish(tail));
    FUZZ_CHECK(a == b, "in-place line encoding differs from out of place");

    std::string flat;
    std::size_t line = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == '\r') {
            FUZZ_CHECK(i + 1 < a.size() && a[i + 1] == '\n', "CR without LF in base64 lines");
            FUZZ_CHECK(line == Base64LineEncoder::kLineChars, "a base64 line that is not the last is not 76 long");
            FUZZ_CHECK(i + 2 < a.size(), "base64 lines end in CRLF");
            line = 0;
            ++i;
            continue;
        }
        flat += a[i];
        ++line;
    }
    FUZZ_CHECK(line <= Base64LineEncoder::kLineChars, "last base64 line too long");
    FUZZ_CHECK(decode(flat) == data, "base64 lines do not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const std::string sizes = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 8)) + "\x7f";
    const std::string input = fdp.ConsumeRemainingBytesAsString();
    // Every encoder this CPU can run sees every input (the automatic choice
    // alone would leave the AVX2 kernels unfuzzed on AVX-512 machines).
    const Base64Impl chosen = detail::base64_impl();
    for (const Base64Impl impl : {Base64Impl::Scalar, Base64Impl::Avx2, Base64Impl::Avx512Vbmi}) {
        if (!detail::base64_select_impl(impl)) continue;
        check_plain(input, sizes);
        check_lines(input, sizes);
    }
    detail::base64_select_impl(chosen);
    // Arbitrary text: validate and decode must agree, and never over-read.
    std::string out(input.size(), '\0');
    const long validated = base64_validate(input);
    const long decoded = base64_decode(input, out.data(), out.size());
    FUZZ_CHECK(validated == decoded, "validate() and decode() disagree on arbitrary text");
    return 0;
}
