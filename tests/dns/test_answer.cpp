// Which response answers the query, and what it says (lib/dns/answer.cpp):
// RFC 5452 §9.1 matching, CNAME chains, NXDOMAIN versus NODATA, bailiwick.
#include <doctest/doctest.h>

#include <string>

#include "answer.hpp"
#include "packet.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;
using namespace smtpcore::dns::test;

namespace {

struct Judged {
    Examined x;
    std::string name;
};

Judged judge(const Packet& p, const char* qname = "example.com", RrType type = RrType::A,
             std::uint16_t id = 0x1234, bool exact = false, std::uint8_t budget = 8) {
    Name asked;
    REQUIRE(asked.from_text(qname));
    Expectation e;
    e.id = id;
    e.name = &asked;
    e.type = type;
    e.exact_case = exact;
    Name out;
    Judged j;
    j.x = examine(as_bytes(p.bytes), e, budget, out);
    char buf[256];
    j.name = std::string(buf, out.to_text(buf, sizeof buf));
    return j;
}

Packet one_a(unsigned id = 0x1234, const char* qname = "example.com", unsigned qtype = kA,
             unsigned flags = kResponse) {
    Packet p = response(id, qname, qtype, 1, flags);
    rr(p.pointer(12), kA, ip4(192, 0, 2, 1));
    return p;
}

}  // namespace

TEST_CASE("an answer whose ID, question, type and class match is taken") {
    const Judged j = judge(one_a());
    CHECK(j.x.verdict == Verdict::Answer);
    CHECK(j.x.matched == 1);
    CHECK(j.name == "example.com");
}

TEST_CASE("mismatched ID, question name, type or class, or a query, is ignored") {
    CHECK(judge(one_a(0x1235)).x.verdict == Verdict::Ignore);
    CHECK(judge(one_a(0x1234, "example.net")).x.verdict == Verdict::Ignore);
    CHECK(judge(one_a(0x1234, "example.com", kAaaa)).x.verdict == Verdict::Ignore);
    CHECK(judge(one_a(0x1234, "example.com", kA, 0x0100)).x.verdict == Verdict::Ignore);  // QR=0
    CHECK(judge(one_a(0x1234, "example.com", kA, 0x8980)).x.verdict == Verdict::Ignore);  // opcode 1
    Packet chaos = header(0x1234, kResponse, 1, 0);
    chaos.name("example.com").u16(kA).u16(3);  // class CH
    CHECK(judge(chaos).x.verdict == Verdict::Ignore);
    Packet short_header;
    short_header.bytes = one_a().bytes.substr(0, 11);
    CHECK(judge(short_header).x.verdict == Verdict::Ignore);
}

TEST_CASE("0x20: the question must come back octet for octet") {
    CHECK(judge(one_a(0x1234, "ExAmple.cOm"), "ExAmple.cOm", RrType::A, 0x1234, true).x.verdict == Verdict::Answer);
    CHECK(judge(one_a(0x1234, "example.com"), "ExAmple.cOm", RrType::A, 0x1234, true).x.verdict == Verdict::Ignore);
    // Without 0x20 the case does not matter (RFC 1035 §2.3.3).
    CHECK(judge(one_a(0x1234, "example.com"), "ExAmple.cOm").x.verdict == Verdict::Answer);
}

TEST_CASE("records of other owners, other types, or outside the answer section are not taken") {
    Packet p = response(0x1234, "example.com", kA, 2, kResponse, 1, 1);
    rr(p.name("evil.example"), kA, ip4(6, 6, 6, 6));  // answer for another name
    rr(p.pointer(12), kMx, mx_rdata(1, "mx.example.com"));  // wrong type
    rr(p.name("example.com"), kA, ip4(6, 6, 6, 7));   // authority section
    rr(p.name("example.com"), kA, ip4(6, 6, 6, 8));   // additional section
    const Judged j = judge(p);
    CHECK(j.x.verdict == Verdict::NoData);
    CHECK(j.x.matched == 0);
}

TEST_CASE("CNAME chains: followed in the answer, bounded, restarted when they end without data") {
    Packet chain = response(0x1234, "www.example.com", kA, 3);
    rr(chain.pointer(12), kCname, name_rdata("web.example.net"));
    rr(chain.name("web.example.net"), kCname, name_rdata("host.example.org"));
    rr(chain.name("host.example.org"), kA, ip4(192, 0, 2, 7));
    Judged j = judge(chain, "www.example.com");
    CHECK(j.x.verdict == Verdict::Answer);
    CHECK(j.x.cnames == 2);
    CHECK(j.name == "host.example.org");
    CHECK(judge(chain, "www.example.com", RrType::A, 0x1234, false, 1).x.verdict == Verdict::CnameLimit);

    Packet loop = response(0x1234, "a.example", kA, 2);
    rr(loop.pointer(12), kCname, name_rdata("b.example"));
    rr(loop.name("b.example"), kCname, name_rdata("a.example"));
    CHECK(judge(loop, "a.example").x.verdict == Verdict::CnameLimit);

    Packet dangling = response(0x1234, "www.example.com", kA, 1);
    rr(dangling.pointer(12), kCname, name_rdata("elsewhere.example"));
    j = judge(dangling, "www.example.com");
    CHECK(j.x.verdict == Verdict::Restart);
    CHECK(j.name == "elsewhere.example");
}

TEST_CASE("RCODEs: NXDOMAIN and NODATA apart, SERVFAIL and REFUSED a server failure, TC truncated") {
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8183)).x.verdict == Verdict::NxDomain);
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8180)).x.verdict == Verdict::NoData);
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8182)).x.verdict == Verdict::ServerFailure);
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8185)).x.verdict == Verdict::ServerFailure);
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8184)).x.verdict == Verdict::ServerFailure);
    CHECK(judge(response(0x1234, "example.com", kA, 0, 0x8181)).x.verdict == Verdict::FormatError);
    CHECK(judge(response(0x1234, "example.com", kA, 0, kResponse | kTruncated)).x.verdict == Verdict::Truncated);
}

TEST_CASE("a matching answer that does not parse is malformed, at every cut") {
    Packet p = one_a();
    for (std::size_t cut = 12; cut < p.size(); ++cut) {
        Packet prefix;
        prefix.bytes = p.bytes.substr(0, cut);
        const Verdict v = judge(prefix).x.verdict;
        CHECK_MESSAGE((v == Verdict::Malformed || v == Verdict::Ignore), cut);
    }
    Packet counts = one_a();
    counts.bytes[7] = '\xFF';  // ANCOUNT 255
    CHECK(judge(counts).x.verdict == Verdict::Malformed);
    CHECK(judge(counts).x.error == ParseError::CountsTooLarge);
    Packet loop = response(0x1234, "example.com", kA, 1);
    rr(loop.pointer(loop.size()), kA, ip4(1, 1, 1, 1));  // the owner points at itself
    CHECK(judge(loop).x.verdict == Verdict::Malformed);
}
