// REQUIRETLS (RFC 8689 §4.1): the MAIL parameter goes only over TLS and only
// to a server that offers it; otherwise submit() refuses the message and not
// a byte of it leaves.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::plain_config;

namespace {

Config opportunistic() {
    Config c = plain_config();
    c.tls = TlsMode::Opportunistic;
    return c;
}

// Greeting, STARTTLS, TLS up, and the first line of the second EHLO reply.
const std::string kAfterStartTls = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 STARTTLS
C: STARTTLS
S: 220 go ahead
E: start-tls 220
A: tls
C: EHLO client.example
S: 250-mx
)T";

const std::string kQuit = R"T(
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T";

}  // namespace

TEST_CASE("REQUIRETLS over TLS, offered: the parameter is on MAIL") {
    CHECK(check_transcript(opportunistic(), kAfterStartTls + R"T(
S: 250-PIPELINING
S: 250 REQUIRETLS
E: ready
A: require-tls
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org> REQUIRETLS
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body-end
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T" + kQuit) == "");
}

TEST_CASE("REQUIRETLS over TLS, not offered: refused before MAIL, nothing sent") {
    CHECK(check_transcript(opportunistic(), kAfterStartTls + R"T(
S: 250 PIPELINING
E: ready
A: require-tls
A: submit a@example.org b@example.net
R: unsupported "server does not offer REQUIRETLS" at MAIL FROM
)T" + kQuit) == "");
}

TEST_CASE("REQUIRETLS without TLS: refused before MAIL even when offered, no MAIL leaves") {
    // Opportunistic TLS fell back to plaintext; a server that (wrongly)
    // offers REQUIRETLS there does not get the message.
    CHECK(check_transcript(opportunistic(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-PIPELINING
S: 250 REQUIRETLS
E: ready
A: require-tls
A: submit a@example.org b@example.net
R: tls-required "message requires TLS (REQUIRETLS) and the session has none" at MAIL FROM
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body-end
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T" + kQuit) == "");
}

TEST_CASE("REQUIRETLS refused for a message submitted ahead too: its envelope never follows the body") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body-end
C: .
A: require-tls
A: submit c@example.org d@example.net
R: tls-required "message requires TLS (REQUIRETLS) and the session has none" at MAIL FROM
S: 250 queued
E: message-accepted 250
E: ready
)T" + kQuit) == "");
}
