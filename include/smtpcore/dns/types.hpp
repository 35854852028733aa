// smtpcore DNS — the numbers of the wire format and the bounds the resolver keeps.
//
// RFC 1035 §3.2 (types, classes), §4.1.1 (header fields, RCODE), RFC 3596 §2.1
// (AAAA), RFC 6891 §6.1.1 (OPT). Every quantity a server controls has a bound
// here (docs/contributing.md §7).
#pragma once

#include <cstddef>
#include <cstdint>

namespace smtpcore::dns {

/// Record types the resolver reads (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 6891 §6.1.1).
enum class RrType : std::uint16_t {
    A = 1,
    CNAME = 5,
    MX = 15,
    AAAA = 28,
    OPT = 41,
};

constexpr std::uint16_t kClassIn = 1;  ///< RFC 1035 §3.2.4

/// RFC 1035 §4.1.1 RCODE values the resolver tells apart.
enum class Rcode : std::uint8_t {
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
};

/// RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label 63.
constexpr std::size_t kMaxNameOctets = 255;
constexpr std::size_t kMaxLabelOctets = 63;
/// Compression pointers followed while reading one name. Each pointer must
/// also point strictly before the run of labels it ends (lib/dns/name.cpp),
/// so chains cannot loop; the cap bounds the work per name besides.
constexpr std::uint8_t kMaxPointerHops = 16;
/// RFC 1035 §4.1.1: the fixed header.
constexpr std::size_t kHeaderOctets = 12;
/// RFC 1035 §2.3.4: a UDP message without EDNS0 carries at most 512 octets.
constexpr std::uint16_t kClassicUdpSize = 512;
/// The EDNS0 UDP payload size advertised by default: 1232 octets, the size
/// that fits an IPv6 minimum MTU without fragmentation (DNS Flag Day 2020).
constexpr std::uint16_t kDefaultEdnsSize = 1232;

/// An IPv4 or IPv6 address and port: where a server is, and where a datagram
/// came from. The resolver compares these byte for byte (RFC 5452 §9.1).
struct Endpoint {
    std::uint8_t family = 0;        ///< 4 or 6; 0 = unset
    std::uint8_t address[16] = {};  ///< IPv4 in the first 4 octets, network order
    std::uint16_t port = 53;

    bool operator==(const Endpoint& other) const noexcept;
    bool operator!=(const Endpoint& other) const noexcept { return !(*this == other); }
};

/// An IPv4 endpoint from four octets, e.g. ipv4(127, 0, 0, 1, 53).
Endpoint ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port = 53) noexcept;

const char* to_string(RrType type) noexcept;
const char* to_string(Rcode rcode) noexcept;

}  // namespace smtpcore::dns
