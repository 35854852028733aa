// The cross-parser corpus: messages written by the writer plus, for each,
// what was asked for (a manifest.json entry) so independent readers can be
// checked against it (check_messages.py: Python's email; check_readers.py:
// munpack, ripmime).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "samples.hpp"

namespace smtpcore::mime::test {

struct Expect {
    std::string eml, subject, from_name, from_addr;
    std::vector<std::pair<std::string, std::string>> to;
    std::string text_path;
    /// Header fields as a reader should see them (unfolded, decoded).
    std::vector<std::pair<std::string, std::string>> headers;
    struct Att {
        std::string filename, content_type, path;
        std::string charset;  ///< expected charset= ("" when not text/*)
        bool exact = false;   ///< bytes come back exactly (else: up to line breaks)
    };
    std::vector<Att> atts;
};

/// Writes `data` to `path`, binary.
void write_file(const std::string& path, const std::string& data);
/// The manifest.json object for `e`.
std::string manifest_entry(const Expect& e);
/// Writes sample `s` (through `windows`) under `dir`, its text and
/// attachments beside it, and returns its manifest entry. Failing to write
/// is fatal (exit 1): the corpus must be complete.
std::string record_sample(const std::string& dir, Sample& s, Expect e, const std::vector<std::size_t>& windows);
/// The messages for the defects of the review (forwarding, charsets,
/// filenames, structured headers, white space), recorded under `dir`.
void review_cases(const std::string& dir, std::vector<std::string>& entries);

}  // namespace smtpcore::mime::test
