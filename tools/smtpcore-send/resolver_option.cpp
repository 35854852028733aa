// --resolver and --nameserver: the builtin resolver (lib/dns) in place of getaddrinfo.
#include "resolver_option.hpp"

#include <stdexcept>

#include "options.hpp"
#include "server_address.hpp"
#ifndef _WIN32
#include "smtpcore/adapters/dns_connect.hpp"
#endif
#include "smtpcore/adapters/posix_socket.hpp"

namespace smtpcore::cli {

bool parse_resolver_option(const std::string& arg, const std::function<std::string()>& value, ResolverChoice& out) {
    if (arg == "--resolver") {
        const std::string v = value();
        if (v != "system" && v != "builtin") throw UsageError{"--resolver takes system or builtin"};
        out.builtin = v == "builtin";
#ifdef _WIN32
        // The builtin resolver's drivers are POSIX-only (docs/platforms.md "Windows").
        if (out.builtin) throw UsageError{"--resolver builtin: not built on Windows"};
#endif
        return true;
    }
#ifdef _WIN32
    if (arg == "--nameserver") throw UsageError{"--nameserver: not built on Windows (no builtin resolver there)"};
#else
    if (arg == "--nameserver") {
        const std::string v = value();
        dns::Endpoint e;
        if (!adapters::parse_endpoint(v, e)) throw UsageError{"--nameserver takes ADDR, ADDR:PORT or [V6]:PORT, got " + v};
        out.nameservers.push_back(e);
        out.builtin = true;  // naming the servers only means something to the builtin resolver
        return true;
    }
#endif
    return false;
}

adapters::Connection open_chosen_connection(const std::string& server, const adapters::SendOptions& options,
                                            const ResolverChoice& choice) {
    if (!choice.builtin) return connect_server(server, options);
#ifdef _WIN32
    throw std::logic_error("--resolver builtin on Windows");  // parse_resolver_option refused it
#else
    std::string host, port;
    try {
        adapters::split_host_port(server, options.default_port, host, port);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    adapters::BuiltinOptions dns;
    dns.servers = choice.nameservers;
    adapters::BuiltinResolver resolver(dns);
    adapters::Connection c;
    c.tls = tls_for(choice.tls_name.empty() ? host : choice.tls_name, options);  // a name, not the address it resolved to
    c.transport = adapters::connect_tcp_builtin(resolver, host, port, options.connect_timeout);
    return c;
#endif
}

}  // namespace smtpcore::cli
