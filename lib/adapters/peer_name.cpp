// The server's identity as TLS checks it (tls.hpp, normalize_peer_name):
// shared by every backend so all of them send the same SNI and match the
// same name, whatever form the user typed.
#include <arpa/inet.h>
#include <netinet/in.h>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {

PeerName normalize_peer_name(const std::string& server_name) {
    PeerName peer;
    std::string host = server_name;
    // RFC 6874 §1: the zone index ("%lo", "%eth0") only picks a local link.
    if (const auto percent = host.find('%'); percent != std::string::npos && host.find(':') != std::string::npos)
        host.erase(percent);
    char text[INET6_ADDRSTRLEN];
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1 && inet_ntop(AF_INET6, &v6, text, sizeof text) != nullptr)
        return PeerName{text, true};
    // inet_aton(3) also takes "127.1" and "0x7f.0.0.1": getaddrinfo connects
    // to 127.0.0.1 for them, so the certificate must name 127.0.0.1.
    // (Only address characters: inet_aton also ignores anything after a space.)
    in_addr v4{};
    if (host.find_first_not_of("0123456789abcdefABCDEFxX.") == std::string::npos &&
        inet_aton(host.c_str(), &v4) != 0 && inet_ntop(AF_INET, &v4, text, sizeof text) != nullptr)
        return PeerName{text, true};
    // "localhost." is the fully qualified form of "localhost": certificates
    // and SNI (RFC 6066 §3) carry names without the root label's dot.
    if (!host.empty() && host.back() == '.' && host.size() > 1) host.pop_back();
    peer.name = host;
    return peer;
}

}  // namespace smtpcore::adapters
