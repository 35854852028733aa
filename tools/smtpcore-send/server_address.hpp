// smtpcore-send: --server checked as a usage matter before anything else, and
// the connection made with resolver failures told apart (sysexits: 68 for a
// name that does not exist, 75 for a resolver that is failing for now).
#pragma once

#include <string>

#include <memory>

#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::cli {

/// UsageError for a malformed HOST:PORT: a port that is not a number from 1
/// to 65535, an unclosed '[', an IPv6 literal without brackets (with the
/// "[::1]:PORT" form to use instead).
void check_server_syntax(const std::string& server, const std::string& default_port);

/// UsageError unless `server` names its port, and not 25: LMTP has no
/// default port, and RFC 2033 §5 keeps it off the SMTP port.
void check_lmtp_server(const std::string& server);

/// "host" as --server writes it: an IPv6 literal in brackets.
std::string bracket_host(const std::string& host);

/// A name that does not resolve (exit 68) and a temporary resolver failure (75).
struct HostUnknown {
    std::string message;
};
struct ResolverBusy {
    std::string message;
};

/// adapters::open_connection() (the resolver bounded by the connect
/// timeout), with resolver failures turned into HostUnknown / ResolverBusy;
/// std::runtime_error for the rest.
adapters::Connection connect_server(const std::string& server, const adapters::SendOptions& options);

/// The TLS backend for a session with `name` as the verified server name;
/// nullptr with TlsMode::None.
std::unique_ptr<adapters::TlsBackend> tls_for(const std::string& name, const adapters::SendOptions& options);

}  // namespace smtpcore::cli
