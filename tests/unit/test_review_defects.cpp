// Regression tests for the defects found reviewing the engine end to end
// (issue 8 items 1-9, each written before its fix and seen failing), and for
// the edge cases the review asked to decide and document.
//
// Dialogues use check_transcript (every split); the cases that depend on the
// order of host calls (a reply before the write completion, EOF behind
// buffered input, a stale clock) drive a Client directly.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::kPipeliningReady;
using smtpcore::test::plain_config;

namespace {

// A host that drives a Client by hand, one call at a time.
struct Host {
    explicit Host(const Config& config) : client(config, MutableBytes(storage, sizeof storage)) {
        client.handle_timeout(0);
    }

    std::vector<Event> events() {
        std::vector<Event> out;
        for (Event e = client.next_event(); e.type != EventType::None; e = client.next_event()) out.push_back(e);
        return out;
    }
    // Writes everything the engine offers and says so.
    std::string write_all() {
        std::string wire;
        for (Bytes out = client.send_buf(); !out.empty(); out = client.send_buf()) {
            wire.append(out.data(), out.size());
            client.send_ack(out.size());
        }
        return wire;
    }
    void server(std::string_view bytes) {
        while (!bytes.empty()) {
            const std::size_t n = client.feed(bytes);
            bytes.remove_prefix(n);
            if (n == 0) break;
        }
    }
    // Greeting, EHLO with PIPELINING, Ready: every event pulled.
    void to_ready(std::string_view ehlo = "250-mx\r\n250 PIPELINING\r\n") {
        server("220 mx\r\n");
        events();
        write_all();
        server(ehlo);
        events();
    }
    // submit(), the envelope replies, 354, a body and body_end(): the
    // end-of-data marker now waits in send_buf().
    void to_body_end() {
        REQUIRE(!client.submit(envelope));
        write_all();
        server("250 ok\r\n250 ok\r\n354 go\r\n");
        events();
        const MutableBytes window = client.body_buf();
        REQUIRE(window.size() >= 6);
        std::memcpy(window.data(), "hi\r\n", 4);
        REQUIRE(!client.body_ack(4));
        REQUIRE(!client.body_end());
    }

    alignas(8) char storage[2048];
    Client client;
    const std::string_view to[1] = {"b@example.net"};
    Envelope envelope{"a@example.org", Span<const std::string_view>(to, 1)};
};

bool has(const std::vector<Event>& events, EventType type) {
    for (const Event& e : events)
        if (e.type == type) return true;
    return false;
}

const Event* find(const std::vector<Event>& events, EventType type) {
    for (const Event& e : events)
        if (e.type == type) return &e;
    return nullptr;
}

}  // namespace

// ---- defect 1: a reply read before the write completion of end of data ----

TEST_CASE("defect 1: the 250 to end of data read before send_ack() is an acceptance") {
    Host h(plain_config());
    h.to_ready();
    h.to_body_end();
    const Bytes out = h.client.send_buf();  // an async host hands the marker to the kernel...
    REQUIRE(std::string(out.data(), out.size()).find("\r\n.\r\n") != std::string::npos);
    h.server("250 2.0.0 queued\r\n");       // ...and its read completes first
    const auto events = h.events();
    CHECK(has(events, EventType::MessageAccepted));
    CHECK_FALSE(has(events, EventType::MessageRejected));
    CHECK(h.client.ok());
    CHECK(!h.client.send_ack(out.size()));  // the write completion, late
    CHECK(h.client.ok());
}

TEST_CASE("defect 1: EOF after the marker was handed out, before send_ack(): unknown, never rejected") {
    Host h(plain_config());
    h.to_ready();
    h.to_body_end();
    const Bytes out = h.client.send_buf();
    REQUIRE(!out.empty());
    h.client.connection_closed();
    const auto events = h.events();
    CHECK(has(events, EventType::MessageUnknown));
    CHECK_FALSE(has(events, EventType::MessageRejected));
}

TEST_CASE("defect 1: a marker never handed out is still 'not sent' on EOF") {
    Host h(plain_config());
    h.to_ready();
    h.to_body_end();
    h.client.connection_closed();  // send_buf() was never called: nothing left
    const auto events = h.events();
    const Event* rejected = find(events, EventType::MessageRejected);
    REQUIRE(rejected != nullptr);
    CHECK(rejected->temporary);
    CHECK_FALSE(has(events, EventType::MessageUnknown));
}

