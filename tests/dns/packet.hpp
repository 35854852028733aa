// Hand-written DNS messages for the tests: every octet is spelled out here,
// nothing comes from the code under test.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

namespace smtpcore::dns::test {

/// A message built octet by octet.
struct Packet {
    std::string bytes;

    Packet& u8(unsigned v) { bytes += static_cast<char>(v & 0xFF); return *this; }
    Packet& u16(unsigned v) { return u8(v >> 8).u8(v); }
    Packet& u32(std::uint32_t v) { return u16(v >> 16).u16(v & 0xFFFF); }
    Packet& raw(const std::string& s) { bytes += s; return *this; }
    /// An uncompressed name from dotted text ("" or "." is the root).
    Packet& name(const std::string& dotted) {
        std::size_t start = 0;
        while (start < dotted.size()) {
            std::size_t end = dotted.find('.', start);
            if (end == std::string::npos) end = dotted.size();
            u8(static_cast<unsigned>(end - start));
            bytes.append(dotted, start, end - start);
            start = end + 1;
        }
        return u8(0);
    }
    /// Labels, then a compression pointer to `offset`.
    Packet& name_then_pointer(const std::string& labels, unsigned offset) {
        std::size_t start = 0;
        while (start < labels.size()) {
            std::size_t end = labels.find('.', start);
            if (end == std::string::npos) end = labels.size();
            u8(static_cast<unsigned>(end - start));
            bytes.append(labels, start, end - start);
            start = end + 1;
        }
        return pointer(offset);
    }
    Packet& pointer(unsigned offset) { return u16(0xC000 | offset); }
    std::size_t size() const { return bytes.size(); }
};

/// Header: id, flags, then QD/AN/NS/AR counts.
inline Packet header(unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns = 0, unsigned ar = 0) {
    Packet p;
    p.u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    return p;
}

constexpr unsigned kResponse = 0x8180;  // QR, RD, RA, NOERROR
constexpr unsigned kTruncated = 0x0200;
constexpr unsigned kA = 1, kCname = 5, kMx = 15, kAaaa = 28, kIn = 1;

/// A response to (id, qname, qtype) with `answers` records written by the
/// caller afterwards: header, question (the name at offset 12).
inline Packet response(unsigned id, const std::string& qname, unsigned qtype, unsigned answers,
                       unsigned flags = kResponse, unsigned authorities = 0, unsigned additionals = 0) {
    Packet p = header(id, flags, 1, answers, authorities, additionals);
    p.name(qname).u16(qtype).u16(kIn);
    return p;
}

/// Record fields after the owner name: type, class IN, ttl, then rdata.
inline Packet& rr(Packet& p, unsigned type, const std::string& rdata, std::uint32_t ttl = 300) {
    p.u16(type).u16(kIn).u32(ttl).u16(static_cast<unsigned>(rdata.size())).raw(rdata);
    return p;
}
inline std::string ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
    return std::string{char(a), char(b), char(c), char(d)};
}
inline std::string ip6_loopback() { return std::string(15, '\0') + '\1'; }
/// MX rdata: preference and an uncompressed exchange name.
inline std::string mx_rdata(unsigned preference, const std::string& exchange) {
    Packet p;
    p.u16(preference).name(exchange);
    return p.bytes;
}
inline std::string name_rdata(const std::string& target) {
    Packet p;
    p.name(target);
    return p.bytes;
}

}  // namespace smtpcore::dns::test
