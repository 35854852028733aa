// Fuzz target: the MIME writer with fuzzed application input — names,
// subjects, addresses, header fields, parts, filenames, encodings, part
// sizes, streamed sources that say "pending", and window sizes.
//
// Checks:
//  - start() refuses or accepts without allocating; read() never allocates;
//  - header lines pass 78 columns only where one token cannot fold;
//  - output lines end in CRLF, with no bare CR or LF and no line over 998
//    octets; the header block ends with an empty line;
//  - the output does not depend on the window sizes (small fuzzed windows vs
//    one large window) or on where sources said "pending";
//  - writing ends (End) unless a part forced 7bit/8bit on content that breaks
//    it, and never loops without progress;
//  - on x86, every copy kernel of the line checker (Portable, SSE2, AVX2)
//    writes the same message.
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "alloc_probe.hpp"
#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/mime/writer.hpp"

using namespace smtpcore;
using namespace smtpcore::mime;

namespace {

// A streamed part: hands out its content in pieces, saying Pending now and then.
struct ChunkSource {
    std::string data;
    std::string rhythm;  // per call: piece size and whether to say Pending first
    std::size_t offset = 0, turn = 0;
    bool pending_said = false;

    ReadResult read(MutableBytes out) {
        const unsigned char r = rhythm.empty() ? 0xff : static_cast<unsigned char>(rhythm[turn++ % rhythm.size()]);
        if ((r & 0x80) == 0 && !pending_said) {
            pending_said = true;
            return {0, ReadStatus::Pending};
        }
        pending_said = false;
        std::size_t n = 1 + (r & 0x7f) * 3;
        if (n > out.size()) n = out.size();
        if (n > data.size() - offset) n = data.size() - offset;
        std::memcpy(out.data(), data.data() + offset, n);
        offset += n;
        return {n, offset == data.size() ? ReadStatus::End : ReadStatus::Data};
    }
    static ReadResult thunk(void* self, MutableBytes out) noexcept { return static_cast<ChunkSource*>(self)->read(out); }
};

// Everything a Message points at, owned here so it outlives the writing.
struct Fixture {
    std::deque<std::string> strings;
    std::vector<Mailbox> to, cc, reply_to;
    std::vector<Header> headers;
    std::vector<std::string_view> ids;  // msg-ids for In-Reply-To / References
    std::vector<Part> leaves;  // [text][html][related...][attachments...]
    std::deque<ChunkSource> sources;
    DateTime date;
    Message msg;
    bool may_fail = false;  // a forced 7bit/8bit part may breach its promise

