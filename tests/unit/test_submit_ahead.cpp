// A message submitted while the previous one is in flight (RFC 2920 §3.1:
// content may open a group): outcomes in order, one per message, neighbours
// undisturbed by a failure, and the right outcome for each on a lost
// connection.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::kPipeliningReady;
using smtpcore::test::plain_config;

namespace {

// Message 1 in its body; it ends and message 2 is submitted ahead.
const std::string kTwoInFlight = kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body one
A: body-end
C: one
C: .
A: submit c@example.org d@example.net
C: MAIL FROM:<c@example.org>
C: RCPT TO:<d@example.net>
C: DATA
)T";

}  // namespace

TEST_CASE("ahead: both accepted, in order, with no Ready in between") {
    CHECK(check_transcript(plain_config(), kTwoInFlight + R"T(
S: 250 2.0.0 first queued
S: 250 ok
S: 250 ok
S: 354 go
E: message-accepted 250 2.0.0
E: recipient 250 #0 d@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 250 second queued
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("ahead: a refused first message does not disturb the second") {
    CHECK(check_transcript(plain_config(), kTwoInFlight + R"T(
S: 554 5.7.1 first refused
S: 250 ok
S: 250 ok
S: 354 go
E: message-rejected 554 5.7.1 permanent "first refused"
E: recipient 250 #0 d@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("ahead: a refused second message does not disturb the first, and the session goes on") {
    CHECK(check_transcript(plain_config(), kTwoInFlight + R"T(
S: 250 first queued
S: 550 5.7.1 sender refused
S: 503 5.5.1 no
S: 503 5.5.1 no
E: message-accepted 250
E: message-rejected 550 5.7.1 permanent "sender refused"
E: ready
)T") == "");
}

TEST_CASE("ahead: a lost connection: unknown for the first (its end of data left), rejected for the second") {
    CHECK(check_transcript(plain_config(), kTwoInFlight + R"T(
A: close
E: message-unknown "connection lost"
E: message-rejected temporary "connection lost"
E: error [connection-lost] "connection lost"
)T") == "");
}

TEST_CASE("ahead: a 421 in place of the first final reply rejects both") {
    CHECK(check_transcript(plain_config(), kTwoInFlight + R"T(
S: 421 4.3.2 shutting down
E: message-rejected 421 4.3.2 temporary "shutting down"
E: message-rejected temporary "server is closing the connection (421)"
E: closed 421 4.3.2 "shutting down"
)T") == "");
}

TEST_CASE("ahead: without PIPELINING the next MAIL waits for the final reply") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 354 go
E: body-wanted 354
A: body-end
C: .
A: submit c@example.org d@example.net
S: 250 queued
E: message-accepted 250
C: MAIL FROM:<c@example.org>
S: 250 ok
C: RCPT TO:<d@example.net>
S: 250 ok
E: recipient 250 #0 d@example.net
C: DATA
)T") == "");
}

TEST_CASE("ahead: only one message waits, and only once the body ended") {
    char storage[2048];
    Client c(plain_config(), MutableBytes(storage, sizeof storage));
    CHECK_FALSE(c.can_submit());  // before Ready
    c.feed("220 mx\r\n");
    while (c.next_event().type != EventType::None) {}
    c.send_ack(c.send_buf().size());
    c.feed("250-mx\r\n250 PIPELINING\r\n");
    while (c.next_event().type != EventType::None) {}
    CHECK(c.can_submit());
    const std::string_view to[] = {"b@example.net"};
    const Envelope env{"a@example.org", Span<const std::string_view>(to, 1)};
    REQUIRE(!c.submit(env));
    CHECK_FALSE(c.can_submit());  // the envelope is in flight
    CHECK(c.submit(env).kind == ErrorKind::Misuse);
    c.send_ack(c.send_buf().size());
    c.feed("250 ok\r\n250 ok\r\n354 go\r\n");
    while (c.next_event().type != EventType::None) {}
    CHECK_FALSE(c.can_submit());  // the body is flowing
    REQUIRE(!c.body_end());
    CHECK(c.can_submit());
    REQUIRE(!c.submit(env));
    CHECK_FALSE(c.can_submit());  // one waits already
    CHECK(c.submit(env).kind == ErrorKind::Misuse);
}
