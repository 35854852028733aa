// The stub resolver's state machine (lib/dns/resolver.cpp): tries and
// timeouts, RFC 5452 matching, the TCP fallback, CNAME restarts, 0x20.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "alloc_counter.hpp"
#include "resolver_host.hpp"
#include "smtpcore/dns/mx.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;
using namespace smtpcore::dns::test;

namespace {

const Endpoint kServers[] = {ipv4(127, 0, 0, 1, 5300), ipv4(127, 0, 0, 2, 5300)};

ResolverConfig two_servers() {
    ResolverConfig c;
    c.servers = Span<const Endpoint>(kServers, 2);
    c.timeout = 1000;
    c.attempts = 2;
    return c;
}

std::string a_answer(const std::string& query, unsigned last_octet = 1) {
    Packet p = answer_to(query, 1);
    rr(p.pointer(12), kA, ip4(192, 0, 2, last_octet));
    return p.bytes;
}

// The server of the current try answers TC=1; the host then opens TCP
// (connected = false: the connection is left for the test to decide).
void truncate_to_tcp(Resolver& r, ScriptedHost& host, bool connected = true) {
    CHECK(host.datagram(kServers[r.server()], answer_to(host.sent.back(), 0, kResponse | kTruncated).bytes));
    host.pump();
    if (!connected) return;
    REQUIRE(!r.stream_connected());
    host.pump();
}

}  // namespace

TEST_CASE("A over UDP: random octets, one datagram, the answer, Done") {
    StaticResolver<> r(two_servers());
    REQUIRE(r.ok());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    CHECK(r.want_random());
    CHECK(r.next_event().type == DnsEventType::None);  // nothing goes out without an ID
    host.pump();
    CHECK(host.log == "send0 ");
    REQUIRE(host.sent.size() == 1);
    const std::string& q = host.sent[0];
    CHECK(q.substr(0, 2) == std::string{char(37), char(74)});  // the ID is the first two random octets
    CHECK(q.size() == 12 + 13 + 4 + 11);                        // with the EDNS0 OPT record
    CHECK(host.datagram(kServers[0], a_answer(q)));
    host.pump();
    CHECK(host.log == "send0 addr:192.0.2.1 done:answer:example.com");
    CHECK(r.outcome() == Outcome::Answer);
    CHECK(r.state() == ResolverState::Done);
}

TEST_CASE("a whole resolution, TCP fallback included, allocates nothing") {
    const ResolverConfig config = two_servers();
    char random[Resolver::kRandomPool];
    for (std::size_t i = 0; i < sizeof random; ++i) random[i] = static_cast<char>(i * 29 + 3);
    // The answers, written before counting: the IDs follow from the random octets.
    auto id_at = [&](int i) { return unsigned(static_cast<unsigned char>(random[i]) << 8 | static_cast<unsigned char>(random[i + 1])); };
    Packet truncated = header(id_at(0), kResponse | kTruncated, 1, 0);
    truncated.name("example.com").u16(kA).u16(kIn);
    Packet answer = header(id_at(2), kResponse, 1, 1);  // a new ID for the TCP query
    answer.name("example.com").u16(kA).u16(kIn);
    rr(answer.pointer(12), kA, ip4(192, 0, 2, 1));
    const std::string tcp_answer = framed(answer.bytes);

    StaticResolver<> r(config);
    smtpcore::test::AllocationScope scope;
    int addresses = 0, done = 0, closes = 0;
    r.handle_timeout(1);
    r.start("example.com", RrType::A);
    std::memcpy(r.random_buf().data(), random, sizeof random);
    r.random_ack(sizeof random);
    CHECK(r.next_event().type == DnsEventType::SendDatagram);
    r.send_ack(r.send_buf().size());
    std::memcpy(r.recv_buf().data(), truncated.bytes.data(), truncated.size());
    r.datagram_received(kServers[0], truncated.size());
    CHECK(r.next_event().type == DnsEventType::OpenStream);
    r.stream_connected();
    r.send_ack(r.send_buf().size());
    std::memcpy(r.recv_buf().data(), tcp_answer.data(), tcp_answer.size());
    r.recv_ack(tcp_answer.size());
    for (DnsEvent ev = r.next_event(); ev.type != DnsEventType::None; ev = r.next_event()) {
        addresses += ev.type == DnsEventType::Address;
        done += ev.type == DnsEventType::Done;
        closes += ev.type == DnsEventType::CloseStream;
    }
    const std::size_t allocations = scope.allocations();
    CHECK(allocations == 0);
    CHECK(addresses == 1);
    CHECK(done == 1);
    CHECK(closes == 1);
    CHECK(r.outcome() == Outcome::Answer);
}

