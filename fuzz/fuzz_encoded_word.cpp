// Fuzz target: RFC 2047 encoded-words as the MIME writer folds them into a
// header field (lib/mime/header_text.cpp, written through a resumable Sink).
//
// Input: [field name length][window seed] then the text (kept only when it is
// valid UTF-8 without CR, LF or NUL, as the writer's validation guarantees).
// Checks:
//  - the field unfolds and decodes back to the text, words split only
//    between whole UTF-8 characters (each word decodes to valid UTF-8);
//  - every encoded-word is at most 75 characters, every line at most 76
//    (RFC 2047 §2; once past the field name), lines end in CRLF and continue
//    with a space;
//  - rendering into small windows (the Sink's skip/cap) gives the same bytes;
//  - the same text as an unstructured field (put_unstructured) rendered
//    window by window, each resuming from the checkpoint the previous window
//    reached (as the writer does), equals one rendering in a large buffer.
#include <cstdint>
#include <string>
#include <vector>

#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "header_text.hpp"
#include "sink.hpp"
#include "smtpcore/codec/base64.hpp"

using smtpcore::mime::detail::Sink;

namespace {

std::string render(const std::string& name, const std::string& text, std::size_t skip, std::size_t cap,
                   bool& complete) {
    std::string out(cap, '\0');
    Sink sink(out.data(), cap, skip);
    sink.field(name);
    smtpcore::mime::detail::put_encoded_words(sink, " ", text);
    complete = sink.complete();
    out.resize(sink.written());
    return out;
}

// Renders put_unstructured the way the writer does: each window resumes at
// the last checkpoint the previous one reached.
std::string render_unstructured(const std::string& name, const std::string& text, std::size_t window) {
    std::string whole;
    smtpcore::mime::detail::Checkpoint resume;
    for (int guard = 0; guard < 1000000; ++guard) {
        std::string out(window, '\0');
        Sink sink(out.data(), window, whole.size(), resume);
        if (sink.resumed() == nullptr) sink.field(name);
        smtpcore::mime::detail::put_unstructured(sink, text);
        sink.crlf();
        whole.append(out.data(), sink.written());
        if (sink.complete()) return whole;
        resume = sink.last_checkpoint();
    }
    FUZZ_CHECK(false, "unstructured rendering makes no progress");
    return whole;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes one "=?UTF-8?Q?...?=" or "=?UTF-8?B?...?=" word.
std::string decode_word(const std::string& w) {
    FUZZ_CHECK(w.size() <= 75, "encoded-word longer than 75 characters");
    FUZZ_CHECK(w.size() >= 12 && w.compare(0, 8, "=?UTF-8?") == 0 && w[9] == '?' &&
                   w.compare(w.size() - 2, 2, "?=") == 0,
               "malformed encoded-word");
    const std::string body = w.substr(10, w.size() - 12);
    std::string out;
    if (w[8] == 'B') {
        out.resize(body.size());
        const long n = smtpcore::codec::base64_decode(body, out.data(), out.size());
        FUZZ_CHECK(n >= 0, "B word is not valid base64");
        out.resize(static_cast<std::size_t>(n));
    } else {
        FUZZ_CHECK(w[8] == 'Q', "encoding is neither B nor Q");
        for (std::size_t i = 0; i < body.size(); ++i) {
            const char c = body[i];
            FUZZ_CHECK(c != ' ' && c != '?' && c != '\t', "Q word holds a character it must encode");
            if (c == '_') {
                out += ' ';
            } else if (c == '=') {
                FUZZ_CHECK(i + 2 < body.size() && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0,
                           "bad =XX in a Q word");
                out += static_cast<char>(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                i += 2;
            } else {
                out += c;
            }
        }
    }
    FUZZ_CHECK(smtpcore::mime::detail::valid_utf8(out), "a UTF-8 character was split across words");
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const std::string name(fdp.ConsumeIntegralInRange<std::size_t>(1, 60), 'X');
    const std::size_t window = fdp.ConsumeIntegralInRange<std::size_t>(1, 200);
    const std::string text = fdp.ConsumeRemainingBytesAsString();
    if (!smtpcore::mime::detail::valid_utf8(text) || smtpcore::mime::detail::has_line_break_or_nul(text)) return 0;
    if (text.size() > 4000) return 0;

    bool complete = false;
    const std::string whole = render(name, text, 0, 64 * 1024, complete);
    FUZZ_CHECK(complete, "rendering did not fit a buffer far larger than needed");
    // The same bytes through small windows.
    std::string pieces;
    std::string part;
    do {
        part = render(name, text, pieces.size(), window, complete);
        pieces += part;
    } while (!complete && !part.empty());
    FUZZ_CHECK(pieces == whole, "windowed rendering differs");
    FUZZ_CHECK(render_unstructured(name, text, window) == render_unstructured(name, text, 1 << 16),
               "unstructured rendering resumed from checkpoints differs");
    if (text.empty()) return 0;

    // Lines: CRLF then a space; at most 76 characters unless the name is long.
    FUZZ_CHECK(whole.compare(0, name.size() + 2, name + ": ") == 0, "field does not start with the name");
    std::vector<std::string> lines;
    for (std::size_t start = 0;;) {
        const std::size_t end = whole.find("\r\n", start);
        lines.push_back(whole.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 2;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) FUZZ_CHECK(!lines[i].empty() && lines[i][0] == ' ', "continuation line without white space");
        if (i > 0 || name.size() < 40) FUZZ_CHECK(lines[i].size() <= 76, "encoded-word line over 76 characters");
        FUZZ_CHECK(lines[i].find('\r') == std::string::npos && lines[i].find('\n') == std::string::npos,
                   "bare CR or LF in a header");
    }
    // Unfold, then decode every word; white space between words is dropped.
    std::string unfolded;
    for (const auto& l : lines) unfolded += l;
    std::string decoded;
    std::size_t pos = name.size() + 1;
    while (pos < unfolded.size()) {
        FUZZ_CHECK(unfolded[pos] == ' ', "words are not separated by white space");
        const std::size_t start = pos + 1;
        const std::size_t end = unfolded.find(' ', start);
        decoded += decode_word(unfolded.substr(start, end == std::string::npos ? std::string::npos : end - start));
        pos = end == std::string::npos ? unfolded.size() : end;
    }
    FUZZ_CHECK(decoded == text, "encoded-words do not decode to the text");
    return 0;
}
