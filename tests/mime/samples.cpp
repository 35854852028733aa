#include "samples.hpp"

namespace smtpcore::mime::test {

void Sample::link() {
    msg.to = Span<const Mailbox>(to.data(), to.size());
    msg.cc = Span<const Mailbox>(cc.data(), cc.size());
    msg.reply_to = Span<const Mailbox>(reply_to.data(), reply_to.size());
    msg.headers = Span<const Header>(headers.data(), headers.size());
    msg.related = Span<const Part>(related.data(), related.size());
    msg.attachments = Span<const Part>(attachments.data(), attachments.size());
    msg.boundary_random = Bytes(random.data(), 8);
    msg.date = &date;
}

std::string pseudo_random_bytes(std::size_t n, std::uint64_t seed) {
    std::string out(n, '\0');
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (std::size_t i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out[i] = static_cast<char>(x >> 24);
    }
    return out;
}

static Bytes bytes_of(const std::string& s) { return Bytes(s.data(), s.size()); }

void sample_plain(Sample& s) {
    s.name = "plain";
    s.date = DateTime{2024, 3, 5, 14, 3, 9, 60};
    s.msg.from = Mailbox{"Alice Example", "alice@example.org"};
    s.to = {Mailbox{"", "bob@example.net"}, Mailbox{"Carol Q. Public", "carol@example.net"}};
    s.msg.subject = "Weekly report";
    s.msg.message_id = "<20240305140309.1@example.org>";
    s.blobs = {"Hello Bob,\r\n\r\nthe numbers are attached.\nThis line ends with LF only.\r\n-- \r\nAlice\r\n"};
    s.text.data = bytes_of(s.blobs[0]);
    s.msg.text = &s.text;
    s.link();
}

void sample_alternative(Sample& s) {
    s.name = "alternative";
    s.date = DateTime{1999, 12, 31, 23, 59, 59, -330};
    s.msg.from = Mailbox{"", "news@example.com"};
    s.to = {Mailbox{"Reader", "reader@example.net"}};
    s.reply_to = {Mailbox{"No Reply", "noreply@example.com"}};
    s.msg.subject = "Newsletter: a subject long enough that it has to be folded somewhere past the seventy-eighth column";
    s.msg.message_id_random = Bytes(s.random.data(), 16);
    s.msg.message_id_domain = "example.com";
    s.headers = {Header{"List-Unsubscribe", "<mailto:unsubscribe@example.com>"}, Header{"X-Mailer", "smtpcore"}};
    s.blobs = {"Plain text version.\r\n", "<html><body><p>HTML version <img src=\"cid:logo@example.com\"></p></body></html>\r\n",
               pseudo_random_bytes(100, 7)};
    s.text.data = bytes_of(s.blobs[0]);
    s.html.content_type = "text/html";
    s.html.data = bytes_of(s.blobs[1]);
    Part logo;
    logo.content_type = "image/png";
    logo.data = bytes_of(s.blobs[2]);
    logo.content_id = "logo@example.com";
    logo.filename = "logo.png";
    s.related = {logo};
    s.msg.text = &s.text;
    s.msg.html = &s.html;
    s.link();
}

void sample_attachments(Sample& s) {
    s.name = "attachments";
    s.date = DateTime{2024, 2, 29, 8, 0, 0, 0};
    s.msg.from = Mailbox{"Build Bot", "bot@ci.example.org"};
    s.to = {Mailbox{"Dev Team", "dev@example.org"}};
    s.cc = {Mailbox{"", "qa@example.org"}, Mailbox{"Release \"Manager\"", "rm@example.org"}};
    s.msg.subject = "Build #42 failed";
    s.msg.message_id = "build-42@ci.example.org";
    std::string log;
    for (int i = 0; i < 40; ++i) log += "line " + std::to_string(i) + ": ok\n";
    log += "a line with = sign and trailing space \nend";
    s.blobs = {"See the attached log and core dump.\r\n", pseudo_random_bytes(1000, 42), log};
    s.text.data = bytes_of(s.blobs[0]);
    Part core;
    core.content_type = "application/octet-stream";
    core.data = bytes_of(s.blobs[1]);
    core.filename = "core.bin";
    Part txt;
    txt.content_type = "text/plain";
    txt.data = bytes_of(s.blobs[2]);
    txt.filename = "build log (full).txt";
    txt.encoding = Encoding::QuotedPrintable;
    s.attachments = {core, txt};
    s.msg.text = &s.text;
    s.link();
}

void sample_international(Sample& s, bool eight_bit) {
    s.name = eight_bit ? "international-8bit" : "international";
    s.date = DateTime{2023, 11, 7, 9, 30, 0, 540};
    s.msg.from = Mailbox{"Jürgen Müller", "juergen@example.de"};
    s.to = {Mailbox{"山田 太郎", "taro@example.jp"}, Mailbox{"Zoë Saldaña", "zoe@example.com"}};
    s.cc = {Mailbox{"Владимир Набоков-Сирин, писатель и энтомолог из Санкт-Петербурга", "vn@example.ru"}};
    s.msg.subject = "Grüße aus Köln — 日本語の件名もちゃんと届きますか? Ünïcödé everywhere 🎉🎉";
    s.msg.message_id = "<intl.1@example.de>";
    s.headers = {Header{"X-Comment", "Straße =?not-an-encoded-word?= ok"}};
    s.msg.eight_bit_mime = eight_bit;
    s.blobs = {"Grüße,\r\nheute ist das Wetter schön.\r\n", pseudo_random_bytes(3000, 99),
               "Текст на русском языке, почти без ASCII.\r\n"};
    s.text.data = bytes_of(s.blobs[0]);
    Part a;
    a.content_type = "application/pdf";
    a.data = bytes_of(s.blobs[1]);
    a.filename = "Rechnungsübersicht für das Geschäftsjahr 2023 — endgültige Fassung (überarbeitet).pdf";
    Part b;
    b.content_type = "text/plain";
    b.data = bytes_of(s.blobs[2]);
    b.filename = "заметки.txt";
    s.attachments = {a, b};
    s.msg.text = &s.text;
    s.link();
}

void sample_headers(Sample& s) {
    s.name = "headers";
    s.date = DateTime{2025, 6, 1, 12, 0, 0, 120};
    s.msg.from = Mailbox{"List Robot", "robot@lists.example.org"};
    s.msg.sender = Mailbox{"", "bounce@lists.example.org"};
    s.blobs.reserve(200);
    for (int i = 0; i < 60; ++i) {
        s.blobs.push_back(i % 3 == 0 ? "Empf\xc3\xa4nger Nummer " + std::to_string(i) : "Member " + std::to_string(i));
        s.blobs.push_back("member" + std::to_string(i) + "@example.net");
    }
    for (std::size_t i = 0; i < s.blobs.size(); i += 2) s.to.push_back(Mailbox{s.blobs[i], s.blobs[i + 1]});
    std::string subject = "Digest:";
    for (int i = 0; i < 40; ++i) subject += i % 5 == 0 ? " \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" : " topic";
    subject += std::string(150, ' ') + "after a long run\tof white space";
    s.blobs.push_back(subject);
    s.msg.subject = s.blobs.back();
    for (int i = 0; i < 30; ++i) s.blobs.push_back("thread-" + std::to_string(i) + "-CAHk-wjV9Lp6Cs3fC8x2nH5uS7dKqZ0@mail.example.com");
    const std::size_t first_id = s.blobs.size() - 30;
    s.ids.push_back(s.blobs[first_id + 29]);
    for (std::size_t i = first_id; i < first_id + 30; ++i) s.ids.push_back(s.blobs[i]);
    s.msg.in_reply_to = Span<const std::string_view>(s.ids.data(), 1);
    s.msg.references = Span<const std::string_view>(s.ids.data() + 1, 30);
    s.msg.message_id = "<digest-1@lists.example.org>";
    s.headers = {Header{"List-Unsubscribe", "<https://lists.example.org/unsubscribe/0123456789abcdef0123456789abcdef>, "
                                            "<mailto:leave@lists.example.org?subject=unsubscribe>"},
                 Header{"List-Id", "Example digest <digest.lists.example.org>", HeaderKind::Raw},
                 Header{"X-Note", "short"}};
    s.blobs.push_back("Today's digest.\r\n");
    s.text.data = bytes_of(s.blobs.back());
    s.msg.text = &s.text;
    s.link();
}

void sample_forward(Sample& s) {
    s.name = "forward";
    Sample inner;
    sample_attachments(inner);
    inner.msg.boundary_random = Bytes(inner.random.data() + 8, 8);  // not the outer boundary
    s.blobs = {write_all(inner.msg), "Forwarding the build report below.\r\n"};
    s.date = DateTime{2024, 3, 1, 9, 15, 0, 0};
    s.msg.from = Mailbox{"Dev Team", "dev@example.org"};
    s.to = {Mailbox{"Release Manager", "rm@example.org"}};
    s.msg.subject = "Fwd: Build #42 failed";
    s.msg.message_id = "<fwd-42@example.org>";
    s.text.data = bytes_of(s.blobs[1]);
    Part fwd;
    fwd.content_type = "message/rfc822";
    fwd.data = bytes_of(s.blobs[0]);
    fwd.disposition = Disposition::Inline;
    s.attachments = {fwd};
    s.msg.text = &s.text;
    s.link();
}

void sample_by_index(Sample& s, int i) {
    switch (i) {
        case 0: sample_plain(s); break;
        case 1: sample_alternative(s); break;
        case 2: sample_attachments(s); break;
        case 3: sample_international(s, false); break;
        case 4: sample_international(s, true); break;
        case 5: sample_headers(s); break;
        default: sample_forward(s); break;
    }
}

std::string write_all(const Message& m, const std::vector<std::size_t>& windows) {
    MessageWriter w;
    if (MimeError e = w.start(m)) return std::string("START: ") + e.field + ": " + e.reason;
    std::string out;
    std::vector<char> buf;
    for (std::size_t k = 0;; ++k) {
        const std::size_t size = windows[k % windows.size()];
        buf.assign(size, '\0');
        const ReadResult r = w.read(MutableBytes(buf.data(), buf.size()));
        out.append(buf.data(), r.size);
        if (r.status == ReadStatus::End) return out;
        if (r.status == ReadStatus::Failed) {
            const MimeError e = w.error();
            return "FAILED: " + std::string(e.field) + ": " + e.reason;
        }
        if (k > 100000000) return "FAILED: no progress";
    }
}

}  // namespace smtpcore::mime::test
