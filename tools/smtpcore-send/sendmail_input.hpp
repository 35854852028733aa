// smtpcore-send -t: a whole RFC 5322 message from standard input, recipients
// taken from its To, Cc and Bcc fields (like sendmail -t).
//
// The header is held in memory, up to kMaxHeader octets; the body never is:
// it is sent from standard input itself when that is a file, else from a
// private unnamed temporary copy (so it can be scanned before MAIL for 8-bit
// octets and its size, and re-read for --count).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "smtpcore/body_source.hpp"

namespace smtpcore::cli {

struct SendmailInput {
    std::string header;                   ///< the fields as read, Bcc removed, missing ones added, blank line
    std::vector<std::string> recipients;  ///< To, Cc, Bcc addresses, in order
    std::string from;                     ///< the From field's first address
    bool eight_bit = false;               ///< octets over 127 anywhere
    int fd = -1;                          ///< the body's file
    bool owned = false;
    std::uint64_t body_offset = 0, body_length = 0;
    std::uint64_t bare_line_ends = 0;     ///< line ends the engine will turn into CRLF (one more octet each)

    SendmailInput() = default;
    SendmailInput(const SendmailInput&) = delete;
    SendmailInput& operator=(const SendmailInput&) = delete;
    ~SendmailInput();

    /// Octets the engine sends at most (SIZE=, RFC 1870), before dot-stuffing.
    std::uint64_t size() const { return header.size() + body_length + bare_line_ends; }
};

constexpr std::size_t kMaxHeader = 1024 * 1024;

/// What -t adds when the message lacks it (RFC 5322 §3.6: Date and From are required).
struct AddedFields {
    std::string from;       ///< envelope sender (-f/-r, the account's from)
    std::string full_name;  ///< -F
};

/// Reads standard input. Without `dot_is_data` (sendmail's -i) a line
/// holding only "." ends the message, as sendmail does. Throws DataError
/// for a header over kMaxHeader, InputMissing when stdin cannot be read.
void read_sendmail_input(bool dot_is_data, const AddedFields& add, SendmailInput& out);

/// The message as the engine's body: header, then the body from its file.
class SendmailSource {
public:
    explicit SendmailSource(const SendmailInput& in) : in_(in) {}
    BodySource source() { return BodySource{&SendmailSource::thunk, this}; }

private:
    static ReadResult thunk(void* self, MutableBytes out) noexcept {
        return static_cast<SendmailSource*>(self)->read(out);
    }
    ReadResult read(MutableBytes out) noexcept;
    const SendmailInput& in_;
    std::uint64_t pos_ = 0;
};

/// The addr-specs in an address-list field value: display names, comments,
/// quoted strings and groups skipped ("A <a@x>, (c) b@y, g: c@z;"). A
/// token without '@' is kept, so that the caller refuses it by name.
std::vector<std::string> addresses_in(std::string_view value);

}  // namespace smtpcore::cli
