// MessageWriter: golden messages, refusals, sources that wait or fail,
// promises a 7bit/8bit part breaks, and zero allocations while writing.
#include <doctest/doctest.h>

#include <smtpcore/mime/writer.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "samples.hpp"

using namespace smtpcore;
using namespace smtpcore::mime;
using smtpcore::mime::test::Sample;
namespace mt = smtpcore::mime::test;

namespace {

std::string golden_path(const std::string& name) { return std::string(MIME_GOLDEN_DIR) + "/" + name + ".eml"; }

// Compares with the golden file byte for byte. SMTPCORE_UPDATE_GOLDEN=1
// rewrites the files instead (review the diff before committing!).
void check_golden(const std::string& name, const std::string& out) {
    if (std::getenv("SMTPCORE_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden_path(name), std::ios::binary) << out;
        return;
    }
    std::ifstream f(golden_path(name), std::ios::binary);
    REQUIRE_MESSAGE(f.good(), "missing golden file " << golden_path(name));
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string expected = ss.str();
    CHECK_MESSAGE(out == expected, "output differs from " << golden_path(name));
}

Message minimal() {
    Message m;
    m.from = Mailbox{"", "a@example.org"};
    return m;
}

MimeError start_error(const Message& m) {
    MessageWriter w;
    return w.start(m);
}

// A source that says Pending every other call and gives one octet at a time.
struct SlowSource {
    std::string data;
    std::size_t offset = 0;
    bool wait = true;
    int pendings = 0;
    static ReadResult read(void* self, MutableBytes out) noexcept {
        auto* s = static_cast<SlowSource*>(self);
        s->wait = !s->wait;
        if (!s->wait) {
            ++s->pendings;
            return ReadResult{0, ReadStatus::Pending};
        }
        if (s->offset == s->data.size()) return ReadResult{0, ReadStatus::End};
        out[0] = s->data[s->offset++];
        return ReadResult{1, ReadStatus::Data};
    }
};

ReadResult failing_source(void*, MutableBytes) noexcept { return ReadResult{0, ReadStatus::Failed}; }

}  // namespace

TEST_CASE("golden messages, byte for byte") {
    for (int i = 0; i < mt::kSampleCount; ++i) {
        Sample s;
        mt::sample_by_index(s, i);
        check_golden(s.name, mt::write_all(s.msg));
    }
}

TEST_CASE("the same bytes whatever the window sizes, tiny windows included") {
    for (int i = 0; i < mt::kSampleCount; ++i) {
        Sample s;
        mt::sample_by_index(s, i);
        CAPTURE(s.name);
        const std::string whole = mt::write_all(s.msg, {1 << 20});
        CHECK(mt::write_all(s.msg, {1}) == whole);
        CHECK(mt::write_all(s.msg, {2, 3, 5, 7, 11, 13}) == whole);
        CHECK(mt::write_all(s.msg, {63, 64, 65, 127, 128, 129}) == whole);
        CHECK(mt::write_all(s.msg, {4096, 1, 100}) == whole);
    }
}

TEST_CASE("bad input is refused before anything is written, naming the field") {
    Message m = minimal();
    CHECK(start_error(m).ok());

    m.from.address = "no-at-sign";
    CHECK(std::string(start_error(m).field) == "from");
    m.from.address = "a@example.org\r\nBcc: victim@example.org";
    CHECK(std::string(start_error(m).field) == "from");
    m.from.address = "a..b@example.org";
    CHECK(std::string(start_error(m).field) == "from");
    m.from.address = "a@-bad-.org";
    CHECK(std::string(start_error(m).field) == "from");
    m = minimal();

    Mailbox to[] = {{"", "ok@example.org"}, {"Eve\nX-Injected: 1", "eve@example.org"}};
    m.to = Span<const Mailbox>(to, 2);
    MimeError e = start_error(m);
    CHECK(std::string(e.field) == "to");
    CHECK(e.index == 1);
    m = minimal();

    m.subject = std::string_view("Hello\r\nBcc: x@example.org");
    CHECK(std::string(start_error(m).field) == "subject");
    m.subject = std::string_view("nul\0inside", 10);
    CHECK(std::string(start_error(m).field) == "subject");
    m.subject = "bad utf-8 \xc3";
    CHECK(std::string(start_error(m).field) == "subject");
    m = minimal();

    Header headers[] = {{"X-Good", "v"}, {"Bad Name", "v"}};
    m.headers = Span<const Header>(headers, 2);
    e = start_error(m);
    CHECK(std::string(e.field) == "header name");
    CHECK(e.index == 1);
    Header bcc[] = {{"Bcc", "x@example.org"}};
    m.headers = Span<const Header>(bcc, 1);
    CHECK(std::string(start_error(m).field) == "header name");
    Header value[] = {{"X-V", "a\rb"}};
    m.headers = Span<const Header>(value, 1);
    CHECK(std::string(start_error(m).field) == "header value");
    m = minimal();

    Part att;
    att.content_type = "octet-stream";  // no slash
    m.attachments = Span<const Part>(&att, 1);
    e = start_error(m);
    CHECK(std::string(e.field) == "attachment");
    CHECK(std::string(e.reason).find("'/'") != std::string::npos);
    att.content_type = "application/pdf";
    att.filename = "evil\r\n.pdf";
    CHECK(std::string(start_error(m).field) == "attachment");
    m = minimal();

    DateTime d{2023, 2, 29, 0, 0, 0, 0};  // not a leap year
    m.date = &d;
    CHECK(std::string(start_error(m).field) == "date");
    m = minimal();
    m.message_id = "no-at";
    CHECK(std::string(start_error(m).field) == "message-id");
    m = minimal();
    Part inline_part;
    m.related = Span<const Part>(&inline_part, 1);
    CHECK(std::string(start_error(m).field) == "related part");

    // A refused writer writes nothing and reports Failed.
    MessageWriter w;
    m = minimal();
    m.from.address = "bad";
    CHECK_FALSE(w.start(m).ok());
    char buf[64];
    const ReadResult r = w.read(MutableBytes(buf, sizeof buf));
    CHECK(r.status == ReadStatus::Failed);
    CHECK(r.size == 0);
}

TEST_CASE("Bcc is never written; there is no field for it") {
    Sample s;
    mt::sample_attachments(s);
    const std::string out = mt::write_all(s.msg);
    CHECK(out.find("Bcc") == std::string::npos);
}

TEST_CASE("a waiting source makes the writer wait; the output is unchanged") {
    SlowSource slow{"attachment bytes \x01\x02\xff", 0, true, 0};
    Message m = minimal();
    Part att;
    att.content_type = "application/octet-stream";
    att.source = BodySource{&SlowSource::read, &slow};
    m.attachments = Span<const Part>(&att, 1);
    MessageWriter w;
    REQUIRE(w.start(m).ok());
    std::string out;
    int pendings = 0;
    for (;;) {
        char buf[256];
        const ReadResult r = w.read(MutableBytes(buf, sizeof buf));
        out.append(buf, r.size);
        if (r.status == ReadStatus::Pending) ++pendings;
        if (r.status == ReadStatus::End || r.status == ReadStatus::Failed) {
            CHECK(r.status == ReadStatus::End);
            break;
        }
    }
    CHECK(pendings > 0);
    Part same = att;
    same.source = BodySource{};
    same.data = as_bytes(slow.data);
    m.attachments = Span<const Part>(&same, 1);
    CHECK(out == mt::write_all(m));
}

TEST_CASE("a failing source fails the write, naming the part") {
    Message m = minimal();
    Part parts[2];
    parts[0].content_type = "application/octet-stream";
    parts[1].content_type = "application/octet-stream";
    parts[1].source = BodySource{&failing_source, nullptr};
    m.attachments = Span<const Part>(parts, 2);
    MessageWriter w;
    REQUIRE(w.start(m).ok());
    ReadResult r{0, ReadStatus::Data};
    char buf[512];
    while (r.status == ReadStatus::Data) r = w.read(MutableBytes(buf, sizeof buf));
    CHECK(r.status == ReadStatus::Failed);
    CHECK(std::string(w.error().field) == "part body");
    CHECK(w.error().index == 1);  // no text part: leaves are the two attachments
    CHECK(w.read(MutableBytes(buf, sizeof buf)).status == ReadStatus::Failed);
}

TEST_CASE("forced 7bit/8bit: a broken promise fails instead of sending bad lines") {
    const std::string long_line(1200, 'x');
    const std::string cases[] = {long_line, std::string("nul\0here", 8), "caf\xc3\xa9"};
    for (const std::string& data : cases) {
        Message m = minimal();
        Part text;
        text.data = as_bytes(data);
        text.encoding = Encoding::SevenBit;
        m.text = &text;
        CHECK(mt::write_all(m).rfind("FAILED: part body", 0) == 0);
    }
    // The same data with Auto is encoded instead.
    for (const std::string& data : cases) {
        Message m = minimal();
        Part text;
        text.data = as_bytes(data);
        m.text = &text;
        const std::string out = mt::write_all(m);
        CHECK(out.find("Content-Transfer-Encoding: 7bit") == std::string::npos);
        for (std::size_t start = 0, end; start < out.size(); start = end + 2) {
            end = out.find("\r\n", start);
            REQUIRE(end != std::string::npos);
            CHECK(end - start <= 998);
        }
    }
}

TEST_CASE("a line starting with the message's own boundary: refused as 7bit, encoded by Auto") {
    Message m = minimal();
    Part text, att;
    const std::string data = "ok\r\n--=_smtpcore_ looks like ours\r\n--=_other boundary is fine\r\n";
    text.data = as_bytes(data);
    text.encoding = Encoding::SevenBit;
    att.content_type = "application/octet-stream";
    m.text = &text;
    m.attachments = Span<const Part>(&att, 1);
    CHECK(mt::write_all(m).rfind("FAILED: part body", 0) == 0);
    text.encoding = Encoding::Auto;
    CHECK(mt::write_all(m).find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
    // Alone in a single-part message there is no boundary to collide with.
    m.attachments = Span<const Part>();
    text.encoding = Encoding::SevenBit;
    CHECK(mt::write_all(m).find(data) != std::string::npos);
}

TEST_CASE("encoding choice: 7bit, 8bit with 8BITMIME, QP, base64") {
    Message m = minimal();
    Part text;
    m.text = &text;
    MessageWriter w;
    const std::string ascii = "short ASCII lines\r\n";
    text.data = as_bytes(ascii);
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::SevenBit);
    const std::string utf8 = "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln, wie geht es dir heute?\r\n";
    text.data = as_bytes(utf8);
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::QuotedPrintable);
    m.eight_bit_mime = true;
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::EightBit);
    m.eight_bit_mime = false;
    const std::string russian = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82";
    text.data = as_bytes(russian);
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::Base64);
    text.content_type = "application/json";
    text.data = as_bytes(ascii);
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::Base64);  // not text/*: binary
    text.content_type = "text/plain";
    SlowSource stream{"x", 0, true, 0};
    text.source = BodySource{&SlowSource::read, &stream};
    REQUIRE(w.start(m).ok());
    CHECK(w.current_encoding() == TransferEncoding::QuotedPrintable);  // streams are not scanned
}

