// Envelope address checks (RFC 5321 §4.1.2, §4.5.3.1).
#include <doctest/doctest.h>

#include <string>

#include "address.hpp"

using smtpcore::detail::check_client_name;
using smtpcore::detail::check_mailbox;

TEST_CASE("valid mailboxes") {
    for (const char* ok : {"a@example.org", "first.last+tag@sub.example.co.uk", "\"quoted name\"@example.org",
                           "\"a\\\"b\"@example.org", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
                           "o'hara@example.org", "x@localhost"}) {
        CAPTURE(ok);
        CHECK(check_mailbox(ok, false, false) == nullptr);
    }
    CHECK(check_mailbox("Postmaster", false, true) == nullptr);
    CHECK(check_mailbox("postmaster", false, false) != nullptr);
}

TEST_CASE("nothing that could end or open a command line gets through") {
    CHECK(std::string(check_mailbox("a@b.example\r\nDATA", false, false)) == "address contains CR or LF");
    CHECK(std::string(check_mailbox("a@b.example\n", false, false)) == "address contains CR or LF");
    CHECK(std::string(check_mailbox(std::string_view("a\0@b.example", 12), false, false)) == "address contains NUL");
    CHECK(std::string(check_mailbox("a@b\x7f.example", false, false)) == "address contains a control character");
    CHECK(check_mailbox("a>@b.example", false, false) != nullptr);
    CHECK(check_mailbox("<a@b.example>", false, false) != nullptr);
    CHECK(check_mailbox("a b@example.org", false, false) != nullptr);
    CHECK(check_mailbox("a@b.example SIZE=1", false, false) != nullptr);
}

TEST_CASE("grammar and lengths") {
    CHECK(check_mailbox("", false, false) != nullptr);
    CHECK(check_mailbox("noat", false, false) != nullptr);
    CHECK(check_mailbox("@example.org", false, false) != nullptr);
    CHECK(check_mailbox("a@", false, false) != nullptr);
    CHECK(check_mailbox(".a@example.org", false, false) != nullptr);
    CHECK(check_mailbox("a..b@example.org", false, false) != nullptr);
    CHECK(check_mailbox("a@-example.org", false, false) != nullptr);
    CHECK(check_mailbox("a@example-.org", false, false) != nullptr);
    CHECK(check_mailbox("a@exa_mple.org", false, false) != nullptr);
    CHECK(check_mailbox("\"unterminated@example.org", false, false) != nullptr);
    CHECK(check_mailbox(std::string(64, 'a') + "@example.org", false, false) == nullptr);
    CHECK(check_mailbox(std::string(65, 'a') + "@example.org", false, false) != nullptr);
    const std::string label(63, 'd');
    const std::string domain = label + "." + label + "." + label + "." + std::string(50, 'd');
    CHECK(check_mailbox("a@" + domain, false, false) == nullptr);
    CHECK(check_mailbox("a@" + std::string(64, 'd') + ".example", false, false) != nullptr);
    CHECK(std::string(check_mailbox(std::string(64, 'a') + "@" + domain + "xxxxxxxxxxxxxxxxx", false, false)) ==
          "address longer than 254 octets (RFC 5321 §4.5.3.1.3)");
}

TEST_CASE("UTF-8 only with SMTPUTF8") {
    CHECK(check_mailbox("jörg@bücher.example", false, false) != nullptr);
    CHECK(check_mailbox("jörg@bücher.example", true, false) == nullptr);
}

TEST_CASE("the EHLO name") {
    CHECK(check_client_name("client.example") == nullptr);
    CHECK(check_client_name("[192.0.2.1]") == nullptr);
    CHECK(check_client_name("") != nullptr);
    CHECK(check_client_name("bad name") != nullptr);
    CHECK(check_client_name("x\r\nMAIL") != nullptr);
}
