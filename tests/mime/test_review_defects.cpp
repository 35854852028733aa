// Regression tests for the defects found when the writer's output was read
// by independent parsers (numbers as in the review). Each one failed on the
// writer before the fix.
#include <doctest/doctest.h>

#include <smtpcore/mime/writer.hpp>

#include <string>
#include <vector>

#include "header_reader.hpp"
#include "samples.hpp"

using namespace smtpcore;
using namespace smtpcore::mime;
namespace mt = smtpcore::mime::test;
using smtpcore::mime::test::Sample;

namespace {

Message minimal() {
    Message m;
    m.from = Mailbox{"", "a@example.org"};
    return m;
}

std::string headers_of(const Message& m) { return mt::header_block(mt::write_all(m)); }

// The header block of one part: from the line after "--boundary" to the empty line.
std::string part_headers(const std::string& out, const std::string& content_type) {
    const std::size_t at = out.find("Content-Type: " + content_type);
    REQUIRE(at != std::string::npos);
    return out.substr(at, out.find("\r\n\r\n", at) + 2 - at);
}

const std::string kGmailId = "<CAHk-=wjV9Lp6Cs3fC8x2nH5uS7dKqZ0Ry1gT4mE6bW2aN8oP3iQ@mail.gmail.com>";

}  // namespace

TEST_CASE("1: msg-ids and URLs in custom headers are never encoded") {
    Message m = minimal();
    const std::string refs = kGmailId + " <short@example.org> " + kGmailId;
    const std::string unsub = "<https://lists.example.com/unsubscribe/0123456789abcdef0123456789abcdef0123456789>, "
                              "<mailto:leave@lists.example.com?subject=unsubscribe>";
    Header h[] = {{"In-Reply-To", kGmailId}, {"References", refs}, {"List-Unsubscribe", unsub}};
    m.headers = Span<const Header>(h, 3);
    const std::string block = headers_of(m);
    CHECK(block.find("=?") == std::string::npos);
    CHECK(mt::field_body(block, "In-Reply-To") == kGmailId);
    // Unfolding keeps the fold's white space: one space between ids.
    CHECK(mt::field_body(block, "References") == refs);
    CHECK(mt::field_body(block, "List-Unsubscribe") == unsub);
    CHECK(mt::layout_breaches(block).empty());  // over 78 only where one id fills the line
}

TEST_CASE("2: UTF-16 text goes octet-exact (base64), never through line-break conversion") {
    Message m = minimal();
    const std::string utf16("\xff\xfe" "a\0\r\0\n\0b\0\n\0", 12);
    Part text;
    text.charset = "utf-16";
    text.data = as_bytes(utf16);
    m.text = &text;
    const std::string out = mt::write_all(m);
    CHECK(mt::header_block(out).find("Content-Transfer-Encoding: base64") != std::string::npos);
    CHECK(mt::header_block(out).find("charset=utf-16") != std::string::npos);
    CHECK(mt::base64_lines_decode(mt::body_of(out)) == utf16);
    // Forced quoted-printable keeps every octet too (=0D, =0A).
    text.encoding = Encoding::QuotedPrintable;
    const std::string qp = mt::write_all(m);
    CHECK(mt::body_of(qp).find("=0D") != std::string::npos);
}

