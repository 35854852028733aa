// smtpcore-send — the command line, parsed (docs/cli.md is the contract).
#pragma once

#include <string>
#include <vector>

#include "mx_option.hpp"
#include "resolver_option.hpp"
#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::cli {

/// sysexits(3) values the contract promises.
enum Exit : int {
    kDelivered = 0,
    kUsage = 64,        // EX_USAGE
    kDataError = 65,    // EX_DATAERR: CR/LF in a header value or address
    kNoInput = 66,      // EX_NOINPUT: an input file is missing
    kUnavailable = 69,  // EX_UNAVAILABLE: permanent failure (5xx)
    kTempFail = 75,     // EX_TEMPFAIL: 4xx, connection lost, timeout
    kProtocol = 76,     // EX_PROTOCOL: server broke the protocol, or required TLS unavailable
    kNoPerm = 77,       // EX_NOPERM: authentication failed or refused insecurely
};

struct Options {
    std::string server;
    adapters::SendOptions send;
    ResolverChoice resolver;  // --resolver, --nameserver
    MxChoice mx;              // --mx, --mx-port
    std::string password_file;

    std::string from;
    std::vector<std::string> to, cc, bcc;
    std::string subject;
    std::string body_text;
    std::string body_file;
    bool have_body_text = false;
    std::vector<std::string> attachments;
    std::vector<std::string> headers;  // "Name: value"

    unsigned count = 1;
    bool verbose = false;
    bool sendmail_mode = false;  // -t
    bool dot_is_data = false;    // -i: a lone "." line is data, not the end
    std::vector<std::string> arg_recipients;  // sendmail mode operands
    std::string dump_server_bytes;           // raw server bytes to a file (fuzz seeds)
};

/// An address argument: "a@example.org" or "Display Name <a@example.org>".
struct NamedAddress {
    std::string name;
    std::string address;
};
NamedAddress split_named_address(const std::string& argument);

/// Parses argv; on a usage error prints why and throws UsageError.
struct UsageError {
    std::string message;
};
/// --help: print the usage and exit 0.
struct HelpRequested {};
/// An input file (password, body, attachment, CA) cannot be read: exit 66.
struct InputMissing {
    std::string message;
};
Options parse_options(int argc, char** argv);
void print_usage();

}  // namespace smtpcore::cli
