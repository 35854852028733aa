#include "diagnostics_mail.hpp"

#include <cstring>

namespace superloop {

namespace {

constexpr char kText[] =
    "Hello support,\n"
    "\n"
    "this is device7. Its diagnostics report is attached (diagnostics.csv).\n"
    "It was sent by the device itself: no operating system, no heap.\n";

// Decimal digits of `value` at `out`; returns how many.
std::size_t put_number(char* out, std::uint32_t value) {
    char digits[10];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
    return n;
}

}  // namespace

std::size_t DiagnosticsReport::format_line(char* line) const {
    if (next_ == 0) {
        constexpr char kHeader[] = "sample,uptime_ms,temperature_mC,supply_mV,errors\r\n";
        std::memcpy(line, kHeader, sizeof kHeader - 1);
        return sizeof kHeader - 1;
    }
    const std::uint32_t i = next_ - 1;
    // Simulated sensors: deterministic, so the test knows every byte.
    const std::uint32_t fields[] = {i, i * 250, 36000 + (i * 37) % 900, 3300 - (i * 13) % 40, i / 97};
    std::size_t n = 0;
    for (std::size_t f = 0; f < 5; ++f) {
        if (f != 0) line[n++] = ',';
        n += put_number(line + n, fields[f]);
    }
    line[n++] = '\r';
    line[n++] = '\n';
    return n;
}

smtpcore::ReadResult DiagnosticsReport::read(smtpcore::MutableBytes out) noexcept {
    std::size_t written = 0;
    while (written < out.size()) {
        if (line_pos_ == line_size_) {
            if (next_ > kSamples) return {written, smtpcore::ReadStatus::End};
            line_size_ = format_line(line_);
            line_pos_ = 0;
            ++next_;
        }
        const std::size_t n = std::min(out.size() - written, line_size_ - line_pos_);
        std::memcpy(out.data() + written, line_ + line_pos_, n);
        written += n;
        line_pos_ += n;
    }
    if (next_ > kSamples && line_pos_ == line_size_) return {written, smtpcore::ReadStatus::End};
    return {written, smtpcore::ReadStatus::Data};
}

void compose(DiagnosticsMail& mail, const std::uint8_t (&serial)[8]) {
    mail.text.data = smtpcore::as_bytes(std::string_view(kText, sizeof kText - 1));
    mail.attachment.content_type = "text/csv";
    mail.attachment.source = mail.report.source();
    mail.attachment.filename = "diagnostics.csv";
    mail.to[0] = {"Support", kSupport};
    mail.message.from = {"Device 7", kDevice};
    mail.message.to = smtpcore::Span<const smtpcore::mime::Mailbox>(mail.to);
    mail.message.subject = "Diagnostics from device7";
    mail.message.message_id_random = smtpcore::Bytes(reinterpret_cast<const char*>(serial), sizeof serial);
    mail.message.message_id_domain = "device7.example.com";
    mail.message.boundary_random = smtpcore::Bytes(reinterpret_cast<const char*>(serial), sizeof serial);
    mail.message.text = &mail.text;
    mail.message.attachments = smtpcore::Span<const smtpcore::mime::Part>(&mail.attachment, 1);
}

}  // namespace superloop
