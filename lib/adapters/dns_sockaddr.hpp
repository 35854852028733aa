// dns::Endpoint <-> sockaddr, for both socket layers (the structures are the
// same in BSD sockets and Winsock). Include after the system's socket headers.
#pragma once

#include <cstring>

#include "smtpcore/dns/types.hpp"

namespace smtpcore::adapters::dns_sockets {

inline int to_sockaddr(const dns::Endpoint& e, sockaddr_storage& out) noexcept {
    std::memset(&out, 0, sizeof out);
    if (e.family == 6) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&out);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(e.port);
        std::memcpy(&s6->sin6_addr, e.address, 16);
        return sizeof(sockaddr_in6);
    }
    auto* s4 = reinterpret_cast<sockaddr_in*>(&out);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(e.port);
    std::memcpy(&s4->sin_addr, e.address, 4);
    return sizeof(sockaddr_in);
}

inline dns::Endpoint from_sockaddr(const sockaddr_storage& in) noexcept {
    dns::Endpoint e;
    if (in.ss_family == AF_INET6) {
        const auto* s6 = reinterpret_cast<const sockaddr_in6*>(&in);
        e.family = 6;
        e.port = ntohs(s6->sin6_port);
        std::memcpy(e.address, &s6->sin6_addr, 16);
    } else if (in.ss_family == AF_INET) {
        const auto* s4 = reinterpret_cast<const sockaddr_in*>(&in);
        e.family = 4;
        e.port = ntohs(s4->sin_port);
        std::memcpy(e.address, &s4->sin_addr, 4);
    }
    return e;
}

}  // namespace smtpcore::adapters::dns_sockets