TEST_CASE("RFC 5452: wrong source address or port, ID, question or type are ignored; the real answer wins") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    const std::string q = host.sent.at(0);
    Endpoint wrong_port = kServers[0];
    wrong_port.port = 5301;
    CHECK(host.datagram(wrong_port, a_answer(q, 66)));
    CHECK(host.datagram(kServers[1], a_answer(q, 66)));  // another server than asked
    std::string bad_id = a_answer(q, 66);
    bad_id[1] = static_cast<char>(bad_id[1] ^ 1);
    CHECK(host.datagram(kServers[0], bad_id));
    host.pump();
    Packet other_name = response(static_cast<unsigned char>(q[0]) << 8 | static_cast<unsigned char>(q[1]),
                                 "example.net", kA, 1);
    rr(other_name.pointer(12), kA, ip4(6, 6, 6, 6));
    CHECK(host.datagram(kServers[0], other_name.bytes));
    host.pump();
    std::string other_type = a_answer(q, 66);
    other_type[12 + 13 + 1] = static_cast<char>(kAaaa);
    CHECK(host.datagram(kServers[0], other_type));
    host.pump();
    CHECK(r.ignored() == 5);
    CHECK(r.state() == ResolverState::AwaitUdp);
    CHECK(host.datagram(kServers[0], a_answer(q, 1)));
    host.pump();
    CHECK(host.log == "send0 addr:192.0.2.1 done:answer:example.com");
}

TEST_CASE("no datagram is taken before the query was sent") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    host.give_random = false;
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    CHECK(r.recv_buf().empty());
    host.give_random = true;
    host.pump();
    CHECK(!r.recv_buf().empty());
}

TEST_CASE("random octets may come one at a time: nothing is sent before the ID is whole") {
    StaticResolver<> r(two_servers());
    REQUIRE(!r.start("example.com", RrType::A));
    REQUIRE(r.want_random());
    r.random_buf()[0] = '\x12';
    REQUIRE(!r.random_ack(1));
    CHECK(r.want_random());
    CHECK(r.send_buf().empty());
    CHECK(r.next_event().type == DnsEventType::None);
    r.random_buf()[0] = '\x34';
    REQUIRE(!r.random_ack(1));
    CHECK(!r.want_random());
    CHECK(r.next_event().type == DnsEventType::SendDatagram);
    REQUIRE(r.send_buf().size() > 2);
    CHECK(r.send_buf()[0] == '\x12');
    CHECK(r.send_buf()[1] == '\x34');
    CHECK(r.random_ack(Resolver::kRandomPool + 1).kind == ErrorKind::Misuse);
}

TEST_CASE("timeouts: next server, next round, then Timeout; the deadline says when") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    CHECK(r.deadline() == 2000);
    host.now = 1999;
    host.pump();
    CHECK(host.log == "send0 ");
    host.now = 2000;
    host.pump();  // try 2: server 1, its clock starts at this call
    CHECK(host.log == "send0 send1 ");
    CHECK(r.deadline() == 3000);
    host.now = 3000;
    host.pump();
    host.now = 4000;
    host.pump();
    CHECK(host.log == "send0 send1 send0 send1 ");
    CHECK(host.sent.size() == 4);
    CHECK(host.sent[0].substr(0, 2) != host.sent[1].substr(0, 2));  // a fresh ID per try
    host.now = 5000;
    host.pump();
    CHECK(host.log == "send0 send1 send0 send1 done:timeout:example.com");
    CHECK(r.last_error().kind == ErrorKind::Timeout);
    CHECK(r.deadline() == kNever);
}

TEST_CASE("SERVFAIL and REFUSED: the next server; a storm of them ends in ServerFailure") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0, 0x8182).bytes));
    host.pump();
    CHECK(host.log == "send0 send1 ");
    CHECK(host.datagram(kServers[1], a_answer(host.sent.back(), 9)));
    host.pump();
    CHECK(host.log == "send0 send1 addr:192.0.2.9 done:answer:example.com");

    StaticResolver<> storm(two_servers());
    ScriptedHost h2(storm);
    REQUIRE(!storm.start("example.com", RrType::A));
    h2.pump();
    for (int i = 0; i < 10 && storm.state() == ResolverState::AwaitUdp; ++i) {
        CHECK(h2.datagram(kServers[storm.server()], answer_to(h2.sent.back(), 0, i % 2 ? 0x8185 : 0x8182).bytes));
        h2.pump();
    }
    CHECK(h2.log == "send0 send1 send0 send1 done:servfail:example.com");
    CHECK(storm.outcome() == Outcome::ServerFailure);
}

