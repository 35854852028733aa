// Fuzz target: the EHLO keyword parser (RFC 5321 §4.1.1.1).
//
// Input: [piece seed] then EHLO lines separated by '\n' (the text after
// "250-"/"250 ", as the engine hands it over). Checks:
//  - split invariance: lines fed whole and in fuzzed pieces give the same
//    capabilities;
//  - SASL mechanisms are only ever learned from an AUTH line, SIZE only from a
//    SIZE line;
//  - tokens of any length are bounded (the parser holds 20 octets).
#include <cstdint>
#include <string>

#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/detail/capability_parser.hpp"

using smtpcore::Capabilities;
using smtpcore::detail::CapabilityParser;

namespace {

Capabilities parse(const std::string& text, const std::string& sizes) {
    CapabilityParser parser;
    Capabilities caps;
    parser.begin_line();
    std::size_t turn = 0, start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        for (std::size_t at = start; at < end;) {
            std::size_t piece = end - at;
            if (!sizes.empty()) {
                const std::size_t want = 1 + static_cast<unsigned char>(sizes[turn++ % sizes.size()]) % 24;
                piece = want < piece ? want : piece;
            }
            parser.text(caps, std::string_view(text).substr(at, piece));
            at += piece;
        }
        parser.end_line(caps);
        start = end + 1;
    }
    return caps;
}

bool has_keyword_line(const std::string& text, std::string_view keyword) {
    // Case-insensitive: any line whose first token starts with the keyword.
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::size_t b = start;
        while (b < end && (text[b] == ' ' || text[b] == '\t')) ++b;
        if (end - b >= keyword.size()) {
            bool same = true;
            for (std::size_t i = 0; i < keyword.size() && same; ++i) {
                char c = text[b + i];
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
                same = c == keyword[i];
            }
            if (same) return true;
        }
        start = end + 1;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const std::string sizes = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 6));
    const std::string text = fdp.ConsumeRemainingBytesAsString();

    const Capabilities whole = parse(text, "");
    const Capabilities pieces = parse(text, sizes);
    FUZZ_CHECK(whole.extensions == pieces.extensions, "split changed the extensions");
    FUZZ_CHECK(whole.mechanisms == pieces.mechanisms, "split changed the SASL mechanisms");
    FUZZ_CHECK(whole.size_limit == pieces.size_limit, "split changed the SIZE limit");
    if (whole.mechanisms != 0) FUZZ_CHECK(has_keyword_line(text, "AUTH"), "mechanisms without an AUTH line");
    if (whole.size_limit != 0) FUZZ_CHECK(has_keyword_line(text, "SIZE"), "SIZE limit without a SIZE line");
    return 0;
}