// ---- defect 2: EOF queues behind input not yet parsed ----------------------

TEST_CASE("defect 2: a reply fed before connection_closed() is parsed first") {
    Host h(plain_config());
    h.to_ready();
    h.to_body_end();
    h.write_all();
    h.server("554 5.7.1 refused\r\n");
    h.client.connection_closed();  // before next_event(): the 554 is still buffered
    const auto events = h.events();
    const Event* rejected = find(events, EventType::MessageRejected);
    REQUIRE(rejected != nullptr);
    CHECK(rejected->code == 554);
    CHECK(rejected->text == "refused");
    CHECK_FALSE(rejected->temporary);
    CHECK_FALSE(has(events, EventType::MessageUnknown));
    CHECK(h.client.state() == SessionState::Closed);
}

// ---- defect 3: deadlines from a stale clock --------------------------------

TEST_CASE("defect 3: submit() long after the last handle_timeout() starts a fresh wait") {
    Host h(plain_config());
    h.to_ready();
    // An hour idle in Ready: deadline() is kNever, so the host never called
    // handle_timeout(); now the application submits.
    REQUIRE(h.client.deadline() == kNever);
    REQUIRE(!h.client.submit(h.envelope));
    h.write_all();
    h.client.handle_timeout(3600000);
    CHECK(h.client.ok());
    CHECK(h.client.deadline() == 3600000 + plain_config().timeouts.mail);
    h.client.handle_timeout(3600000 + plain_config().timeouts.mail);  // and it still expires
    CHECK(h.client.last_error().kind == ErrorKind::Timeout);
}

TEST_CASE("defect 3: quit() long after the last handle_timeout() starts a fresh wait") {
    Host h(plain_config());
    h.to_ready();
    REQUIRE(!h.client.quit());
    h.write_all();
    h.client.handle_timeout(7200000);
    CHECK(h.client.ok());
    h.server("221 bye\r\n");
    CHECK(has(h.events(), EventType::Closed));
}

// ---- defect 4: cancel before any line was handed out -----------------------

TEST_CASE("defect 4: cancelling a message whose DATA was never handed out keeps the session") {
    Host h(plain_config());
    h.to_ready();
    REQUIRE(!h.client.submit(h.envelope));  // MAIL, RCPT, DATA queued; nothing written
    REQUIRE(!h.client.cancel());
    auto events = h.events();
    const Event* rejected = find(events, EventType::MessageRejected);
    REQUIRE(rejected != nullptr);
    CHECK(rejected->code == 0);
    CHECK(has(events, EventType::Ready));
    CHECK(h.client.ok());
    CHECK(h.client.send_buf().empty());  // nothing of it ever leaves
    // The session goes on: the next message is sent normally.
    REQUIRE(!h.client.submit(h.envelope));
    CHECK(h.write_all() == "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
}

TEST_CASE("defect 4: cancelling after MAIL/RCPT left but before DATA sends RSET") {
    Config c = plain_config();
    c.recipients = RecipientPolicy::AllRequired;  // DATA waits for the RCPT replies
    CHECK(check_transcript(c, kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
A: cancel
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
C: RSET
S: 250 flushed
E: message-rejected permanent "cancelled by the application"
E: ready
)T") == "");
}

// ---- defect 5: 8-bit octets in a declared 7-bit body ------------------------

TEST_CASE("defect 5: an octet over 127 in a SevenBit body never leaves the engine") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body caf\xe9\r\n
R: invalid-input "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)" at body
E: message-rejected permanent "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)"
E: error [invalid-input] "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)"
)T") == "");
}

TEST_CASE("defect 5: a NUL in a SevenBit body is refused too") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body a\0b\r\n
R: invalid-input "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)" at body
E: message-rejected permanent "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)"
E: error [invalid-input] "8-bit octet or NUL in a 7-bit body (RFC 6152 §3)"
)T") == "");
}

// ---- defect 6: SASL after the cancel ----------------------------------------

