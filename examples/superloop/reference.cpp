// Prints, on a host, the octets the firmware's MIME writer produces for the
// same device (diagnostics_mail.cpp is shared): the superloop test compares
// them with what the server received from the emulated board, byte for byte.
#include <cstdio>

#include "diagnostics_mail.hpp"
#include "smtpcore/mime/writer.hpp"

int main() {
    static constexpr std::uint8_t kSerial[8] = {0x44, 0x45, 0x56, 0x37, 0x00, 0x00, 0x00, 0x07};
    static superloop::DiagnosticsMail mail;
    superloop::compose(mail, kSerial);
    static smtpcore::mime::MessageWriter writer;
    if (writer.start(mail.message)) return 1;
    char window[333];  // an odd size: the output must not depend on it
    for (;;) {
        const smtpcore::ReadResult r = writer.read(smtpcore::MutableBytes(window, sizeof window));
        if (r.status == smtpcore::ReadStatus::Failed) return 1;
        std::fwrite(window, 1, r.size, stdout);
        if (r.status == smtpcore::ReadStatus::End) return 0;
    }
}
