// resolv.conf(5) parsing (lib/adapters/resolv_conf.cpp), on strings only.
#include <doctest/doctest.h>

#include "smtpcore/adapters/resolv_conf.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;

TEST_CASE("nameserver, search, options") {
    const ResolvConf c = parse_resolv_conf(
        "# a comment\n"
        "nameserver 192.0.2.53\n"
        "nameserver 2001:db8::53 ; trailing comment\n"
        "nameserver fe80::1%eth0\n"
        "nameserver 192.0.2.54\n"  // a fourth: over MAXNS
        "search example.com corp.example\r\n"
        "options timeout:3 attempts:4 ndots:2 edns0 rotate\n");
    REQUIRE(c.nameservers.size() == 3);
    CHECK(to_string(c.nameservers[0]) == "192.0.2.53:53");
    CHECK(to_string(c.nameservers[1]) == "[2001:db8::53]:53");
    CHECK(to_string(c.nameservers[2]) == "[fe80::1]:53");
    CHECK(c.search == std::vector<std::string>{"example.com", "corp.example"});
    CHECK(c.timeout_s == 3);
    CHECK(c.attempts == 4);
    CHECK(c.ndots == 2);
    CHECK(c.edns0);
    const std::vector<dns::Endpoint> servers = c.nameservers;
    const dns::ResolverConfig rc = c.resolver_config(servers);
    CHECK(rc.timeout == 3000);
    CHECK(rc.attempts == 4);
    CHECK(rc.servers.size() == 3);
}

TEST_CASE("defaults, bounds, malformed lines, the last search or domain wins") {
    const ResolvConf d = parse_resolv_conf("");
    CHECK(d.nameservers.empty());
    CHECK(d.timeout_s == 5);
    CHECK(d.attempts == 2);
    CHECK(d.ndots == 1);
    CHECK(!d.edns0);
    const ResolvConf c = parse_resolv_conf(
        "nameserver not-an-address\n"
        "nameserver\n"
        "options timeout:99 attempts:0 ndots:x ndots:40\n"
        "search a.example\n"
        "domain b.example c.example\n");
    CHECK(c.nameservers.empty());
    CHECK(c.timeout_s == 30);
    CHECK(c.attempts == 1);
    CHECK(c.ndots == 15);
    CHECK(c.search == std::vector<std::string>{"b.example"});
}

TEST_CASE("candidates follow ndots and the search list") {
    ResolvConf c = parse_resolv_conf("search example.com\noptions ndots:1\n");
    CHECK(c.candidates("mail") == std::vector<std::string>{"mail.example.com", "mail"});
    CHECK(c.candidates("mail.example.org") == std::vector<std::string>{"mail.example.org", "mail.example.org.example.com"});
    CHECK(c.candidates("mail.example.org.") == std::vector<std::string>{"mail.example.org."});
}

TEST_CASE("endpoints: ADDR, ADDR:PORT, [V6]:PORT, bare V6") {
    dns::Endpoint e;
    REQUIRE(parse_endpoint("127.0.0.1:5353", e));
    CHECK(to_string(e) == "127.0.0.1:5353");
    REQUIRE(parse_endpoint("[::1]:54", e));
    CHECK(to_string(e) == "[::1]:54");
    REQUIRE(parse_endpoint("::1", e));
    CHECK(e.port == 53);
    CHECK(!parse_endpoint("localhost", e));
    CHECK(!parse_endpoint("127.0.0.1:0", e));
    CHECK(!parse_endpoint("127.0.0.1:99999", e));
    CHECK(!parse_endpoint("[::1", e));
}
