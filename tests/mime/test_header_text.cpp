// Header text: UTF-8 validation, encoded-words, folding. Decoding in these
// tests is done by hand from the RFC, not by the writer's own code.
#include <doctest/doctest.h>

#include <smtpcore/codec/base64.hpp>

#include <string>
#include <vector>

#include "../../lib/mime/address.hpp"
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

namespace {

// Renders a 700-mailbox list the way the writer does, `window` octets at a
// time; returns the octets rendered in total (kept or skipped).
std::size_t list_rendering_work(std::size_t window, bool resume, std::string& out) {
    using smtpcore::mime::Mailbox;
    static std::vector<std::string> names, addresses;
    static std::vector<Mailbox> list;
    if (list.empty()) {
        for (int i = 0; i < 700; ++i) {
            names.push_back(i % 7 == 0 ? "Empf\xc3\xa4nger " + std::to_string(i) : "Recipient Number " + std::to_string(i));
            addresses.push_back("recipient" + std::to_string(i) + "@example.org");
        }
        for (int i = 0; i < 700; ++i) list.push_back(Mailbox{names[i], addresses[i]});
    }
    std::size_t work = 0;
    smtpcore::mime::detail::Checkpoint from;
    out.clear();
    for (;;) {
        std::string buf(window, '\0');
        Sink s(buf.data(), window, out.size(), from);
        if (s.resumed() == nullptr) s.field("To");
        put_mailbox_list(s, smtpcore::Span<const Mailbox>(list.data(), list.size()));
        s.crlf();
        out.append(buf.data(), s.written());
        work += s.rendered();
        if (s.complete()) return work;
        if (resume) from = s.last_checkpoint();
    }
}

}  // namespace

TEST_CASE("windowed rendering resumes from checkpoints: work stays linear in the output") {
    std::string whole, small;
    const std::size_t once = list_rendering_work(1 << 20, true, whole);
    CHECK(once == whole.size());
    // 1-octet windows: each window renders at most one mailbox again.
    const std::size_t work = list_rendering_work(1, true, small);
    CHECK(small == whole);
    CHECK(work < 80 * whole.size());
    // Without resuming (every window from the start of the field) the work
    // is quadratic: what the writer did before checkpoints.
    const std::size_t quadratic = list_rendering_work(64, false, small);
    CHECK(small == whole);
    CHECK(quadratic > 100 * whole.size());
    CHECK(list_rendering_work(64, true, small) < 3 * whole.size());
}