TEST_CASE("3: message/rfc822 is only 7bit/8bit; an smtpcore message can be forwarded") {
    Sample inner_s;
    mt::sample_attachments(inner_s);
    inner_s.msg.boundary_random = Bytes("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    const std::string inner = mt::write_all(inner_s.msg);
    REQUIRE(inner.rfind("Date:", 0) == 0);

    Message m = minimal();
    const std::string random = "\x11\x22\x33\x44\x55\x66\x77\x88";
    m.boundary_random = as_bytes(random);
    Part text, fwd;
    const std::string note = "See the forwarded message.\r\n";
    text.data = as_bytes(note);
    fwd.content_type = "message/rfc822";
    fwd.data = as_bytes(inner);
    m.text = &text;
    m.attachments = Span<const Part>(&fwd, 1);
    const std::string out = mt::write_all(m);
    CHECK(out.find("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit") != std::string::npos);
    CHECK(out.find(inner) != std::string::npos);  // byte for byte, not re-encoded
    fwd.encoding = Encoding::SevenBit;
    CHECK(mt::write_all(m).find(inner) != std::string::npos);

    fwd.encoding = Encoding::Base64;
    CHECK(mt::write_all(m).rfind("START: attachment", 0) == 0);
    fwd.encoding = Encoding::QuotedPrintable;
    CHECK(mt::write_all(m).rfind("START: attachment", 0) == 0);
    fwd.encoding = Encoding::Auto;
    fwd.content_type = "message/partial";
    fwd.encoding = Encoding::Base64;
    CHECK(mt::write_all(m).rfind("START: attachment", 0) == 0);

    // 8bit content needs 8BITMIME; without it message/rfc822 cannot be sent.
    fwd.content_type = "message/rfc822";
    fwd.encoding = Encoding::Auto;
    const std::string inner8 = "Subject: x\r\n\r\nGr\xc3\xbc\xc3\x9f" "e\r\n";
    fwd.data = as_bytes(inner8);
    CHECK(mt::write_all(m).rfind("START: attachment", 0) == 0);
    m.eight_bit_mime = true;
    const std::string out8 = mt::write_all(m);
    CHECK(part_headers(out8, "message/rfc822").find("Content-Transfer-Encoding: 8bit") != std::string::npos);
    CHECK(out8.find("\r\n\r\n" + inner8) != std::string::npos);

    // The outer message's own boundary inside the content is still refused.
    m.boundary_random = inner_s.msg.boundary_random;
    fwd.data = as_bytes(inner);
    fwd.encoding = Encoding::SevenBit;
    CHECK(mt::write_all(m).rfind("FAILED: part body", 0) == 0);
}

TEST_CASE("4: a long run of white space never makes a line over 998 (or 78)") {
    Message m = minimal();
    const std::string subject = "start" + std::string(1200, ' ') + "end" + std::string(600, '\t') + "x";
    m.subject = subject;
    Header h[] = {{"X-Spaces", subject}};
    m.headers = Span<const Header>(h, 1);
    const std::string block = headers_of(m);
    CHECK(mt::layout_breaches(block).empty());
    CHECK(mt::decode_unstructured(mt::field_body(block, "Subject")) == subject);
    CHECK(mt::decode_unstructured(mt::field_body(block, "X-Spaces")) == subject);
}

TEST_CASE("5: non-ASCII and long filenames also get an RFC 2047 name= beside filename*=") {
    Message m = minimal();
    Part att;
    att.content_type = "application/pdf";
    att.filename = "Rechnungs\xc3\xbc" "bersicht.pdf";
    const std::string data = "%PDF";
    att.data = as_bytes(data);
    m.attachments = Span<const Part>(&att, 1);
    const std::string block = part_headers(mt::write_all(m), "application/pdf");
    CHECK(block.find("; name=\"=?UTF-8?") != std::string::npos);
    CHECK(block.find("filename*=UTF-8''Rechnungs%C3%BCbersicht.pdf") != std::string::npos);
    CHECK(mt::layout_breaches(block).empty());
    const std::string long_name = "a long report name " + std::string(100, 'n') + ".pdf";
    att.filename = long_name;
    const std::string block2 = part_headers(mt::write_all(m), "application/pdf");
    CHECK(block2.find("; name=\"=?UTF-8?") != std::string::npos);
    CHECK(block2.find("filename*0*=") != std::string::npos);
    CHECK(mt::layout_breaches(block2).empty());
    // Long but one plain token: written as it is, on a line of its own.
    const std::string token_name(120, 'n');
    att.filename = token_name;
    const std::string block3 = part_headers(mt::write_all(m), "application/pdf");
    CHECK(block3.find("\r\n name=\"" + token_name + "\"") != std::string::npos);
    CHECK(mt::layout_breaches(block3).empty());
    // So long that the encoded fallback could not be a file name: none.
    std::string huge;
    for (int i = 0; i < 100; ++i) huge += "\xc3\xbc";
    att.filename = huge;
    const std::string block4 = part_headers(mt::write_all(m), "application/pdf");
    CHECK(block4.find("name=") == std::string::npos);
    CHECK(block4.find("filename*0*=UTF-8''%C3%BC") != std::string::npos);
}

TEST_CASE("6: charset is written for text/* whatever the Kind or encoding") {
    Message m = minimal();
    Part text;
    text.kind = Kind::Binary;
    text.charset = "iso-8859-1";
    const std::string data = "caf\xe9\r\n";
    text.data = as_bytes(data);
    m.text = &text;
    CHECK(headers_of(m).find("Content-Type: text/plain; charset=iso-8859-1") != std::string::npos);
}

TEST_CASE("7: filenames with ', * or % are quoted") {
    Message m = minimal();
    Part att[3];
    const char* names[] = {"O'Neil.pdf", "v2*final.txt", "100%.txt"};
    for (int i = 0; i < 3; ++i) {
        att[i].content_type = "application/octet-stream";
        att[i].filename = names[i];
    }
    m.attachments = Span<const Part>(att, 3);
    const std::string out = mt::write_all(m);
    for (const char* n : names) CHECK(out.find("filename=\"" + std::string(n) + "\"") != std::string::npos);
}

TEST_CASE("8: trailing white space gives neither a blank continuation line nor a long line") {
    Message m = minimal();
    const std::string subject = "A subject that is just long enough to reach the fold column here" + std::string(20, ' ');
    m.subject = subject;
    const std::string block = headers_of(m);
    CHECK(mt::layout_breaches(block).empty());
    for (const std::string& line : mt::lines_of(block))
        CHECK(line.find_first_not_of(" \t") != std::string::npos);
}

TEST_CASE("9: multipart/related carries its type parameter") {
    Sample s;
    mt::sample_alternative(s);
    const std::string out = mt::write_all(s.msg);
    const std::size_t at = out.find("multipart/related;");
    REQUIRE(at != std::string::npos);
    const std::string field = out.substr(at, out.find("\r\n\r\n", at) - at);
    CHECK(field.find("type=\"text/html\"") != std::string::npos);
}

TEST_CASE("10: lines holding encoded-words stay within 76 columns") {
    for (bool eight : {false, true}) {
        Sample s;
        mt::sample_international(s, eight);
        const std::string out = mt::write_all(s.msg);
        CHECK(mt::layout_breaches(mt::header_block(out)).empty());
        CHECK(mt::layout_breaches(part_headers(out, "application/pdf")).empty());
    }
}

TEST_CASE("11: text sent as base64 is canonical CRLF, like the other encodings") {
    Message m = minimal();
    Part text;
    const std::string data = "one\ntwo\rthree\r\nfour";
    text.data = as_bytes(data);
    text.encoding = Encoding::Base64;
    m.text = &text;
    CHECK(mt::base64_lines_decode(mt::body_of(mt::write_all(m))) == "one\r\ntwo\r\nthree\r\nfour");
    // Streamed and in tiny windows, the same.
    BufferSource src(as_bytes(data));
    Part streamed = text;
    streamed.source = src.source();
    m.text = &streamed;
    CHECK(mt::base64_lines_decode(mt::body_of(mt::write_all(m, {1, 7, 64, 65}))) == "one\r\ntwo\r\nthree\r\nfour");
}

TEST_CASE("12: a domain-literal Message-ID domain is accepted (RFC 5322 §3.6.4)") {
    Message m = minimal();
    const std::string random = "0123456789abcdef";
    m.message_id_random = as_bytes(random);
    m.message_id_domain = "[127.0.0.1]";
    const std::string block = headers_of(m);
    CHECK(block.find("@[127.0.0.1]>\r\n") != std::string::npos);
    m.message_id_domain = "[bad]x";
    CHECK(mt::write_all(m).rfind("START: message-id", 0) == 0);
}

TEST_CASE("13: a tab before an encoded-word stays a tab where the line folds") {
    Message m = minimal();
    const std::string subject = "word word word word word word word word word word word word word\tGr\xc3\xbc\xc3\x9f" "e";
    m.subject = subject;
    const std::string block = headers_of(m);
    CHECK(mt::decode_unstructured(mt::field_body(block, "Subject")) == subject);
}

TEST_CASE("14: a quoted display name respects the current column") {
    Message m = minimal();
    Mailbox to[] = {{"Release \"Manager\" of the project, responsible for the quarterly buildsx", "rm@example.org"},
                    {"Plain Name Without Quotes But With A Comma, Inc. And A Long Tail Of Wordsx", "p@example.org"}};
    m.to = Span<const Mailbox>(to, 2);
    m.cc = Span<const Mailbox>(to + 1, 1);
    m.reply_to = Span<const Mailbox>(to, 1);
    CHECK(mt::layout_breaches(headers_of(m)).empty());
}

TEST_CASE("17: Resent-Bcc is refused; a multipart holding 8bit parts says 8bit") {
    Message m = minimal();
    Header h[] = {{"Resent-Bcc", "hidden@example.org"}};
    m.headers = Span<const Header>(h, 1);
    CHECK(mt::write_all(m).rfind("START: header name", 0) == 0);

    m = minimal();
    m.eight_bit_mime = true;
    Part text, att;
    const std::string body = "Gr\xc3\xbc\xc3\x9f" "e\r\n";
    text.data = as_bytes(body);
    att.content_type = "application/octet-stream";
    m.text = &text;
    m.attachments = Span<const Part>(&att, 1);
    const std::string block = headers_of(m);
    CHECK(block.find("Content-Type: multipart/mixed") != std::string::npos);
    CHECK(block.find("Content-Transfer-Encoding: 8bit") != std::string::npos);
    m.eight_bit_mime = false;  // the same part as quoted-printable: 7bit, no label
    CHECK(headers_of(m).find("Content-Transfer-Encoding") == std::string::npos);
}

TEST_CASE("header kinds: first-class Sender, In-Reply-To, References; raw and list values checked") {
    Message m = minimal();
    const std::string_view ids[] = {"a@example.org", "<b@example.org>", "c@[192.0.2.1]"};
    m.sender = Mailbox{"Bounce Handler", "bounce@example.org"};
    m.in_reply_to = Span<const std::string_view>(ids, 1);
    m.references = Span<const std::string_view>(ids, 3);
    const std::string block = headers_of(m);
    CHECK(mt::field_body(block, "Sender") == "Bounce Handler <bounce@example.org>");
    CHECK(mt::field_body(block, "In-Reply-To") == "<a@example.org>");
    CHECK(mt::field_body(block, "References") == "<a@example.org> <b@example.org> <c@[192.0.2.1]>");

    const std::string_view bad[] = {"no-at-sign"};
    m.references = Span<const std::string_view>(bad, 1);
    CHECK(mt::write_all(m).rfind("START: references", 0) == 0);
    m.references = Span<const std::string_view>();
    Header dup[] = {{"In-Reply-To", "<x@example.org>"}};
    m.headers = Span<const Header>(dup, 1);
    CHECK(mt::write_all(m).rfind("START: header name", 0) == 0);  // also a Message field

    m = minimal();
    Header refused[] = {{"References", "<a@example.org>, <b@example.org>"},  // commas: not a msg-id list
                        {"List-Help", "<https://example.org/help"},           // unterminated
                        {"X-Raw", "caf\xc3\xa9", HeaderKind::Raw},            // not ASCII
                        {"X-Ids", "<ok@example.org> bare@example.org", HeaderKind::MsgIdList}};
    for (const Header& h : refused) {
        m.headers = Span<const Header>(&h, 1);
        CAPTURE(h.value);
        CHECK(mt::write_all(m).rfind("START: header value", 0) == 0);
    }
    // List-Post: NO is not a URL list: Auto writes it raw.
    Header no[] = {{"List-Post", "NO (posting not allowed)"}, {"X-Raw", "a  b\tc", HeaderKind::Raw}};
    m.headers = Span<const Header>(no, 2);
    const std::string block2 = headers_of(m);
    CHECK(mt::field_body(block2, "List-Post") == "NO (posting not allowed)");
    CHECK(mt::field_body(block2, "X-Raw") == "a  b\tc");
}
