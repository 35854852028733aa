#include "server_address.hpp"

#include <netdb.h>

#include <stdexcept>

#include "options.hpp"
#include "smtpcore/adapters/posix_socket.hpp"
#include "smtpcore/adapters/tls.hpp"

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

adapters::Connection connect_server(const std::string& server, const adapters::SendOptions& options) {
    std::string host, port;
    adapters::split_host_port(server, options.default_port, host, port);
    adapters::Connection c;
    if (options.tls != TlsMode::None) {
        adapters::TlsOptions tls;
        tls.server_name = host;
        tls.verify = options.verify;
        tls.ca_file = options.ca_file;
        c.tls = adapters::make_platform_tls(tls);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
        const std::string why = "cannot resolve " + host + ": " + gai_strerror(rc);
        if (rc == EAI_AGAIN) throw ResolverBusy{why};
        if (rc == EAI_NONAME || rc == EAI_FAIL
#ifdef EAI_NODATA
            || rc == EAI_NODATA
#endif
        )
            throw HostUnknown{why};
        throw std::runtime_error(why);
    }
    try {
        c.transport = adapters::connect_addresses(list, options.connect_timeout, host + " port " + port);
    } catch (...) {
        freeaddrinfo(list);
        throw;
    }
    freeaddrinfo(list);
    return c;
}

}  // namespace smtpcore::cli
