// The reference for DATA transparency (RFC 5321 §4.5.2), written the obvious
// way on whole strings, to check the streaming DotStuffer and the wire
// against: CR, LF and CRLF all become CRLF, an unterminated last line is
// ended, and a line's leading "." is doubled.
#pragma once

#include <string>

namespace smtpcore::test {

/// `dots` false: BDAT content (RFC 3030 §2), line ends repaired, no dot doubled.
inline std::string reference_stuffed_body(const std::string& body, bool dots = true) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') ++i;
            out += "\r\n";
            line_start = true;
            continue;
        }
        if (line_start && c == '.' && dots) out += '.';
        out += c;
        line_start = false;
    }
    if (!line_start) out += "\r\n";
    return out;
}

/// The body as it must appear on the wire, end-of-data marker included.
inline std::string reference_data_section(const std::string& body) {
    return reference_stuffed_body(body) + ".\r\n";
}

}  // namespace smtpcore::test
