// The "diagnostics to support" mail of a device without an OS: a short text
// part and an attachment the device generates as the MIME writer pulls it
// (a report of its counters, line by line), never held whole in memory.
// Shared by the firmware (main.cpp) and the host program that prints the
// same message for the test to compare (reference.cpp).
#pragma once

#include <cstdint>

#include "smtpcore/body_source.hpp"
#include "smtpcore/mime/message.hpp"

namespace superloop {

/// Generates "diagnostics.csv": a header line, then one line per sample of
/// the device's (here simulated) sensors, computed from the sample number.
class DiagnosticsReport {
public:
    static constexpr std::uint32_t kSamples = 400;
    smtpcore::BodySource source() noexcept { return smtpcore::BodySource{&DiagnosticsReport::thunk, this}; }
    smtpcore::ReadResult read(smtpcore::MutableBytes out) noexcept;

private:
    static smtpcore::ReadResult thunk(void* self, smtpcore::MutableBytes out) noexcept {
        return static_cast<DiagnosticsReport*>(self)->read(out);
    }
    std::size_t format_line(char* line) const;
    std::uint32_t next_ = 0;   // the next line: 0 is the header
    char line_[64];            // the line being copied out
    std::size_t line_size_ = 0, line_pos_ = 0;
};

/// Everything the message points to, owned in one place (static storage on
/// the device: no heap).
struct DiagnosticsMail {
    DiagnosticsReport report;
    smtpcore::mime::Part text;
    smtpcore::mime::Part attachment;
    smtpcore::mime::Mailbox to[1];
    smtpcore::mime::Message message;
};

/// Fills `mail` for the device `serial` (which also seeds the Message-ID and
/// the boundaries, so the same device writes the same octets every time).
void compose(DiagnosticsMail& mail, const std::uint8_t (&serial)[8]);

inline constexpr const char* kDevice = "device7@example.com";
inline constexpr const char* kSupport = "support@example.com";

}  // namespace superloop
