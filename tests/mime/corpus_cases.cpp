// The cross-parser corpus's cases for the defects of the review: each
// message asks for something a reader can check (a header value, a
// filename, a charset, a part's bytes).
#include <string>

#include "corpus.hpp"

namespace smtpcore::mime::test {
namespace {

Bytes bytes_of(const std::string& s) { return Bytes(s.data(), s.size()); }

void base(Sample& s, const std::string& name, const std::string& subject) {
    s.name = name;
    s.date = DateTime{2025, 1, 2, 3, 4, 5, 0};
    s.msg.from = Mailbox{"Review Bot", "review@example.org"};
    s.to = {Mailbox{"", "reader@example.net"}};
    s.blobs.reserve(32);  // parts and names point into blobs
    s.blobs.push_back(subject);
    s.msg.subject = s.blobs.back();
    s.blobs.push_back("Body of " + name + ".\r\n");
    s.text.data = bytes_of(s.blobs.back());
    s.msg.text = &s.text;
    s.msg.message_id = "<review@example.org>";
}

Part attachment(Sample& s, const char* type, const std::string& filename, const std::string& data) {
    s.blobs.push_back(filename);
    Part p;
    p.content_type = type;
    p.filename = s.blobs.back();
    s.blobs.push_back(data);
    p.data = bytes_of(s.blobs.back());
    return p;
}

const char kGmailId[] = "<CAHk-=wjV9Lp6Cs3fC8x2nH5uS7dKqZ0Ry1gT4mE6bW2aN8oP3iQ@mail.gmail.com>";

// Items 1, 8: structured custom headers are never encoded; trailing space.
void structured(Sample& s, Expect& e) {
    base(s, "review-structured", "Re: threading must survive   ");
    const std::string refs = std::string(kGmailId) + " <short@example.org> " + kGmailId;
    const std::string unsub = "<https://lists.example.com/unsubscribe/0123456789abcdef0123456789abcdef0123456789>, "
                              "<mailto:leave@lists.example.com?subject=unsubscribe>";
    s.blobs.push_back(refs);
    s.blobs.push_back(unsub);
    s.headers = {Header{"In-Reply-To", kGmailId}, Header{"References", s.blobs[s.blobs.size() - 2]},
                 Header{"List-Unsubscribe", s.blobs.back()}};
    e.headers = {{"In-Reply-To", kGmailId}, {"References", refs}, {"List-Unsubscribe", unsub},
                 {"Subject", "Re: threading must survive"}};
}

// First-class Sender, In-Reply-To, References; item 12 (domain literal);
// item 14 (a long quoted display name).
void first_class(Sample& s, Expect& e) {
    base(s, "review-first-class", "first-class fields");
    s.msg.sender = Mailbox{"", "bounce@example.org"};
    s.ids = {kGmailId, "a@example.org", "b@[192.0.2.1]"};
    s.msg.in_reply_to = Span<const std::string_view>(s.ids.data(), 1);
    s.msg.references = Span<const std::string_view>(s.ids.data(), 3);
    s.msg.message_id = "";
    s.msg.message_id_random = Bytes(s.random.data(), 16);
    s.msg.message_id_domain = "[127.0.0.1]";
    s.cc = {Mailbox{"Plain Name Without Quotes But With A Comma, Inc. And A Long Tail Of Wordsx", "p@example.org"}};
    e.headers = {{"Sender", "bounce@example.org"},
                 {"In-Reply-To", kGmailId},
                 {"References", std::string(kGmailId) + " <a@example.org> <b@[192.0.2.1]>"},
                 {"Message-ID", "<1337c0ffee420099102030405060708" "0@[127.0.0.1]>"},
                 {"Cc", "\"Plain Name Without Quotes But With A Comma, Inc. And A Long Tail Of Wordsx\" <p@example.org>"}};
}

// Items 2, 6, 11: charsets and the canonical form.
void charsets(Sample& s, Expect& e) {
    base(s, "review-charsets", "charsets");
    const std::string utf16("\xff\xfe" "a\0\r\0\n\0b\0\n\0", 12);
    Part a = attachment(s, "text/plain", "utf16.txt", utf16);
    a.charset = "utf-16";
    Part b = attachment(s, "text/plain", "latin1.txt", "caf\xe9\nna\xefve\r\n");
    b.charset = "iso-8859-1";
    b.kind = Kind::Binary;
    Part c = attachment(s, "text/plain", "lf-base64.txt", "one\ntwo\rthree\r\n");
    c.encoding = Encoding::Base64;
    s.attachments = {a, b, c};
    const std::string dir = e.eml;  // review_cases passes the directory here
    const std::string paths[] = {dir + "/review-charsets.att0", dir + "/review-charsets.att1",
                                 dir + "/review-charsets.att2"};
    write_file(paths[0], utf16);
    write_file(paths[1], "caf\xe9\nna\xefve\r\n");
    write_file(paths[2], "one\r\ntwo\r\nthree\r\n");  // canonical CRLF, exactly
    e.atts = {{"utf16.txt", "text/plain", paths[0], "utf-16", true},
              {"latin1.txt", "text/plain", paths[1], "iso-8859-1", true},
              {"lf-base64.txt", "text/plain", paths[2], "utf-8", true}};
}

// Items 5, 7: filenames.
void filenames(Sample& s, Expect&) {
    base(s, "review-filenames", "filenames");
    s.attachments = {
        attachment(s, "application/pdf", "O'Neil.pdf", "%PDF-1.4 O'Neil"),
        attachment(s, "application/octet-stream", "v2*final.bin", std::string("\x00\x01\x02", 3)),
        attachment(s, "application/octet-stream", "100%.bin", "percent"),
        attachment(s, "application/octet-stream", std::string(110, 'n') + ".bin", "long ascii name"),
        attachment(s, "application/pdf", "R\xc3\xa9sum\xc3\xa9 \xe2\x80\x93 final.pdf", "%PDF-1.4 resume"),
        attachment(s, "application/octet-stream", "quote \"me\" and back\\slash.bin", "quoted"),
    };
}

// Items 4, 13: white space runs and a tab before an encoded-word.
void white_space(Sample& s, Expect& e) {
    const std::string subject =
        "word word word word word word word word word word word word word\tGr\xc3\xbc\xc3\x9f" "e" +
        std::string(300, ' ') + "end";
    base(s, "review-white-space", subject);
    s.blobs.push_back("start" + std::string(1200, ' ') + "end");
    s.headers = {Header{"X-Spaces", s.blobs.back()}};
    e.headers = {{"Subject", subject}, {"X-Spaces", s.blobs.back()}};
}

// Item 17: a multipart holding an 8bit part.
void eight_bit(Sample& s, Expect& e) {
    base(s, "review-8bit", "8bit multipart");
    s.blobs.push_back("Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln.\r\n");
    s.text.data = bytes_of(s.blobs.back());
    s.msg.eight_bit_mime = true;
    s.attachments = {attachment(s, "application/octet-stream", "data.bin", "\x01\x02")};
    e.headers = {{"Content-Transfer-Encoding", "8bit"}};
}

}  // namespace

void review_cases(const std::string& dir, std::vector<std::string>& entries) {
    void (*const cases[])(Sample&, Expect&) = {structured, first_class, charsets, filenames, white_space, eight_bit};
    for (auto make : cases) {
        Sample s;
        Expect e;
        e.eml = dir;
        make(s, e);
        e.eml.clear();
        s.link();
        entries.push_back(record_sample(dir, s, e, {1, 13, 4096}));
    }
}

}  // namespace smtpcore::mime::test
