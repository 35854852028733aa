// Header text: UTF-8 validation, encoded-words, folding. Decoding in these
// tests is done by hand from the RFC, not by the writer's own code.
#include <doctest/doctest.h>

#include <smtpcore/codec/base64.hpp>

#include <string>
#include <vector>

#include "../../lib/mime/header_text.hpp"
#include "../../lib/mime/sink.hpp"

using namespace smtpcore::mime::detail;

namespace {

std::string render_unstructured(const std::string& name, const std::string& value) {
    std::string out(8192, '\0');
    Sink s(out.data(), out.size(), 0);
    s.field(name);
    put_unstructured(s, value);
    s.crlf();
    out.resize(s.written());
    return out;
}

// Decodes one "=?UTF-8?X?...?=" word (RFC 2047 §4).
std::string decode_word(const std::string& w) {
    REQUIRE(w.size() >= 12);
    REQUIRE(w.compare(0, 8, "=?UTF-8?") == 0);
    const char enc = w[8];
    const std::string text = w.substr(10, w.size() - 12);
    if (enc == 'B') {
        std::string out(text.size(), '\0');
        const long n = smtpcore::codec::base64_decode(text, out.data(), out.size());
        REQUIRE(n >= 0);
        out.resize(static_cast<std::size_t>(n));
        return out;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out += ' ';
        } else if (text[i] == '=') {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::vector<std::string> words_of(const std::string& header) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : header) {
        if (c == ' ' || c == '\r' || c == '\n') {
            if (!cur.empty()) words.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) words.push_back(cur);
    return words;
}

}  // namespace

TEST_CASE("UTF-8 validation follows RFC 3629") {
    CHECK(valid_utf8("plain"));
    CHECK(valid_utf8("Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5 \xf0\x9f\x8e\x89"));
    CHECK_FALSE(valid_utf8("\xc3"));              // truncated
    CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(valid_utf8("\xff"));
}

TEST_CASE("ASCII subject folds at white space, keeping every character") {
    const std::string subject =
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
    const std::string out = render_unstructured("Subject", subject);
    CHECK(out == "Subject: one two three four five six seven eight nine ten eleven twelve\r\n"
                 " thirteen fourteen fifteen\r\n");
}

TEST_CASE("non-ASCII subject: encoded-words ≤ 75, lines ≤ 78, characters never split") {
    std::string subject;
    for (int i = 0; i < 30; ++i) subject += "\xe6\x97\xa5\xe6\x9c\xac ";  // "日本 "
    subject += "end";
    const std::string out = render_unstructured("Subject", subject);
    std::size_t start = 0;
    while (start < out.size()) {
        const std::size_t end = out.find("\r\n", start);
        CHECK(end - start <= 78);
        start = end + 2;
    }
    // Decode: drop white space between adjacent encoded-words (RFC 2047 §6.2).
    std::string decoded;
    bool prev_encoded = false;
    const std::vector<std::string> words = words_of(out.substr(9));
    for (const std::string& w : words) {
        const bool encoded = w.rfind("=?", 0) == 0;
        CHECK(w.size() <= 75);
        if (!decoded.empty() && !(encoded && prev_encoded)) decoded += ' ';
        decoded += encoded ? decode_word(w) : w;
        CHECK(valid_utf8(encoded ? decode_word(w) : w));  // no character split across words
        prev_encoded = encoded;
    }
    CHECK(decoded == subject);
}

TEST_CASE("words that look like encoded-words are encoded themselves") {
    const std::string out = render_unstructured("Subject", "see =?utf-8?q?x?= here");
    CHECK(out.find("=?utf-8?q?x?=") == std::string::npos);
    CHECK(out.rfind("Subject: see =?UTF-8?", 0) == 0);
}

TEST_CASE("a resumed rendering equals the whole one (sink skip)") {
    const std::string whole = render_unstructured("Subject", "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln, a long subject line");
    for (std::size_t window = 1; window < 20; ++window) {
        std::string joined;
        for (std::size_t skip = 0; skip < whole.size(); skip += window) {
            std::string buf(window, '\0');
            Sink s(buf.data(), buf.size(), skip);
            s.field("Subject");
            put_unstructured(s, "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln, a long subject line");
            s.crlf();
            joined.append(buf.data(), s.written());
        }
        CHECK(joined == whole);
    }
}
