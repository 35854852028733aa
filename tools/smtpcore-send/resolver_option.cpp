// --resolver and --nameserver: the builtin resolver (lib/dns) in place of getaddrinfo.
#include "resolver_option.hpp"

#include <stdexcept>

#include "options.hpp"
#include "server_address.hpp"
#include "smtpcore/adapters/dns_connect.hpp"
#include "smtpcore/adapters/posix_socket.hpp"

namespace smtpcore::cli {

bool parse_resolver_option(const std::string& arg, const std::function<std::string()>& value, ResolverChoice& out) {
    if (arg == "--resolver") {
        const std::string v = value();
        if (v != "system" && v != "builtin") throw UsageError{"--resolver takes system or builtin"};
        out.builtin = v == "builtin";
        return true;
    }
    if (arg == "--nameserver") {
        const std::string v = value();
        dns::Endpoint e;
        if (!adapters::parse_endpoint(v, e)) throw UsageError{"--nameserver takes ADDR, ADDR:PORT or [V6]:PORT, got " + v};
        out.nameservers.push_back(e);
        out.builtin = true;  // naming the servers only means something to the builtin resolver
        return true;
    }
    return false;
}

adapters::Connection open_chosen_connection(const std::string& server, const adapters::SendOptions& options,
                                            const ResolverChoice& choice) {
    if (!choice.builtin) return connect_server(server, options);
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
}

}  // namespace smtpcore::cli
