// Connecting to addresses found by the builtin resolver: its Lookup becomes
// the address list connect_addresses() (posix_socket.cpp, winsock_socket.cpp)
// staggers attempts over.
#include "smtpcore/adapters/dns_connect.hpp"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <cstring>
#include <stdexcept>
#include <vector>

namespace smtpcore::adapters {
namespace {

const char* why(dns::Outcome o) {
    switch (o) {
    case dns::Outcome::NxDomain: return "no such host (NXDOMAIN)";
    case dns::Outcome::NoData: return "the host has no address";
    case dns::Outcome::Timeout: return "no DNS server answered";
    case dns::Outcome::ServerFailure: return "the DNS servers failed";
    default: return "name resolution failed";
    }
}

}  // namespace

std::unique_ptr<Transport> connect_tcp_builtin(BuiltinResolver& resolver, const std::string& host,
                                                 const std::string& port, Millis timeout) {
    const Lookup found = resolver.addresses(host);
    if (found.addresses.empty())
        throw std::runtime_error(host + ": " + why(found.outcome) + (found.error.empty() ? "" : " (" + found.error + ")"));
    const unsigned long port_number = std::stoul(port);
    // An addrinfo chain over our own storage, AAAA first as the lookup gives them.
    std::vector<sockaddr_storage> addresses(found.addresses.size());
    std::vector<addrinfo> list(found.addresses.size());
    for (std::size_t i = 0; i < found.addresses.size(); ++i) {
        const Address& a = found.addresses[i];
        std::memset(&addresses[i], 0, sizeof addresses[i]);
        addrinfo& ai = list[i];
        std::memset(&ai, 0, sizeof ai);
        ai.ai_socktype = SOCK_STREAM;
        ai.ai_protocol = IPPROTO_TCP;
        ai.ai_addr = reinterpret_cast<sockaddr*>(&addresses[i]);
        if (a.family == 6) {
            auto* s6 = reinterpret_cast<sockaddr_in6*>(&addresses[i]);
            s6->sin6_family = AF_INET6;
            s6->sin6_port = htons(static_cast<std::uint16_t>(port_number));
            std::memcpy(&s6->sin6_addr, a.bytes, 16);
            ai.ai_family = AF_INET6;
            ai.ai_addrlen = sizeof(sockaddr_in6);
        } else {
            auto* s4 = reinterpret_cast<sockaddr_in*>(&addresses[i]);
            s4->sin_family = AF_INET;
            s4->sin_port = htons(static_cast<std::uint16_t>(port_number));
            std::memcpy(&s4->sin_addr, a.bytes, 4);
            ai.ai_family = AF_INET;
            ai.ai_addrlen = sizeof(sockaddr_in);
        }
        ai.ai_next = i + 1 < list.size() ? &list[i + 1] : nullptr;
    }
    return connect_addresses(list.data(), timeout, host + " port " + port);
}

}  // namespace smtpcore::adapters
