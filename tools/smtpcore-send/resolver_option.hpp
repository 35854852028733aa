// smtpcore-send — which resolver finds the server: the operating system's
// (getaddrinfo, the default) or smtpcore's own (docs/dns.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/dns/types.hpp"

namespace smtpcore::cli {

struct ResolverChoice {
    bool builtin = false;                    ///< --resolver builtin
    std::vector<dns::Endpoint> nameservers;  ///< --nameserver ADDR[:PORT]...; empty: /etc/resolv.conf
    std::string tls_name;                    ///< the name TLS checks when the server is an address (--mx)
};

/// Takes --resolver system|builtin and --nameserver ADDR[:PORT] (repeatable);
/// false when `arg` is neither. Throws UsageError on a bad value.
bool parse_resolver_option(const std::string& arg, const std::function<std::string()>& value, ResolverChoice& out);

/// Connects to `server` ("host:port") like adapters::open_connection(), with
/// the name resolved by the chosen resolver. TLS checks the host name either way.
adapters::Connection open_chosen_connection(const std::string& server, const adapters::SendOptions& options,
                                            const ResolverChoice& choice);

}  // namespace smtpcore::cli
