// Regressions found by the fuzz targets (fuzz/, docs/fuzzing.md). Each case
// names its seed in fuzz/corpus/<target>/regress-<name>, which replays the
// original finding under the sanitizers.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;

namespace {

Config plain() { return smtpcore::test::plain_config(); }

}  // namespace

// fuzz/corpus/session/regress-feed-empty-window: feed() copied into the
// empty receive window of an ended session with memcpy(nullptr, ..., 0),
// which is undefined behaviour (UBSan). It must take nothing and say so.
TEST_CASE("regress-feed-empty-window: feed() after the end takes nothing") {
    CHECK(check_transcript(plain(), R"T(
S: 554 5.3.2 no service
E: error 554 5.3.2 [refused] "no service"
C: QUIT
A: feed-raw 250 bytes after the end\r\n
)T") == "");
    StaticClient<1024> c(plain());
    c.abort();
    CHECK(c.feed("250 ok\r\n") == 0);
    Config implicit = plain();
    implicit.tls = TlsMode::Implicit;
    StaticClient<1024> waiting(implicit);  // no input before the TLS handshake
    CHECK(waiting.feed("220 early\r\n") == 0);
}

namespace {

const std::string kPipelinedReady = R"T(
S: 220 mx
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
)T";

}  // namespace

// fuzz/corpus/session/regress-354-to-mail: a 354 to MAIL was reported as a
// permanent rejection with code 354; the application would have bounced a
// message that a broken server never refused. Now a peer violation: the
// message is rejected as worth retrying, the session ends.
// (A 2xx is acted on by its first digit, RFC 5321 §4.2: see the 252 case in
// test_review_defects.cpp; a 3xx to MAIL or RCPT remains a violation.)
TEST_CASE("regress-354-to-mail: a 3xx code that answers no question is a violation") {
    CHECK(check_transcript(plain(), kPipelinedReady + R"T(
S: 354 go ahead
E: message-rejected temporary "MAIL or RCPT answered with a 3xx code"
E: error [peer-violation] "MAIL or RCPT answered with a 3xx code"
)T") == "");
    CHECK(check_transcript(plain(), kPipelinedReady + R"T(
S: 250 ok
S: 334 what
E: message-rejected temporary "MAIL or RCPT answered with a 3xx code"
E: error [peer-violation] "MAIL or RCPT answered with a 3xx code"
)T") == "");
}

// fuzz/corpus/session/regress-3xx-to-end-of-data: a 354 to the end of data
// was reported as a permanent rejection; the server may well have the
// message, so the outcome is unknown.
TEST_CASE("regress-3xx-to-end-of-data: the outcome is unknown, never rejected") {
    CHECK(check_transcript(plain(), kPipelinedReady + R"T(
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body hello
A: body-end
C: hello
C: .
S: 354 again
E: message-unknown "end of data answered with a 3xx code"
E: error [peer-violation] "end of data answered with a 3xx code"
)T") == "");
}

// fuzz/corpus/session/regress-half-written-line: the host had written part of
// the EHLO line ("EHL") when a reply ended the session politely; the engine
// dropped the rest of the line and wrote QUIT behind the half, so the wire
// carried "EHLQUIT": a line that no command of ours produced. Behind a begun
// line no QUIT is written now: the host just closes.
TEST_CASE("regress-half-written-line: no QUIT behind a line the host has begun to write") {
    StaticClient<1024> c(plain());
    c.feed("220 mx.example ESMTP\r\n");
    CHECK(c.next_event().type == EventType::Greeting);
    CHECK(c.next_event().type == EventType::None);
    const Bytes out = c.send_buf();
    const std::string ehlo(reinterpret_cast<const char*>(out.data()), out.size());
    REQUIRE(ehlo == "EHLO client.example\r\n");
    CHECK_FALSE(c.send_ack(3));  // "EHL" is on the wire
    c.feed("450 4.7.0 not now\r\n");  // EHLO refused: the session ends with a polite QUIT
    Event e = c.next_event();
    while (e.type != EventType::Error && e.type != EventType::None) e = c.next_event();
    CHECK(e.type == EventType::Error);
    const Bytes rest = c.send_buf();
    CHECK(std::string(reinterpret_cast<const char*>(rest.data()), rest.size()) == "");
}