    std::string_view keep(std::string s) { return strings.emplace_back(std::move(s)); }
};

std::string_view pick_address(FuzzedDataProvider& fdp, Fixture& f) {
    static const char* const kAddresses[] = {"a@example.org", "bob@example.net", "x.y+z@sub.example.com",
                                             "\"quoted local\"@example.org", "bad", "no@domain@twice", ""};
    if (fdp.ConsumeBool()) return kAddresses[fdp.ConsumeIntegralInRange<std::size_t>(0, 6)];
    return f.keep(fdp.ConsumeRandomLengthString(40));
}

Mailbox pick_mailbox(FuzzedDataProvider& fdp, Fixture& f) {
    Mailbox m;
    if (fdp.ConsumeBool()) m.name = f.keep(fdp.ConsumeRandomLengthString(60));
    m.address = pick_address(fdp, f);
    return m;
}

Part pick_part(FuzzedDataProvider& fdp, Fixture& f, bool attachment) {
    static const char* const kTypes[] = {"text/plain", "text/html", "application/pdf", "image/png",
                                         "message/rfc822", "application/octet-stream", "text/x-weird", "bad type",
                                         "message/partial", "message/delivery-status"};
    static const char* const kCharsets[] = {"utf-8", "utf-16", "iso-8859-1", "x-unknown", "UTF-32LE", "bad charset"};
    Part p;
    p.content_type = attachment ? kTypes[fdp.ConsumeIntegralInRange<std::size_t>(0, 9)]
                                : (fdp.ConsumeBool() ? "text/plain" : "text/html");
    if (fdp.ConsumeProbability<float>() < 0.3f) p.charset = kCharsets[fdp.ConsumeIntegralInRange<std::size_t>(0, 5)];
    // A streamed message/rfc822 or message/partial is 7bit/8bit, checked as it streams.
    if (p.content_type == std::string_view("message/rfc822") || p.content_type == std::string_view("message/partial"))
        f.may_fail = true;
    p.kind = static_cast<Kind>(fdp.ConsumeIntegralInRange<int>(0, 2));
    p.encoding = static_cast<Encoding>(fdp.ConsumeIntegralInRange<int>(0, 4));
    if (p.encoding == Encoding::SevenBit || p.encoding == Encoding::EightBit) f.may_fail = true;
    if (attachment) {
        p.disposition = static_cast<Disposition>(fdp.ConsumeIntegralInRange<int>(0, 2));
        if (fdp.ConsumeBool()) p.filename = f.keep(fdp.ConsumeRandomLengthString(120));
        if (fdp.ConsumeProbability<float>() < 0.2f) p.content_id = f.keep(fdp.ConsumeRandomLengthString(30));
    }
    std::string content = fdp.ConsumeRandomLengthString(3000);
    if (fdp.ConsumeBool()) {
        ChunkSource& s = f.sources.emplace_back();
        s.data = std::move(content);
        s.rhythm = fdp.ConsumeRandomLengthString(8);
        p.source = BodySource{&ChunkSource::thunk, &s};
        if (fdp.ConsumeBool()) p.sniff = as_bytes(f.keep(s.data.substr(0, 64)));
    } else {
        const std::string_view kept = f.keep(std::move(content));
        p.data = as_bytes(kept);
    }
    return p;
}

void build(FuzzedDataProvider& fdp, Fixture& f) {
    f.msg.from = pick_mailbox(fdp, f);
    for (int n = fdp.ConsumeIntegralInRange(0, 3); n > 0; --n) f.to.push_back(pick_mailbox(fdp, f));
    for (int n = fdp.ConsumeIntegralInRange(0, 2); n > 0; --n) f.cc.push_back(pick_mailbox(fdp, f));
    if (fdp.ConsumeBool()) f.reply_to.push_back(pick_mailbox(fdp, f));
    f.msg.subject = f.keep(fdp.ConsumeRandomLengthString(200));
    for (int n = fdp.ConsumeIntegralInRange(0, 2); n > 0; --n) {
        static const char* const kNames[] = {"X-Mailer", "Keywords", "X-Long-Header-Name-For-Folding", "Bcc",
                                             "Content-Type", "bad name", "In-Reply-To", "References",
                                             "List-Unsubscribe", "List-Post", "Resent-Bcc"};
        Header h{kNames[fdp.ConsumeIntegralInRange(0, 10)], f.keep(fdp.ConsumeRandomLengthString(200))};
        h.kind = static_cast<HeaderKind>(fdp.ConsumeIntegralInRange(0, 4));
        f.headers.push_back(h);
    }
    if (fdp.ConsumeBool()) f.msg.sender = pick_mailbox(fdp, f);
    for (int n = fdp.ConsumeIntegralInRange(0, 3); n > 0; --n) f.ids.push_back(f.keep(fdp.ConsumeRandomLengthString(80)));
    const std::size_t replied = fdp.ConsumeIntegralInRange<std::size_t>(0, f.ids.size());
    f.msg.in_reply_to = Span<const std::string_view>(f.ids.data(), replied);
    f.msg.references = Span<const std::string_view>(f.ids.data(), f.ids.size());
    if (fdp.ConsumeBool()) {
        f.date = DateTime{fdp.ConsumeIntegralInRange(1899, 10000), fdp.ConsumeIntegralInRange(0, 13),
                          fdp.ConsumeIntegralInRange(0, 32), fdp.ConsumeIntegralInRange(-1, 24),
                          fdp.ConsumeIntegralInRange(-1, 60), fdp.ConsumeIntegralInRange(-1, 61),
                          fdp.ConsumeIntegralInRange(-1500, 1500)};
        f.msg.date = &f.date;
    }
    switch (fdp.ConsumeIntegralInRange(0, 2)) {
    case 0: break;
    case 1: f.msg.message_id = f.keep(fdp.ConsumeRandomLengthString(40)); break;
    default:
        f.msg.message_id_random = as_bytes(f.keep(fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange(0, 12))));
        f.msg.message_id_domain = f.keep(fdp.ConsumeRandomLengthString(30));
    }
    f.msg.boundary_random = as_bytes(f.keep(fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange(0, 10))));
    f.msg.eight_bit_mime = fdp.ConsumeBool();

    const bool text = fdp.ConsumeBool(), html = fdp.ConsumeBool();
    const int related = html ? fdp.ConsumeIntegralInRange(0, 2) : 0;
    const int attachments = fdp.ConsumeIntegralInRange(0, 3);
    f.leaves.reserve(4 + related + attachments);
    if (text) f.leaves.push_back(pick_part(fdp, f, false));
    if (html) f.leaves.push_back(pick_part(fdp, f, false));
    for (int i = 0; i < related + attachments; ++i) f.leaves.push_back(pick_part(fdp, f, true));
    std::size_t at = 0;
    if (text) f.msg.text = &f.leaves[at++];
    if (html) f.msg.html = &f.leaves[at++];
    f.msg.related = Span<const Part>(f.leaves.data() + at, related);
    f.msg.attachments = Span<const Part>(f.leaves.data() + at + related, attachments);
    f.msg.to = Span<const Mailbox>(f.to.data(), f.to.size());
    f.msg.cc = Span<const Mailbox>(f.cc.data(), f.cc.size());
    f.msg.reply_to = Span<const Mailbox>(f.reply_to.data(), f.reply_to.size());
    f.msg.headers = Span<const Header>(f.headers.data(), f.headers.size());
}