TEST_CASE("writing allocates nothing, for every sample and window size") {
    std::vector<char> buf(70000);
    for (int i = 0; i < mt::kSampleCount; ++i) {
        Sample s;
        mt::sample_by_index(s, i);
        const std::size_t expected = mt::write_all(s.msg).size();
        for (const std::size_t window : {1, 7, 63, 64, 1000, 65536}) {
            CAPTURE(s.name);
            CAPTURE(window);
            MessageWriter w;
            std::size_t total = 0;
            ReadResult r{0, ReadStatus::Data};
            {
                smtpcore::test::AllocationScope scope;
                REQUIRE(w.start(s.msg).ok());
                while (r.status == ReadStatus::Data) {
                    r = w.read(MutableBytes(buf.data(), window));
                    total += r.size;
                }
                CHECK(scope.allocations() == 0);
            }
            CHECK(r.status == ReadStatus::End);
            CHECK(total == expected);
        }
    }
}

#ifndef _WIN32  // Windows counts only operator new (tests/support/alloc_counter.cpp)
TEST_CASE("the allocation counter sees every allocation function") {
    smtpcore::test::AllocationScope scope;
    void* p = nullptr;
    REQUIRE(posix_memalign(&p, 64, 100) == 0);
    free(p);
    CHECK(scope.allocations() == 1);
    p = aligned_alloc(64, 128);
    free(p);
    CHECK(scope.allocations() == 2);
    ::operator delete(::operator new(16));  // a call, unlike a new-expression, is never elided
    CHECK(scope.allocations() == 3);
}
#endif

