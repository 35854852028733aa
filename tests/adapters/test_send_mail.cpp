// send_mail() against a scripted server on loopback: what `detail` says, that
// a delivered message stays delivered whatever happens after QUIT, and the
// Date and Message-ID it fills in.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "loopback_server.hpp"
#include "smtpcore/adapters/blocking.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;
using smtpcore::test::LoopbackServer;

namespace {

SendOptions plaintext() {
    SendOptions o;
    o.tls = TlsMode::None;
    o.connect_timeout = 5000;
    return o;
}

SendResult send_text(LoopbackServer& server, const SendOptions& options, const mime::Message* message = nullptr) {
    server.start();
    static const mime::Mailbox to[] = {{"", "b@example.net"}};
    static mime::Part text;
    text.data = as_bytes(std::string_view("hello\n"));
    mime::Message m;
    m.from = {"", "a@example.org"};
    m.to = Span<const mime::Mailbox>(to);
    m.subject = "test";
    m.text = &text;
    SendResult r = send_mail(server.address(), message != nullptr ? *message : m, options);
    server.join();
    return r;
}

}  // namespace

TEST_CASE("detail carries the server's code and text after a refused AUTH (item 10)") {
    LoopbackServer server;
    server.replies["EHLO"] = "250-loopback.test\r\n250 AUTH PLAIN\r\n";
    server.replies["AUTH"] = "535 5.7.8 bad credentials\r\n";
    SendOptions o = plaintext();
    o.username = "alice";
    o.password = "wrong";
    o.allow_plaintext_auth = true;
    const SendResult r = send_text(server, o);
    CHECK_FALSE(r.delivered());
    CHECK(r.error.kind == ErrorKind::AuthFailed);
    CHECK(r.detail.find("535") != std::string::npos);
    CHECK(r.detail.find("bad credentials") != std::string::npos);
}

TEST_CASE("detail is the final reply of a delivered message") {
    LoopbackServer server;
    const SendResult r = send_text(server, plaintext());
    CHECK(r.delivered());
    CHECK(r.detail == "250 queued as Q1");
    CHECK(r.close_problem.empty());
}

TEST_CASE("a reset or a malformed reply on QUIT after the 250: delivered, the 250 in detail (item 1)") {
    for (const char* quit_reply : {"RESET", "2x1 what\r\n"}) {
        LoopbackServer server;
        server.replies["QUIT"] = quit_reply;
        const SendResult r = send_text(server, plaintext());
        CHECK(r.delivered());
        CHECK(r.transport == TransportFailure::None);
        CHECK_FALSE(r.error);  // the engine's error about the QUIT reply concerns the close only
        CHECK(r.detail == "250 queued as Q1");
        CHECK_FALSE(r.close_problem.empty());
    }
}

TEST_CASE("Date and Message-ID are filled in when the caller gives none (RFC 5322 §3.6)") {
    LoopbackServer server;
    const SendResult r = send_text(server, plaintext());
    REQUIRE(r.delivered());
    const std::regex date("(^|\r\n)Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} "
                          "[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\r\n");
    const std::regex id("(^|\r\n)Message-ID: <[0-9a-f]{32}@example\\.org>\r\n");
    CHECK(std::regex_search(server.body, date));
    CHECK(std::regex_search(server.body, id));

    LoopbackServer again;  // a second message gets another Message-ID
    send_text(again, plaintext());
    std::smatch first, second;
    REQUIRE(std::regex_search(server.body, first, id));
    REQUIRE(std::regex_search(again.body, second, id));
    CHECK(first.str() != second.str());
}

TEST_CASE("the caller's Date and Message-ID are kept") {
    LoopbackServer server;
    static const mime::Mailbox to[] = {{"", "b@example.net"}};
    mime::Part text;
    text.data = as_bytes(std::string_view("hello\n"));
    const mime::DateTime when = mime::date_from_unix(1700000000, 60);
    mime::Message m;
    m.from = {"", "a@example.org"};
    m.to = Span<const mime::Mailbox>(to);
    m.date = &when;
    m.message_id = "fixed@example.org";
    m.text = &text;
    REQUIRE(send_text(server, plaintext(), &m).delivered());
    CHECK(server.body.find("Date: Tue, 14 Nov 2023 23:13:20 +0100\r\n") != std::string::npos);
    CHECK(server.body.find("Message-ID: <fixed@example.org>\r\n") != std::string::npos);
    CHECK(server.body.find("Date:") == server.body.rfind("Date:"));
}