struct Written {
    std::string bytes;
    ReadStatus end = ReadStatus::Data;
};

Written write(Fixture& f, const std::string& windows) {
    for (ChunkSource& s : f.sources) s.offset = s.turn = 0, s.pending_said = false;
    MessageWriter w;
    MimeError refused;
    FUZZ_CHECK(fuzz::count_allocations([&] { refused = w.start(f.msg); }) == 0, "start() allocated");
    Written r;
    if (refused) {
        FUZZ_CHECK(refused.reason != nullptr, "a refusal without a reason");
        r.end = ReadStatus::Failed;
        return r;
    }
    std::vector<char> window;
    std::size_t turn = 0, idle = 0;
    for (;;) {
        const std::size_t n = windows.empty() ? 4096 : static_cast<unsigned char>(windows[turn++ % windows.size()]) + 1;
        window.assign(n, '\0');
        ReadResult res{};
        FUZZ_CHECK(fuzz::count_allocations([&] { res = w.read(MutableBytes(window.data(), n)); }) == 0,
                   "read() allocated");
        FUZZ_CHECK(res.size <= n, "read() wrote past the window");
        r.bytes.append(window.data(), res.size);
        idle = res.size == 0 ? idle + 1 : 0;
        FUZZ_CHECK(idle < 64, "the writer makes no progress");
        if (res.status == ReadStatus::End || res.status == ReadStatus::Failed) {
            r.end = res.status;
            return r;
        }
    }
}

// RFC 5322 §2.1.1 / RFC 2047 §2 in the header block: a line passes 78 only
// when it is one unbreakable token ("Name: token" or " token").
void check_header_layout(const std::string& out) {
    const std::size_t end = out.find("\r\n\r\n");
    for (std::size_t start = 0; start < end;) {
        const std::size_t stop = out.find("\r\n", start);
        const std::string line = out.substr(start, stop - start);
        start = stop + 2;
        if (line.size() <= 78) continue;
        std::size_t rest = line[0] == ' ' || line[0] == '\t' ? 1 : line.find(':') + 1;
        while (rest < line.size() && line[rest] == ' ') ++rest;
        FUZZ_CHECK(line.find_first_of(" \t", rest) == std::string::npos, "header line over 78 that could fold");
    }
}

void check_lines(const std::string& out) {
    std::size_t line = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == '\r') {
            FUZZ_CHECK(i + 1 < out.size() && out[i + 1] == '\n', "bare CR in a message");
            line = 0;
            ++i;
            continue;
        }
        FUZZ_CHECK(out[i] != '\n', "bare LF in a message");
        FUZZ_CHECK(++line <= 998, "message line over 998 octets");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const std::string windows = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 8));
    Fixture f;
    build(fdp, f);

    const Written small = write(f, windows);
    const Written large = write(f, "");
#if defined(SMTPCORE_TEXT_RUN_SSE2)
    // x86: every copy kernel of the 7bit/8bit line checker writes the same message.
    using smtpcore::detail::TextKernel;
    const TextKernel saved = smtpcore::mime::detail::line_kernel();
    for (TextKernel k : {TextKernel::Portable, TextKernel::Sse2, TextKernel::Avx2}) {
        if (!smtpcore::mime::detail::select_line_kernel(k)) continue;
        const Written again = write(f, windows);
        FUZZ_CHECK(again.end == small.end && (small.end == ReadStatus::Failed || again.bytes == small.bytes),
                   "a line checker kernel changed the message");
    }
    smtpcore::mime::detail::select_line_kernel(saved);
#endif
    FUZZ_CHECK(small.end == large.end, "window sizes changed whether the message could be written");
    if (small.end == ReadStatus::Failed) {
        // How much was written before a forced encoding's breach showed up
        // depends on the windows; the message is abandoned either way.
        FUZZ_CHECK(small.bytes.empty() || f.may_fail, "writing failed though nothing forced an encoding");
        return 0;
    }
    FUZZ_CHECK(small.bytes == large.bytes, "window sizes changed the message");
    check_lines(small.bytes);
    check_header_layout(small.bytes);
    FUZZ_CHECK(small.bytes.find("\r\n\r\n") != std::string::npos, "no empty line after the header block");
    FUZZ_CHECK(small.bytes.size() >= 2 && small.bytes.compare(small.bytes.size() - 2, 2, "\r\n") == 0,
               "message does not end in CRLF");
    return 0;
}
