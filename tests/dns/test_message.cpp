// Queries and responses on the wire (lib/dns/query_writer.cpp, message_reader.cpp).
#include <doctest/doctest.h>

#include <string>

#include "packet.hpp"
#include "smtpcore/dns/message.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;
using namespace smtpcore::dns::test;

namespace {

std::string query(const char* name, RrType type, std::uint16_t id, std::uint16_t edns) {
    Name n;
    REQUIRE(n.from_text(name));
    QuerySpec spec;
    spec.id = id;
    spec.name = &n;
    spec.type = type;
    spec.edns_udp_size = edns;
    char buf[kMaxQueryOctets];
    return std::string(buf, write_query(spec, MutableBytes(buf, sizeof buf)));
}

// Walks every record; the error at the end (None when the whole message parsed).
ParseError walk(const std::string& message, int* records = nullptr) {
    MessageReader r(as_bytes(message));
    if (r.error() != ParseError::None) return r.error();
    Name name;
    std::uint16_t type = 0, cls = 0;
    if (!r.question(name, type, cls)) return r.error();
    Record rec;
    int n = 0;
    while (r.next(rec, name)) ++n;
    if (records) *records = n;
    return r.error();
}

}  // namespace

TEST_CASE("write_query: RFC 1035 §4.1 header and question, RFC 6891 OPT with 1232 octets") {
    Packet expected = header(0xBEEF, 0x0100, 1, 0, 0, 1);
    expected.name("mail.example.com").u16(kMx).u16(kIn);
    expected.u8(0).u16(41).u16(1232).u32(0).u16(0);
    CHECK(query("mail.example.com", RrType::MX, 0xBEEF, kDefaultEdnsSize) == expected.bytes);

    Packet plain = header(7, 0x0100, 1, 0, 0, 0);
    plain.name("a.example").u16(kAaaa).u16(kIn);
    CHECK(query("a.example", RrType::AAAA, 7, 0) == plain.bytes);

    Name n;
    REQUIRE(n.from_text("a.example"));
    QuerySpec spec;
    spec.name = &n;
    char small[20];
    CHECK(write_query(spec, MutableBytes(small, sizeof small)) == 0);  // does not fit: nothing
}

TEST_CASE("every record type parses; rdata lengths are checked per type") {
    Packet p = response(1, "example.com", kA, 4);
    rr(p.pointer(12), kA, ip4(192, 0, 2, 1));
    rr(p.pointer(12), kAaaa, ip6_loopback());
    rr(p.pointer(12), kMx, mx_rdata(10, "mx.example.com"));
    rr(p.name("www.example.com"), kCname, name_rdata("example.com"));
    int records = 0;
    CHECK(walk(p.bytes, &records) == ParseError::None);
    CHECK(records == 4);

    MessageReader r(as_bytes(p.bytes));
    Name owner;
    std::uint16_t t = 0, c = 0;
    REQUIRE(r.question(owner, t, c));
    Record rec;
    REQUIRE(r.next(rec, owner));
    CHECK(rec.type == kA);
    CHECK(rec.rdata_length == 4);
    CHECK(rec.ttl == 300);
    REQUIRE(r.next(rec, owner));
    REQUIRE(r.next(rec, owner));
    CHECK(mx_preference(as_bytes(p.bytes), rec) == 10);
    Name target;
    REQUIRE(read_target(as_bytes(p.bytes), rec, target));
    char buf[64];
    CHECK(std::string(buf, target.to_text(buf, sizeof buf)) == "mx.example.com");

    struct Bad {
        unsigned type;
        std::string rdata;
    };
    const Bad bad[] = {
        {kA, ip4(1, 2, 3, 4) + "x"},              // A is 4 octets
        {kA, "abc"},
        {kAaaa, std::string(15, '\0')},           // AAAA is 16
        {kAaaa, std::string(17, '\0')},
        {kMx, std::string("\0", 1)},              // no room for a name
        {kMx, mx_rdata(5, "mx.example") + "junk"},  // the name must end the data
        {kCname, name_rdata("a.example") + "x"},
        {kCname, ""},
    };
    for (const Bad& b : bad) {
        Packet q = response(1, "example.com", kA, 1);
        rr(q.pointer(12), b.type, b.rdata);
        CHECK_MESSAGE(walk(q.bytes) == ParseError::BadRdata, b.type);
    }
    // Unknown types only need to fit the message.
    Packet txt = response(1, "example.com", kA, 1);
    rr(txt.pointer(12), 16, "\x05hello");
    CHECK(walk(txt.bytes) == ParseError::None);
}

TEST_CASE("an rdata name may point back into the message but not past its own data") {
    Packet p = response(1, "example.com", kMx, 1);
    Packet rdata;
    rdata.u16(10).name_then_pointer("mx", 12);
    rr(p.pointer(12), kMx, rdata.bytes);
    CHECK(walk(p.bytes) == ParseError::None);
    // The MX name's labels run past RDLENGTH into the next record.
    Packet q = response(1, "example.com", kMx, 1);
    q.pointer(12).u16(kMx).u16(kIn).u32(1).u16(4).u16(10).u8(2).raw("mx").u8(0);
    CHECK(walk(q.bytes) == ParseError::BadRdata);
}

TEST_CASE("header counts are checked against the length before any record is read") {
    Packet p = response(1, "example.com", kA, 0);
    p.bytes[6] = '\xFF';  // ANCOUNT 65535 in a 29-octet message
    p.bytes[7] = '\xFF';
    MessageReader r(as_bytes(p.bytes));
    CHECK(r.error() == ParseError::CountsTooLarge);
    Header h;
    h.questions = 65535;
    h.answers = h.authorities = h.additionals = 65535;
    CHECK(check_counts(h, 65535) == ParseError::CountsTooLarge);
    h.questions = 1;
    h.answers = 1;
    h.authorities = h.additionals = 0;
    CHECK(check_counts(h, 12 + 5 + 11) == ParseError::None);
    CHECK(check_counts(h, 12 + 5 + 10) == ParseError::CountsTooLarge);
    CHECK(MessageReader(as_bytes(std::string(11, '\0'))).error() == ParseError::ShortHeader);
}

TEST_CASE("a response cut at every length is refused") {
    Packet p = response(0x1234, "example.com", kMx, 2, kResponse, 0, 1);
    rr(p.pointer(12), kMx, mx_rdata(10, "mx1.example.com"));
    rr(p.pointer(12), kMx, mx_rdata(20, "mx2.example.com"));
    p.u8(0).u16(41).u16(1232).u32(0).u16(0);  // OPT
    REQUIRE(walk(p.bytes) == ParseError::None);
    for (std::size_t cut = 0; cut < p.size(); ++cut)
        CHECK_MESSAGE(walk(p.bytes.substr(0, cut)) != ParseError::None, cut);
}

TEST_CASE("questions: exactly one") {
    Packet none = header(1, kResponse, 0, 0);
    MessageReader r(as_bytes(none.bytes));
    Name n;
    std::uint16_t t, c;
    CHECK(!r.question(n, t, c));
    CHECK(r.error() == ParseError::QuestionCount);
}
