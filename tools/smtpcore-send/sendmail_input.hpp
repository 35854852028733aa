// smtpcore-send -t: a whole RFC 5322 message from standard input, recipients
// taken from its To, Cc and Bcc fields (like sendmail -t).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smtpcore::cli {

struct SendmailInput {
    std::string message;                  ///< as read, Bcc fields removed
    std::vector<std::string> recipients;  ///< To, Cc, Bcc addresses, in order
    std::string from;                     ///< the From field's first address
    bool eight_bit = false;               ///< octets over 127 anywhere
};

/// Reads standard input. Without `dot_is_data` (sendmail's -i), a line
/// holding only "." ends the message, as sendmail does.
std::string read_stdin_message(bool dot_is_data);

/// Splits `raw` into header and body, collects recipients and removes every
/// Bcc field (RFC 5322 §3.6.3: "the Bcc: line is removed").
SendmailInput parse_sendmail_input(std::string raw);

/// The addr-specs in an address-list field value: display names, comments,
/// quoted strings and groups skipped ("A <a@x>, (c) b@y, g: c@z;").
std::vector<std::string> addresses_in(std::string_view value);

}  // namespace smtpcore::cli
