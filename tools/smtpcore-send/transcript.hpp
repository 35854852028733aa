// smtpcore-send -v: the session as "> client" / "< server" lines on stderr,
// with credentials masked, long bodies shortened (BDAT chunks summarized by
// their size) and control characters escaped.
#pragma once

#include <cstdio>
#include <string>

#include "smtpcore/adapters/driver.hpp"

namespace smtpcore::cli {

class Transcript {
public:
    explicit Transcript(std::FILE* out) : out_(out) {}
    void on_wire(adapters::Direction direction, Bytes bytes);
    void note(const std::string& text);
    /// `line` fit for a terminal: printable ASCII, tab and well-formed UTF-8
    /// (C1 controls excepted) as they are, every other octet as \xNN, so a
    /// server cannot move the cursor, retitle the window or hide lines.
    static std::string escape(const std::string& line);

private:
    void client_line(const std::string& line);
    void server_line(const std::string& line);

    std::FILE* out_;
    std::string client_partial_, server_partial_;
    bool in_auth_ = false;      // AUTH sent, the exchange not finished: client lines are secrets
    bool in_body_ = false;      // after 354, until the lone "."
    std::size_t chunk_left_ = 0;  // BDAT (RFC 3030): content octets of the chunk, not lines
    bool chunk_last_ = false;
    unsigned long chunk_bytes_ = 0;  // content of this message's chunks so far
    void end_of_chunks();
    unsigned long body_lines_ = 0;
    unsigned long body_bytes_ = 0;
};

}  // namespace smtpcore::cli
