// smtpcore-send — the command line, parsed (docs/cli.md is the contract).
#pragma once

#include <string>
#include <vector>

#include "envelope_options.hpp"
#include "mx_option.hpp"
#include "resolver_option.hpp"
#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::cli {

/// sysexits(3) values the contract promises.
enum Exit : int {
    kDelivered = 0,
    kUsage = 64,        // EX_USAGE
    kDataError = 65,    // EX_DATAERR: CR/LF in a header value or address; 8-bit data a server cannot take
    kNoInput = 66,      // EX_NOINPUT: an input file is missing, unreadable or a directory
    kNoHost = 68,       // EX_NOHOST: the server's name does not resolve
    kUnavailable = 69,  // EX_UNAVAILABLE: permanent failure (5xx)
    kTempFail = 75,     // EX_TEMPFAIL: 4xx, connection lost, timeout, resolver temporarily failing
    kProtocol = 76,     // EX_PROTOCOL: server broke the protocol, or required TLS unavailable
    kNoPerm = 77,       // EX_NOPERM: authentication failed, refused insecurely, or required (530)
    kConfig = 78,       // EX_CONFIG: the configuration file is wrong or readable by others
};

/// One --attach with the --attach-type / --attach-name given before it.
struct Attachment {
    std::string path;
    std::string type;  ///< "type/subtype[; charset=X]"; empty: guessed from the name
    std::string name;  ///< empty: the path's last component
};

struct Options {
    std::string server;
    adapters::SendOptions send;
    ResolverChoice resolver;  // --resolver, --nameserver
    MxChoice mx;              // --mx, --mx-port
    EnvelopeChoice extensions;  // --dsn-*, -N, -R, -V, --require-tls, --tls-required-no
    std::string password_file;
    std::string password_command;
    std::string oauth_token_file;     ///< --oauth-token-file: XOAUTH2 / OAUTHBEARER
    std::string oauth_token_command;  ///< --oauth-token-command

    std::string from;
    std::string full_name;  ///< -F: the display name of a From that -t adds
    std::vector<std::string> to, cc, bcc, reply_to;
    std::string subject;
    std::string body_text;
    std::string body_file;  ///< "-": standard input
    bool have_body_text = false;
    std::vector<Attachment> attachments;
    std::vector<std::string> headers;  // "Name: value"

    unsigned count = 1;
    bool verbose = false;
    bool sendmail_mode = false;  // -t
    bool dot_is_data = false;    // -i: a lone "." line is data, not the end
    std::vector<std::string> arg_recipients;  // sendmail mode operands
    std::string dump_server_bytes;           // raw server bytes to a file (fuzz seeds)
    bool timeout_given = false;
};

/// An address argument: "a@example.org" or "Display Name <a@example.org>".
struct NamedAddress {
    std::string name;
    std::string address;
};
NamedAddress split_named_address(const std::string& argument);

/// A usage error: print why and the usage, exit 64.
struct UsageError {
    std::string message;
};
/// --help / --version: print and exit 0.
struct HelpRequested {};
struct VersionRequested {};
/// An input file (password, body, attachment, CA) cannot be read: exit 66.
struct InputMissing {
    std::string message;
};
/// Data refused before connecting: exit 65.
struct DataError {
    std::string message;
};
/// The configuration file is wrong: exit 78.
struct ConfigError {
    std::string message;
};
Options parse_options(int argc, char** argv);
void print_usage(std::FILE* to);

}  // namespace smtpcore::cli
