// Representative messages shared by the golden tests, the python-checked
// generator and the benchmark. Everything is deterministic.
#pragma once

#include <smtpcore/mime/message.hpp>
#include <smtpcore/mime/writer.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace smtpcore::mime::test {

/// Owns the data a sample Message points into (the Message itself is a view).
struct Sample {
    std::string name;
    Message msg;
    DateTime date;
    std::vector<Mailbox> to, cc, reply_to;
    std::vector<Header> headers;
    std::vector<std::string_view> ids;  // in_reply_to then references
    Part text, html;
    std::vector<Part> related, attachments;
    std::vector<std::string> blobs;  // contents the parts point at
    std::string random = std::string("\x13\x37\xc0\xff\xee\x42\x00\x99\x10\x20\x30\x40\x50\x60\x70\x80", 16);

    Sample() = default;
    Sample(const Sample&) = delete;
    /// Points msg's spans at the vectors; call after filling them.
    void link();
};

/// Deterministic pseudo-random octets (xorshift), for reproducible binaries.
std::string pseudo_random_bytes(std::size_t n, std::uint64_t seed);

void sample_plain(Sample& s);
void sample_alternative(Sample& s);     // text + html + inline image
void sample_attachments(Sample& s);     // text + binary + text attachment
void sample_international(Sample& s, bool eight_bit);  // non-ASCII everywhere
void sample_headers(Sample& s);         // long lists and values of every header kind
void sample_forward(Sample& s);         // forwards sample_attachments as message/rfc822

/// Every sample above, by index (0 .. kSampleCount-1).
constexpr int kSampleCount = 7;
void sample_by_index(Sample& s, int i);

/// Writes the whole message with windows cycling through `windows`.
/// Returns the text, or "FAILED: field: reason" / "START: ..." on errors.
std::string write_all(const Message& m, const std::vector<std::size_t>& windows = {4096});

}  // namespace smtpcore::mime::test
