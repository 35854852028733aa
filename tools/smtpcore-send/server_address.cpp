#include "server_address.hpp"

#include <netdb.h>

#include <stdexcept>

#include "options.hpp"
#include "smtpcore/adapters/posix_socket.hpp"

namespace smtpcore::cli {

std::string bracket_host(const std::string& host) {
    return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

void check_server_syntax(const std::string& server, const std::string& default_port) {
    const auto first = server.find(':');
    if (server.front() != '[' && first != std::string::npos && server.find(':', first + 1) != std::string::npos) {
        // Several colons without brackets: an IPv6 literal, maybe with a port glued on.
        const auto last = server.rfind(':');
        const std::string tail = server.substr(last + 1);
        const bool port_like = !tail.empty() && tail.size() <= 5 && tail.find_first_not_of("0123456789") == std::string::npos;
        const std::string hint = port_like ? "[" + server.substr(0, last) + "]:" + tail : "[" + server + "]:" + default_port;
        throw UsageError{"--server " + server + ": write an IPv6 address in brackets, e.g. " + hint};
    }
    std::string host, port;
    try {
        adapters::split_host_port(server, default_port, host, port);
    } catch (const std::invalid_argument& e) {
        throw UsageError{"--server " + server + ": " + e.what()};
    }
    char* end = nullptr;
    const unsigned long n = std::strtoul(port.c_str(), &end, 10);
    if (port.find_first_not_of("0123456789") != std::string::npos || *end != '\0' || n < 1 || n > 65535)
        throw UsageError{"--server " + server + ": the port must be a number from 1 to 65535, not '" + port + "'"};
}

void check_lmtp_server(const std::string& server) {
    std::string host, port;
    adapters::split_host_port(server, "", host, port);  // its syntax was checked before
    if (port.empty()) throw UsageError{"--lmtp needs --server HOST:PORT: LMTP has no default port"};
    if (port == "25") throw UsageError{"--lmtp refuses port 25: RFC 2033 §5 keeps LMTP off the SMTP port"};
}

std::unique_ptr<adapters::TlsBackend> tls_for(const std::string& name, const adapters::SendOptions& options) {
    if (options.tls == TlsMode::None) return nullptr;
    return adapters::make_tls(options.tls_library, adapters::tls_options_for(name, options));
}

adapters::Connection connect_server(const std::string& server, const adapters::SendOptions& options) {
    try {
        return adapters::open_connection(server, options);
    } catch (const adapters::ResolveError& e) {
        if (e.code() == EAI_AGAIN) throw ResolverBusy{e.what()};
        if (e.code() == EAI_NONAME || e.code() == EAI_FAIL
#ifdef EAI_NODATA
            || e.code() == EAI_NODATA
#endif
        )
            throw HostUnknown{e.what()};
        throw;
    }
}

}  // namespace smtpcore::cli
