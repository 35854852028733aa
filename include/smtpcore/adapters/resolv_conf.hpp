// smtpcore adapters — /etc/resolv.conf, read as resolv.conf(5) describes it.
//
// Only what the stub resolver uses: nameserver, search (and domain), and the
// options timeout:N, attempts:N, ndots:N and edns0. Everything else is
// skipped; malformed lines are skipped too, as the C library does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "smtpcore/dns/resolver.hpp"

namespace smtpcore::adapters {

struct ResolvConf {
    std::vector<dns::Endpoint> nameservers;  ///< at most 3 (MAXNS), port 53
    std::vector<std::string> search;         ///< the last search/domain line wins
    unsigned timeout_s = 5;                  ///< options timeout:N, at most 30
    unsigned attempts = 2;                   ///< options attempts:N, at most 5
    unsigned ndots = 1;                      ///< options ndots:N, at most 15
    bool edns0 = false;                      ///< options edns0 (smtpcore sends EDNS0 either way)

    /// The resolver settings this file asks for, over `servers` (which must
    /// outlive the Resolver: usually this->nameservers).
    dns::ResolverConfig resolver_config(const std::vector<dns::Endpoint>& servers) const;
    /// The names to try for `name`, in order (resolv.conf(5) "search", "ndots"):
    /// a name ending in '.' as it is; one with at least ndots dots first as
    /// it is, then with each search domain; otherwise the other way round.
    std::vector<std::string> candidates(const std::string& name) const;
};

/// Parses the text of a resolv.conf. Never throws on content.
ResolvConf parse_resolv_conf(std::string_view text);
/// Reads and parses a file; a missing file gives the defaults and
/// 127.0.0.1 as the name server, as the C library does.
ResolvConf read_resolv_conf(const std::string& path = "/etc/resolv.conf");

/// Parses "ADDR", "ADDR:PORT", "[V6]:PORT" or a bare IPv6 literal into an
/// endpoint (numeric addresses only). False when it is none of those.
bool parse_endpoint(std::string_view text, dns::Endpoint& out, std::uint16_t default_port = 53);
/// "127.0.0.1:53" or "[::1]:53".
std::string to_string(const dns::Endpoint& endpoint);

}  // namespace smtpcore::adapters
