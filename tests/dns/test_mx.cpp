// MX ordering (lib/dns/mx.cpp): RFC 5321 §5.1 and the null MX of RFC 7505.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "smtpcore/dns/mx.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;

namespace {

std::string order(const MxList& l) {
    std::string s;
    for (std::size_t i = 0; i < l.size(); ++i) s += std::to_string(l[i].preference) + ":" + std::string(l[i].host()) + " ";
    return s;
}

}  // namespace

TEST_CASE("hosts sorted by preference") {
    MxHost storage[4];
    MxList l{Span<MxHost>(storage)};
    l.add(30, "c.example");
    l.add(10, "a.example");
    l.add(20, "b.example");
    CHECK(l.finish(Outcome::Answer, "example", Bytes()) == MxVerdict::Hosts);
    CHECK(order(l) == "10:a.example 20:b.example 30:c.example ");
}

TEST_CASE("equal preferences come out in an order the random octets choose") {
    std::set<std::string> orders;
    for (unsigned seed = 0; seed < 16; ++seed) {
        MxHost storage[3];
        MxList l{Span<MxHost>(storage)};
        l.add(10, "x.example");
        l.add(10, "y.example");
        l.add(5, "first.example");
        const char random[6] = {char(seed * 37), char(seed * 11), char(seed * 101), char(seed * 7),
                                char(seed * 13), char(seed * 3)};
        REQUIRE(l.finish(Outcome::Answer, "example", Bytes(random, 6)) == MxVerdict::Hosts);
        CHECK(std::string(l[0].host()) == "first.example");  // preference first, always
        orders.insert(order(l));
    }
    CHECK(orders.size() == 2);  // both orders of x and y occur
}

TEST_CASE("no MX: the implicit MX is the domain itself; NXDOMAIN and failures apart") {
    MxHost storage[2];
    MxList implicit{Span<MxHost>(storage)};
    CHECK(implicit.finish(Outcome::NoData, "example.org", Bytes()) == MxVerdict::Implicit);
    CHECK(order(implicit) == "0:example.org ");
    MxList missing{Span<MxHost>(storage)};
    CHECK(missing.finish(Outcome::NxDomain, "example.org", Bytes()) == MxVerdict::NoSuchDomain);
    MxList failed{Span<MxHost>(storage)};
    CHECK(failed.finish(Outcome::Timeout, "example.org", Bytes()) == MxVerdict::TemporaryFailure);
    MxList refused{Span<MxHost>(storage)};
    CHECK(refused.finish(Outcome::ServerFailure, "example.org", Bytes()) == MxVerdict::TemporaryFailure);
}

TEST_CASE("null MX: the domain accepts no mail") {
    MxHost storage[2];
    MxList l{Span<MxHost>(storage)};
    l.add(0, ".");
    CHECK(l.finish(Outcome::Answer, "example.org", Bytes()) == MxVerdict::NoMail);
    CHECK(l.size() == 0);
    MxList mixed{Span<MxHost>(storage)};  // RFC 7505 §3 forbids it; the real host is used
    mixed.add(0, ".");
    mixed.add(10, "mx.example.org");
    CHECK(mixed.finish(Outcome::Answer, "example.org", Bytes()) == MxVerdict::Hosts);
    CHECK(order(mixed) == "10:mx.example.org ");
}

TEST_CASE("more MX records than room: the most preferred are kept") {
    MxHost storage[2];
    MxList l{Span<MxHost>(storage)};
    l.add(50, "e.example");
    l.add(40, "d.example");
    l.add(10, "a.example");
    l.add(60, "f.example");
    CHECK(l.finish(Outcome::Answer, "example", Bytes()) == MxVerdict::Hosts);
    CHECK(order(l) == "10:a.example 40:d.example ");
    CHECK(l.dropped() == 2);
}
