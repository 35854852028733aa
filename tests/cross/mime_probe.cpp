// Cortex-M footprint probe for the MIME writer: a message with a text part
// and an attachment, written through a small window into a volatile sink so
// the linker keeps the whole writer. Built by scripts/footprint; never run.
#include "smtpcore/mime/writer.hpp"

using namespace smtpcore;

namespace {
volatile char g_sink;
mime::MessageWriter g_writer;
const char kText[] = "Diagnostics attached.\n";
const char kBlob[] = "\x01\x02\x03 binary report";
}  // namespace

int main() {
    mime::Part text;
    text.data = Bytes(kText, sizeof kText - 1);
    mime::Part attachment;
    attachment.content_type = "application/octet-stream";
    attachment.data = Bytes(kBlob, sizeof kBlob - 1);
    attachment.filename = "report.bin";
    const mime::Mailbox to[] = {{"Support", "support@example.com"}};
    mime::Message m;
    m.from = {"Device", "device@example.com"};
    m.to = Span<const mime::Mailbox>(to);
    m.subject = "Diagnostics";
    m.text = &text;
    m.attachments = Span<const mime::Part>(&attachment, 1);
    if (g_writer.start(m)) return 1;
    char window[96];
    for (;;) {
        const ReadResult r = g_writer.read(MutableBytes(window, sizeof window));
        for (std::size_t i = 0; i < r.size; ++i) g_sink = window[i];
        if (r.status != ReadStatus::Data) return 0;
    }
}
