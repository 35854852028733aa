// smtpcore-send: the message described by --subject/--body/--attach/--header,
// composed by the MIME writer, re-startable for --count.
//
// Every file is scanned once before connecting (content_scan.hpp) so that the
// encoding is the cheapest correct one and SIZE= is an upper bound of what
// is sent (RFC 1870 §6): never below it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "copy_replay.hpp"
#include "input_file.hpp"
#include "options.hpp"
#include "smtpcore/capabilities.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::cli {

class Composition {
public:
    /// Opens every file (InputMissing if one cannot be read, DataError for a
    /// file name that is not UTF-8); validate() then checks the whole message.
    explicit Composition(const Options& options);
    mime::MimeError validate();
    /// The writer's refusal in words that name the value ("to address 'x': has no @").
    std::string describe(const mime::MimeError& e) const;

    /// Starts the writer for one more copy (rewinding files after the first),
    /// or, after a first copy that was sent whole, a replay of it with a
    /// fresh Message-ID (copy_replay.hpp). False if an input cannot be read again.
    bool restart(const Capabilities& server);
    /// The copy restart() prepared; each call of source() starts reading it.
    BodySource source() { return replaying_ ? replay_.source() : replay_.recording(writer_.source(), expected_); }
    /// An upper bound of the octets the writer produces (SIZE=), 0 if unknown
    /// (a streamed input: no SIZE= is declared then).
    std::uint64_t expected_size() const { return expected_; }
    /// Source octets in all and read so far (the progress bar); total 0 if unknown.
    std::uint64_t source_total() const { return source_total_; }
    std::uint64_t source_consumed() const;

private:
    void fresh_randomness();
    void choose_encodings(bool eight_bit_mime);

    std::vector<NamedAddress> to_names_, cc_names_, reply_names_;  // own the strings the Mailboxes view
    NamedAddress from_, sender_;
    std::vector<std::string> in_reply_to_ids_, reference_ids_;          // own the strings the views below see
    std::vector<std::string_view> in_reply_to_, references_;
    std::vector<mime::Mailbox> to_, cc_, reply_to_;
    std::vector<std::string> header_names_, header_values_;
    std::vector<mime::Header> headers_;
    std::vector<std::unique_ptr<InputFile>> files_;  // stable addresses for BodySource
    std::vector<std::string> filenames_, types_, charsets_;
    std::vector<mime::Part> attachments_;
    mime::Part text_;
    bool have_text_ = false;
    std::string body_text_;
    std::unique_ptr<InputFile> body_file_;
    std::string message_id_;
    mime::DateTime date_;
    unsigned char message_id_random_[12] = {};
    unsigned char boundary_random_[8] = {};
    std::string domain_;
    mime::Message message_;
    mime::MessageWriter writer_;
    CopyReplay replay_;
    bool replaying_ = false;
    std::uint64_t header_allowance_ = 0;
    std::uint64_t expected_ = 0;
    std::uint64_t source_total_ = 0;
    unsigned copies_ = 0;
};

}  // namespace smtpcore::cli