TEST_CASE("FORMERR to an EDNS0 query: asked again without the OPT record, once") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    CHECK(host.sent.back()[11] == 1);  // ARCOUNT 1: the OPT record
    CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0, 0x8181).bytes));
    host.pump();
    CHECK(host.log == "send0 send0 ");  // the same server
    CHECK(host.sent.back()[11] == 0);
    CHECK(host.sent.back().size() == 12 + 13 + 4);
    CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0, 0x8181).bytes));
    host.pump();
    CHECK(host.log == "send0 send0 send1 ");  // FORMERR again: that try failed
    CHECK(host.sent.back()[11] == 0);         // and EDNS0 stays off for this resolution
    CHECK(host.datagram(kServers[1], a_answer(host.sent.back(), 3)));
    host.pump();
    CHECK(host.log == "send0 send0 send1 addr:192.0.2.3 done:answer:example.com");
}

TEST_CASE("NXDOMAIN and NODATA are told apart") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("nowhere.example", RrType::A));
    host.pump();
    CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0, 0x8183).bytes));
    host.pump();
    CHECK(r.outcome() == Outcome::NxDomain);
    REQUIRE(!r.start("example.com", RrType::AAAA));  // the same Resolver, again
    host.pump();
    CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0).bytes));
    host.pump();
    CHECK(r.outcome() == Outcome::NoData);
    CHECK(!r.last_error());
}

TEST_CASE("TC=1: the same server over TCP with 2-octet framing, answer in any pieces") {
    for (std::size_t piece : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(0)}) {
        StaticResolver<> r(two_servers());
        ScriptedHost host(r);
        REQUIRE(!r.start("big.example", RrType::AAAA));
        host.pump();
        CHECK(host.datagram(kServers[0], answer_to(host.sent.back(), 0, kResponse | kTruncated).bytes));
        host.pump();
        CHECK(host.log == "send0 open0 ");
        CHECK(r.send_buf().empty());  // nothing before the connection is up
        REQUIRE(!r.stream_connected());
        host.pump();
        const std::string tcp_query = host.sent.back();
        REQUIRE(tcp_query.size() > 2);
        CHECK(static_cast<std::size_t>(static_cast<unsigned char>(tcp_query[0]) << 8 |
                                       static_cast<unsigned char>(tcp_query[1])) == tcp_query.size() - 2);
        Packet p = answer_to(tcp_query.substr(2), 2);
        rr(p.pointer(12), kAaaa, ip6_loopback());
        rr(p.pointer(12), kAaaa, std::string(16, '\x20'));
        host.stream(framed(p.bytes), piece);
        CHECK(host.log == "send0 open0 close addr:0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1 "
                          "addr:32.32.32.32.32.32.32.32.32.32.32.32.32.32.32.32 done:answer:big.example");
    }
}

TEST_CASE("a 64 KiB TCP answer does not fit the buffer: that try fails, nothing overflows") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("big.example", RrType::A));
    host.pump();
    truncate_to_tcp(r, host);
    host.stream(std::string("\xFF\xFF", 2) + std::string(100, 'x'));
    CHECK(host.log == "send0 open0 close send1 ");
    CHECK(r.last_error().kind == ErrorKind::LimitExceeded);
}

TEST_CASE("TCP: a closed connection or a mismatched answer fails the try") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("big.example", RrType::A));
    host.pump();
    truncate_to_tcp(r, host, false);
    r.connection_closed();  // connect failed
    host.pump();
    CHECK(host.log == "send0 open0 send1 ");
    truncate_to_tcp(r, host);
    std::string wrong = a_answer(host.sent.back().substr(2));
    wrong[0] = static_cast<char>(wrong[0] ^ 0x40);
    host.stream(framed(wrong));
    CHECK(host.log == "send0 open0 send1 open1 close send0 ");
    CHECK(r.ignored() == 1);
}

TEST_CASE("cancel() over TCP closes the stream, then Done (Failed)") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("big.example", RrType::A));
    host.pump();
    truncate_to_tcp(r, host);
    r.cancel();
    host.pump();
    CHECK(host.log == "send0 open0 close done:failed:big.example");
    CHECK(r.last_error().kind == ErrorKind::Aborted);
    CHECK(r.deadline() == kNever);
}

TEST_CASE("CNAME without the target's records: asked again for the canonical name, within the bound") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("www.example.com", RrType::A));
    host.pump();
    Packet p = answer_to(host.sent.back(), 1);
    rr(p.pointer(12), kCname, name_rdata("real.example.net"));
    CHECK(host.datagram(kServers[0], p.bytes));
    host.pump();
    CHECK(host.log == "send0 send0 ");
    CHECK(question_of(host.sent.back()).substr(1, 4) == "real");
    CHECK(host.datagram(kServers[0], a_answer(host.sent.back(), 4)));
    host.pump();
    CHECK(host.log == "send0 send0 addr:192.0.2.4 done:answer:real.example.net");

    ResolverConfig tight = two_servers();
    tight.max_cnames = 3;
    StaticResolver<> bounded(tight);
    ScriptedHost h2(bounded);
    REQUIRE(!bounded.start("a0.example", RrType::A));
    h2.pump();
    for (int i = 1; i <= 10 && bounded.state() == ResolverState::AwaitUdp; ++i) {
        Packet hop = answer_to(h2.sent.back(), 1);
        rr(hop.pointer(12), kCname, name_rdata("a" + std::to_string(i) + ".example"));
        CHECK(h2.datagram(kServers[0], hop.bytes));
        h2.pump();
    }
    CHECK(h2.log == "send0 send0 send0 send0 done:failed:a3.example");
    CHECK(bounded.last_error().kind == ErrorKind::LimitExceeded);
}

