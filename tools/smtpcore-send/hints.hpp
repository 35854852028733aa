// smtpcore-send: after the report, what a person can do about it — the
// server's code shown with its text, and a hint for the failures that have a
// known remedy (no STARTTLS, implicit-TLS port, authentication required).
#pragma once

#include <string>

#include "options.hpp"
#include "outcome.hpp"

namespace smtpcore::cli {

/// The session's closing words as the report shows them: "535 5.7.8 ..." with
/// the code, or nothing for the 221 answer to QUIT (not a failure).
std::string closing_words(std::uint16_t code, const std::string& text);

/// Prints the hints that apply and returns the exit code to use instead of
/// `code` (530 "authentication required" becomes 77).
int hint_and_adjust(const SessionSummary& s, const Options& o, int code);

/// For --tls starttls/none against port 465, a short greeting wait (seconds):
/// a server there waits for a TLS hello and would never greet.
Millis greeting_wait(const Options& o);

}  // namespace smtpcore::cli
