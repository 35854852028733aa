// The order of connection attempts, shared by posix_socket.cpp and
// winsock_socket.cpp. Include after the system's socket headers (AF_INET6).
#pragma once

#include <vector>

namespace smtpcore::adapters::detail {

/// RFC 8305 §4: alternate address families, keeping each family's order,
/// starting with the family of the resolver's first answer. Info is
/// addrinfo, or ADDRINFOW on Windows.
template <class Info>
std::vector<const Info*> interleave_families(const Info* list) {
    std::vector<const Info*> v6, v4, out;
    for (const Info* a = list; a != nullptr; a = a->ai_next) (a->ai_family == AF_INET6 ? v6 : v4).push_back(a);
    const bool v6_first = list != nullptr && list->ai_family == AF_INET6;
    auto& first = v6_first ? v6 : v4;
    auto& second = v6_first ? v4 : v6;
    for (std::size_t i = 0; i < first.size() || i < second.size(); ++i) {
        if (i < first.size()) out.push_back(first[i]);
        if (i < second.size()) out.push_back(second[i]);
    }
    return out;
}

}  // namespace smtpcore::adapters::detail