TEST_CASE("0x20: the query's letter case comes from the random octets and must come back exactly") {
    ResolverConfig config = two_servers();
    config.randomize_case = true;
    StaticResolver<> r(config);
    ScriptedHost host(r);
    REQUIRE(!r.start("example.com", RrType::A));
    host.pump();
    const std::string q = host.sent.at(0);
    const std::string sent_name = q.substr(13, 7);
    CHECK(sent_name != "example");  // random octets 3.. flip letters
    CHECK(ScriptedHost::lower(sent_name) == "example");
    std::string lowered = a_answer(q, 66);
    for (std::size_t i = 12; i < 12 + 13; ++i) lowered[i] = ScriptedHost::lower(std::string(1, lowered[i]))[0];
    CHECK(host.datagram(kServers[0], lowered));
    host.pump();
    CHECK(r.ignored() == 1);
    CHECK(host.datagram(kServers[0], a_answer(q, 1)));
    host.pump();
    CHECK(host.log == "send0 addr:192.0.2.1 done:answer:example.com");
}

TEST_CASE("MX: exchanges as names; one that is not a host name is never handed out") {
    StaticResolver<> r(two_servers());
    ScriptedHost host(r);
    REQUIRE(!r.start("example.org", RrType::MX));
    host.pump();
    Packet p = answer_to(host.sent.back(), 3);
    rr(p.pointer(12), kMx, mx_rdata(20, "mx2.example.org"));
    rr(p.pointer(12), kMx, mx_rdata(10, "mx1.example.org"));
    Packet evil;
    evil.u16(5).u8(8).raw("a\r\nRCPT ").u8(0);
    rr(p.pointer(12), kMx, evil.bytes);
    CHECK(host.datagram(kServers[0], p.bytes));
    host.pump();
    CHECK(host.log == "send0 mx:20:mx2.example.org mx:10:mx1.example.org done:answer:example.org");
    CHECK(r.ignored() == 1);
}

TEST_CASE("misuse is refused and changes nothing") {
    ResolverConfig none;
    StaticResolver<> r0(none);
    CHECK(!r0.ok());
    CHECK(r0.start("example.com", RrType::A).kind == ErrorKind::Misuse);
    char tiny[100];
    Resolver small(two_servers(), MutableBytes(tiny, sizeof tiny));
    CHECK(!small.ok());

    StaticResolver<> r(two_servers());
    CHECK(r.start("bad name", RrType::A).kind == ErrorKind::InvalidInput);
    CHECK(r.state() == ResolverState::Idle);
    CHECK(r.start("example.com", RrType::CNAME).kind == ErrorKind::Misuse);
    REQUIRE(!r.start("example.com", RrType::A));
    CHECK(r.start("example.com", RrType::A).kind == ErrorKind::Misuse);
    CHECK(r.recv_ack(1).kind == ErrorKind::Misuse);
    r.cancel();
    CHECK(r.next_event().type == DnsEventType::Done);
    CHECK(r.outcome() == Outcome::Failed);
}

TEST_CASE("the EDNS0 size advertised never exceeds the receive buffer") {
    auto advertised = [](std::size_t storage_size) {
        std::string storage(storage_size, '\0');
        Resolver r(two_servers(), MutableBytes(&storage[0], storage.size()));
        ScriptedHost host(r);
        REQUIRE(!r.start("example.com", RrType::A));
        host.pump();
        const std::string& q = host.sent.at(0);
        const std::size_t opt = 12 + 13 + 4;  // after the question: root, TYPE=41, CLASS=size
        REQUIRE(q.size() == opt + 11);
        CHECK(q[opt + 1] == 0);
        CHECK(q[opt + 2] == 41);
        return static_cast<unsigned>(static_cast<unsigned char>(q[opt + 3]) << 8 | static_cast<unsigned char>(q[opt + 4]));
    };
    CHECK(advertised(Resolver::kRecommendedStorage) == 1232);
    CHECK(advertised(Resolver::min_storage()) == 514);
    CHECK(advertised(Resolver::kRecommendedStorage + 5000) == 1232);
}

TEST_CASE("state size: at most 512 octets plus the caller's buffers") {
    CHECK(sizeof(Resolver) <= 512);
}