TEST_CASE("source() pulls exactly like read()") {
    Sample s;
    mt::sample_plain(s);
    MessageWriter w;
    REQUIRE(w.start(s.msg).ok());
    BodySource src = w.source();
    std::string out;
    char buf[100];
    ReadResult r{0, ReadStatus::Data};
    while (r.status == ReadStatus::Data) {
        r = src(MutableBytes(buf, sizeof buf));
        out.append(buf, r.size);
    }
    CHECK(r.status == ReadStatus::End);
    CHECK(out == mt::write_all(s.msg));
}

TEST_CASE("date_from_unix") {
    const DateTime epoch = date_from_unix(0, 0);
    CHECK(epoch.year == 1970);
    CHECK(epoch.day == 1);
    // 2024-02-29 12:34:56 UTC = 1709210096; seen from +05:30.
    const DateTime d = date_from_unix(1709210096, 330);
    CHECK(d.year == 2024);
    CHECK(d.month == 2);
    CHECK(d.day == 29);
    CHECK(d.hour == 18);
    CHECK(d.minute == 4);
    CHECK(d.second == 56);
    const DateTime before = date_from_unix(-1, 0);
    CHECK(before.year == 1969);
    CHECK(before.month == 12);
    CHECK(before.day == 31);
    CHECK(before.second == 59);
}