namespace {
Config login_config() {
    Config c = smtpcore::test::credentials_config(TlsMode::None);
    c.allow_plaintext_auth = true;
    c.auth = AuthChoice::Login;
    return c;
}
const std::string kAuthLoginOffered = R"T(
S: 220 mx
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 AUTH LOGIN
C: AUTH LOGIN
)T";
}  // namespace

TEST_CASE("defect 6: a 334 after the '*' cancel ends the exchange with an error") {
    CHECK(check_transcript(login_config(), kAuthLoginOffered + R"T(
S: 334 !!notbase64
C: *
S: 334 VXNlcm5hbWU6
E: error 334 [auth-failed] "VXNlcm5hbWU6"
C: QUIT
)T") == "");
}

TEST_CASE("defect 6: the challenge bound ends the exchange, not '*' forever") {
    Config c = login_config();
    c.limits.sasl_challenges = 2;
    CHECK(check_transcript(c, kAuthLoginOffered + R"T(
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 334 UGFzc3dvcmQ6
C: *
S: 334 UGFzc3dvcmQ6
E: error 334 [auth-failed] "UGFzc3dvcmQ6"
C: QUIT
)T") == "");
}

TEST_CASE("defect 6: 235 after '*' is a protocol violation, not success (RFC 4954 §4)") {
    CHECK(check_transcript(login_config(), kAuthLoginOffered + R"T(
S: 334 !!notbase64
C: *
S: 235 2.7.0 welcome anyway
E: error 235 2.7.0 [peer-violation] "welcome anyway"
)T") == "");
}

// ---- defect 7: AllRequired with a permanent refusal -------------------------

TEST_CASE("defect 7: AllRequired and a 550 refusal: the outcome is permanent") {
    Config c = plain_config();
    c.recipients = RecipientPolicy::AllRequired;
    CHECK(check_transcript(c, kPipeliningReady + R"T(
A: submit a@example.org b@example.net c@example.net d@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: RCPT TO:<d@example.net>
S: 250 ok
S: 250 ok
S: 450 4.2.1 try later
S: 550 5.1.1 no such user
E: recipient 250 #0 b@example.net
E: recipient 450 4.2.1 #1 c@example.net
E: recipient 550 5.1.1 #2 d@example.net
C: RSET
S: 250 ok
E: message-rejected permanent "a recipient was refused and all are required"
E: ready
)T") == "");
}

TEST_CASE("defect 7: AllRequired and only 4xx refusals: the outcome stays temporary") {
    Config c = plain_config();
    c.recipients = RecipientPolicy::AllRequired;
    CHECK(check_transcript(c, kPipeliningReady + R"T(
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
S: 250 ok
S: 450 4.2.1 try later
S: 250 ok
E: recipient 450 4.2.1 #0 b@example.net
E: recipient 250 #1 c@example.net
C: RSET
S: 250 ok
E: message-rejected temporary "a recipient was refused and all are required"
E: ready
)T") == "");
}

// ---- defect 8: enhanced codes on every line ---------------------------------

TEST_CASE("defect 8: the enhanced status code is removed from every line of a reply") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 550-5.7.1 first line
S: 550-5.7.1 second line
S: 550 5.7.1 third line
S: 503 5.5.1 no valid recipients
S: 503 5.5.1 no valid recipients
E: message-rejected 550 5.7.1 permanent "first line\nsecond line\nthird line"
E: ready
)T") == "");
}

// ---- defect 9: the 421's own text while a failure text is held --------------

TEST_CASE("defect 9: Closed for a 421 keeps its text and code while a rejection is held") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 451 4.3.0 busy
S: 421 4.4.2 closing now
E: message-rejected 451 4.3.0 temporary "busy"
E: closed 421 4.4.2 "closing now"
)T") == "");
}

// ---- decide and document ----------------------------------------------------

TEST_CASE("decided: RCPT answered 252 counts as accepted (RFC 5321 §4.2: act on the first digit)") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 252 cannot verify, will attempt delivery
S: 354 go
E: recipient 252 #0 b@example.net
E: body-wanted 354
A: body-end
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("decided: quit() before Ready sends QUIT next, never the credentials") {
    Config c = smtpcore::test::credentials_config(TlsMode::None);
    c.allow_plaintext_auth = true;
    CHECK(check_transcript(c, R"T(
S: 220 mx
E: greeting 220
C: EHLO client.example
A: quit
S: 250-mx
S: 250 AUTH PLAIN
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}

namespace {
// MAIL refused with `reply` (the pipelined RCPT and DATA get 503), reported as `event`.
std::string mail_refused(const std::string& reply, const std::string& event) {
    return kPipeliningReady + "A: submit a@example.org b@example.net\n"
           "C: MAIL FROM:<a@example.org>\nC: RCPT TO:<b@example.net>\nC: DATA\n"
           "S: " + reply + "\nS: 503 bad sequence\nS: 503 bad sequence\n"
           "E: " + event + "\nE: ready\n";
}
}  // namespace

TEST_CASE("decided: enhanced codes are read even when ENHANCEDSTATUSCODES was not advertised") {
    // kPipeliningReady does not advertise it; a code whose class matches the
    // reply's first digit is still taken as one (servers send them anyway).
    CHECK(check_transcript(plain_config(), mail_refused("550 5.1.0 sender refused",
                                                        "message-rejected 550 5.1.0 permanent \"sender refused\"")) == "");
    // One whose class differs from the reply's first digit is text (RFC 2034 §4).
    CHECK(check_transcript(plain_config(), mail_refused("550 4.1.0 sender refused",
                                                        "message-rejected 550 permanent \"4.1.0 sender refused\"")) == "");
}

TEST_CASE("decided: leading zeros in enhanced codes are read as numbers (RFC 3463 §2: 1*3digit)") {
    CHECK(check_transcript(plain_config(), mail_refused("550 5.01.001 sender refused",
                                                        "message-rejected 550 5.1.1 permanent \"sender refused\"")) == "");
    // More than three digits is not a code: the text keeps it.
    CHECK(check_transcript(plain_config(), mail_refused("550 5.1.0001 sender refused",
                                                        "message-rejected 550 permanent \"5.1.0001 sender refused\"")) == "");
}

TEST_CASE("decided: DEL in reply text is a control character (RFC 5321 §4.2 textstring)") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx \x7f
E: error [peer-violation] "control character in reply"
)T") == "");
}

TEST_CASE("decided: TlsMode::None with credentials needs allow_plaintext_auth at construction") {
    Config c = smtpcore::test::credentials_config(TlsMode::None);
    alignas(8) char storage[1024];
    Client refused(c, MutableBytes(storage, sizeof storage));
    CHECK_FALSE(refused.ok());
    CHECK(refused.last_error().kind == ErrorKind::InsecureAuth);
    c.allow_plaintext_auth = true;
    Client allowed(c, MutableBytes(storage, sizeof storage));
    CHECK(allowed.ok());
}

// ---- rows the state table lacked -------------------------------------------

TEST_CASE("row: EHLO answered 2xx other than 250, or 3xx, is a violation (RFC 5321 §4.3.2)") {
    for (const char* reply : {"220 mx hello", "354 what"}) {
        CAPTURE(reply);
        CHECK(check_transcript(plain_config(), std::string(R"T(
S: 220 mx
E: greeting 220
C: EHLO client.example
S: )T") + reply + R"T(
E: error [peer-violation] "EHLO answered with a positive code other than 250"
)T") == "");
    }
}

TEST_CASE("row: RSET refused ends the session and reports the stored rejection") {
    Config c = plain_config();
    c.recipients = RecipientPolicy::AllRequired;
    CHECK(check_transcript(c, kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
S: 250 ok
S: 550 5.1.1 unknown
E: recipient 550 5.1.1 #0 b@example.net
C: RSET
S: 500 5.5.1 what RSET
E: message-rejected permanent "no recipient was accepted"
E: error [peer-violation] "RSET refused"
)T") == "");
}

TEST_CASE("row: 354 after cancel() raced a pipelined DATA ends the session without a marker") {
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
A: cancel
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: message-rejected permanent "cancelled by the application"
E: error [cancelled] "message cancelled after DATA was accepted"
)T") == "");
}

TEST_CASE("row: 334 or 235 after '*' (see defect 6), and a 334 when quit() was called") {
    Config c = login_config();
    CHECK(check_transcript(c, kAuthLoginOffered + R"T(
A: quit
S: 334 VXNlcm5hbWU6
C: *
S: 501 5.7.0 cancelled
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}
