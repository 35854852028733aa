// smtpcore-send: the message described by --subject/--body/--attach/--header,
// composed by the MIME writer, re-startable for --count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "options.hpp"
#include "smtpcore/adapters/file_source.hpp"
#include "smtpcore/capabilities.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::cli {

class Composition {
public:
    /// Opens every file (InputMissing if one cannot be read) and validates
    /// the whole message (returns the MIME writer's refusal, nothing sent).
    explicit Composition(const Options& options);
    mime::MimeError validate();

    /// Rewinds the files and starts the writer for one more copy.
    /// False if a file cannot be rewound.
    bool restart(const Capabilities& server);
    BodySource source() { return writer_.source(); }
    /// Expected size in octets (for SIZE= and the progress bar); an estimate.
    std::uint64_t expected_size() const { return expected_; }

private:
    void fresh_randomness();

    std::vector<NamedAddress> to_names_, cc_names_;  // own the strings the Mailboxes view
    NamedAddress from_;
    std::vector<mime::Mailbox> to_, cc_;
    std::vector<std::string> header_names_, header_values_;
    std::vector<mime::Header> headers_;
    std::vector<std::unique_ptr<adapters::FileSource>> files_;  // stable addresses for BodySource
    std::vector<std::string> filenames_;
    std::vector<mime::Part> attachments_;
    mime::Part text_;
    bool have_text_ = false;
    std::string body_text_;
    std::unique_ptr<adapters::FileSource> body_file_;
    mime::DateTime date_;
    unsigned char message_id_random_[12] = {};
    unsigned char boundary_random_[8] = {};
    std::string domain_;
    mime::Message message_;
    mime::MessageWriter writer_;
    std::uint64_t expected_ = 0;
};

}  // namespace smtpcore::cli
