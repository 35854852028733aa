// One standard query (RFC 1035 §4.1.1, §4.1.2) with an optional EDNS0 OPT
// pseudo-record (RFC 6891 §6.1.2).
#include <cstring>

#include "smtpcore/dns/message.hpp"
#include "wire.hpp"

namespace smtpcore::dns {

std::size_t write_query(const QuerySpec& spec, MutableBytes out) noexcept {
    if (!spec.name) return 0;
    const bool edns = spec.edns_udp_size != 0;
    const std::size_t size = kHeaderOctets + spec.name->size() + 4 + (edns ? 11 : 0);
    if (out.size() < size) return 0;
    char* p = out.data();
    // §4.1.1: ID; QR=0, OPCODE=0 (QUERY), RD=1 (a stub asks for recursion);
    // QDCOUNT=1, ANCOUNT=NSCOUNT=0, ARCOUNT=1 with the OPT record.
    wire::put16(p, spec.id);
    wire::put16(p + 2, 0x0100);
    wire::put16(p + 4, 1);
    wire::put16(p + 6, 0);
    wire::put16(p + 8, 0);
    wire::put16(p + 10, edns ? 1 : 0);
    p += kHeaderOctets;
    // §4.1.2: QNAME, QTYPE, QCLASS=IN.
    std::memcpy(p, spec.name->wire(), spec.name->size());
    p += spec.name->size();
    wire::put16(p, static_cast<std::uint16_t>(spec.type));
    wire::put16(p + 2, kClassIn);
    p += 4;
    if (edns) {
        // RFC 6891 §6.1.2: owner root, TYPE=OPT, CLASS=UDP payload size,
        // TTL=extended RCODE 0, version 0, no DO bit; RDLEN=0.
        p[0] = 0;
        wire::put16(p + 1, static_cast<std::uint16_t>(RrType::OPT));
        wire::put16(p + 3, spec.edns_udp_size < kClassicUdpSize ? kClassicUdpSize : spec.edns_udp_size);
        wire::put16(p + 5, 0);
        wire::put16(p + 7, 0);
        wire::put16(p + 9, 0);
    }
    return size;
}

}  // namespace smtpcore::dns
