// smtpcore-send --mx: delivery straight to the recipient domain's mail
// exchangers (RFC 5321 §5.1) with the builtin resolver, one session per MX
// address in order, each attempt reported (docs/dns.md).
#pragma once

#include <functional>
#include <string>

namespace smtpcore::cli {

struct Options;

struct MxChoice {
    bool enabled = false;     ///< --mx
    std::string port = "25";  ///< --mx-port N (tests)
    bool tls_given = false;   ///< --tls was on the command line (else opportunistic STARTTLS)
    bool maybe_delivered = false;  ///< set by a session whose outcome is unknown (connection died after the end of data)
};

/// Takes --mx and --mx-port N; false when `arg` is neither.
bool parse_mx_option(const std::string& arg, const std::function<std::string()>& value, MxChoice& out);

/// Runs `session` (one SMTP session to o.server, returning the exit code)
/// against each MX address of the recipients' domain until one delivers or
/// refuses for good; returns the exit code of the last session, 69 for a
/// null MX or NXDOMAIN, 75 when the lookup fails.
int run_mx(Options& o, const std::function<int(Options&)>& session);

}  // namespace smtpcore::cli
