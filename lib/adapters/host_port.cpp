// "host:port" as users write it, shared by the POSIX and Winsock transports.
#include <stdexcept>
#include <string>

#include "smtpcore/adapters/posix_socket.hpp"

namespace smtpcore::adapters {

void split_host_port(const std::string& server, const std::string& default_port, std::string& host,
                     std::string& port) {
    if (!server.empty() && server[0] == '[') {  // [2001:db8::1]:587
        const auto close = server.find(']');
        if (close == std::string::npos) throw std::invalid_argument("unclosed '[' in " + server);
        host = server.substr(1, close - 1);
        if (close + 1 == server.size()) port = default_port;
        else if (server[close + 1] == ':') port = server.substr(close + 2);
        else throw std::invalid_argument("expected ':' after ']' in " + server);
    } else {
        const auto colon = server.rfind(':');
        const bool one_colon = colon != std::string::npos && server.find(':') == colon;
        host = one_colon ? server.substr(0, colon) : server;  // several colons: a bare IPv6 literal
        port = one_colon ? server.substr(colon + 1) : default_port;
    }
    if (host.empty() || port.empty()) throw std::invalid_argument("expected HOST:PORT, got '" + server + "'");
}

}  // namespace smtpcore::adapters
