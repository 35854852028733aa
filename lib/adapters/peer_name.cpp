// The server's identity as TLS checks it (tls.hpp, normalize_peer_name):
// shared by every backend so all of them send the same SNI and match the
// same name, whatever form the user typed.
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#endif

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {
namespace {
// inet_aton(3): the classic forms ("127.1", "0x7f.0.0.1"). Windows has none,
// but its inet_addr() takes the same forms (INADDR_NONE doubles as the error
// and as 255.255.255.255, which the strict parse settles).
int parse_ipv4_classic(const char* text, in_addr* out) {
#ifdef _WIN32
    const unsigned long a = inet_addr(text);
    if (a == INADDR_NONE) return inet_pton(AF_INET, text, out) == 1 ? 1 : 0;
    out->s_addr = a;
    return 1;
#else
    return inet_aton(text, out);
#endif
}
}  // namespace

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
        parse_ipv4_classic(host.c_str(), &v4) != 0 && inet_ntop(AF_INET, &v4, text, sizeof text) != nullptr)
        return PeerName{text, true};
    // "localhost." is the fully qualified form of "localhost": certificates
    // and SNI (RFC 6066 §3) carry names without the root label's dot.
    if (!host.empty() && host.back() == '.' && host.size() > 1) host.pop_back();
    peer.name = host;
    return peer;
}

}  // namespace smtpcore::adapters