TEST_CASE("format_date writes what the Date field holds") {
    char out[64];
    const DateTime d = date_from_unix(1709210096, 330);  // Thu 2024-02-29 18:04:56 +0530
    const std::size_t n = format_date(d, out, sizeof out);
    CHECK(std::string(out, n) == "Thu, 29 Feb 2024 18:04:56 +0530");
    CHECK(format_date(date_from_unix(0, -90), out, sizeof out) == 31);
    CHECK(std::string(out, 31) == "Wed, 31 Dec 1969 22:30:00 -0130");
    // The same text as the writer's own field.
    Message m = minimal();
    m.date = &d;
    CHECK(mt::write_all(m).find("Date: Thu, 29 Feb 2024 18:04:56 +0530\r\n") != std::string::npos);
    CHECK(format_date(d, out, 30) == 0);             // too small
    const DateTime bad{2023, 2, 29, 0, 0, 0, 0};  // not a leap year
    CHECK(format_date(bad, out, sizeof out) == 0);
}

// RFC 3282 Content-Language and RFC 2045 §8 Content-Description describe the
// content but are no part of the MIME structure: a caller may set them. Every
// other Content-* field is the writer's (or would contradict what it writes).
TEST_CASE("Content-Language and Content-Description are caller fields; other Content-* stay reserved") {
    Message m = minimal();
    Header mine[] = {{"Content-Language", "en, de-CH"}, {"content-description", "Bericht f\xc3\xbcr M\xc3\xa4rz"}};
    m.headers = Span<const Header>(mine, 2);
    REQUIRE(start_error(m).ok());
    const std::string out = mt::write_all(m);
    CHECK(out.find("\r\nContent-Language: en, de-CH\r\n") != std::string::npos);
    // Content-Description is *text (RFC 2045 §8): non-ASCII goes as RFC 2047 encoded-words.
    const auto at = out.find("\r\ncontent-description: ");
    REQUIRE(at != std::string::npos);
    CHECK(out.compare(at + 23, 10, "Bericht =?") == 0);

    // Content-Language is a list of ASCII language tags (RFC 3282 §2), never encoded text.
    Header utf8_language[] = {{"Content-Language", "fran\xc3\xa7" "ais"}};
    m.headers = Span<const Header>(utf8_language, 1);
    CHECK(std::string(start_error(m).field) == "header value");

    for (const char* name : {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID",
                             "content-type", "Content-Base", "Content-Languages", "Content-Description-X"}) {
        Header h[] = {{name, "x"}};
        m.headers = Span<const Header>(h, 1);
        CAPTURE(name);
        CHECK(std::string(start_error(m).field) == "header name");
    }
}
