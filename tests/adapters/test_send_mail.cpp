// send_mail() against a scripted server on loopback: what `detail` says, that
// a delivered message stays delivered whatever happens after QUIT, and the
// Date and Message-ID it fills in.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>
#include <string>

#include "loopback_server.hpp"
#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/adapters/host_clock.hpp"

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

/// The value of header field `name` in `message` ("" if absent).
std::string field(const std::string& message, const std::string& name) {
    const std::string start = name + ": ";
    const std::size_t at = message.compare(0, start.size(), start) == 0 ? 0 : message.find("\r\n" + start);
    if (at == std::string::npos) return "";
    const std::size_t value = at == 0 ? start.size() : at + 2 + start.size();
    return message.substr(value, message.find("\r\n", value) - value);
}

/// RFC 5322 §3.3 as the MIME writer writes it: "Tue, 1 Dec 2026 17:00:00 +0100".
bool is_date_field(const std::string& v) {
    char day[4] = "", month[4] = "", sign = 0;
    int mday = 0, year = 0, h = 0, m = 0, sec = 0, zone = 0, used = 0;
    const int n = std::sscanf(v.c_str(), "%3[A-Za-z], %d %3[A-Za-z] %d %d:%d:%d %c%4d%n", day, &mday, month, &year, &h,
                              &m, &sec, &sign, &zone, &used);
    return n == 9 && used == int(v.size()) && year >= 2024 && (sign == '+' || sign == '-');
}

/// "<" 32 lower-case hex digits (128 random bits) "@example.org>".
bool is_random_message_id(const std::string& v) {
    if (v.size() != 1 + 32 + 13 || v.front() != '<' || v.compare(33, 13, "@example.org>") != 0) return false;
    return v.find_first_not_of("0123456789abcdef", 1) == 33;
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

TEST_CASE("DSN asked of a server without DSN: delivered, and the report says it was dropped (RFC 3461)") {
    LoopbackServer server;
    DsnRequest dsn;
    dsn.notify = dsn_notify::Success;
    SendOptions o = plaintext();
    o.dsn = &dsn;
    const SendResult r = send_text(server, o);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.delivered());
    CHECK(r.messages[0].dsn_dropped);
    CHECK_FALSE(send_text(server, plaintext()).messages.at(0).dsn_dropped);
}

TEST_CASE("an envelope submit() refuses is reported in the result's error, not lost behind the QUIT") {
    LoopbackServer server;
    server.start();
    const std::vector<std::string> rcpt = {"b@example.net\r\nRSET"};
    BufferSource body(as_bytes(std::string_view("Subject: x\r\n\r\nhi\r\n")));
    const SendResult r = send_mail(server.address(), "a@example.org", rcpt, body.source(), plaintext());
    server.join();
    CHECK_FALSE(r.delivered());
    CHECK(r.error.kind == ErrorKind::InvalidInput);
    CHECK(server.body.empty());
}

TEST_CASE("REQUIRETLS without TLS: refused before MAIL, nothing of the message sent (RFC 8689)") {
    LoopbackServer server;
    server.replies["EHLO"] = "250-loopback.test\r\n250 REQUIRETLS\r\n";
    SendOptions o = plaintext();
    o.require_tls = true;
    const SendResult r = send_text(server, o);
    CHECK_FALSE(r.delivered());
    CHECK(r.error.kind == ErrorKind::TlsRequired);
    CHECK(server.body.empty());
}

TEST_CASE("Date and Message-ID are filled in when the caller gives none (RFC 5322 §3.6)") {
    LoopbackServer server;
    const SendResult r = send_text(server, plaintext());
    REQUIRE(r.delivered());
    CHECK(is_date_field(field(server.body, "Date")));
    const std::string id = field(server.body, "Message-ID");
    CHECK(is_random_message_id(id));

    LoopbackServer again;  // a second message gets another Message-ID
    send_text(again, plaintext());
    const std::string second = field(again.body, "Message-ID");
    CHECK(is_random_message_id(second));
    CHECK(second != id);
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

TEST_CASE("random_octets: every octet of every draw varies, and nothing past the end is written") {
    // 37 octets: nine whole words and one octet of a tenth.
    constexpr std::size_t kSize = 37;
    constexpr int kDraws = 256;
    std::set<int> seen[kSize];
    std::set<std::string> draws;
    for (int d = 0; d < kDraws; ++d) {
        unsigned char buf[kSize + 1] = {};
        buf[kSize] = 0xA5;
        smtpcore::adapters::random_octets(buf, kSize);
        CHECK(buf[kSize] == 0xA5);
        for (std::size_t i = 0; i < kSize; ++i) seen[i].insert(buf[i]);
        draws.insert(std::string(reinterpret_cast<const char*>(buf), kSize));
    }
    CHECK(draws.size() == static_cast<std::size_t>(kDraws));
    // 256 uniform draws of an octet show about 162 distinct values; an octet
    // that is constant, or taken from a word's unused bits, shows 1.
    for (std::size_t i = 0; i < kSize; ++i) CHECK(seen[i].size() > 100);
}
