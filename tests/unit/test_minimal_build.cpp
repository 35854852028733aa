// The minimal build (docs/footprint.md "Optional features"): the engine
// compiled with the SMTPCORE_NO_* macros scripts/footprint's lean figure uses,
// here as the unit-minimal test (tests/unit/meson.build). Each case shows
// what one macro takes out, and that the dialogue around it is unchanged;
// built without the macros, every case fails.
#include <doctest/doctest.h>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::plain_config;

#if !defined(SMTPCORE_NO_REASONS) || !defined(SMTPCORE_NO_SIZE) || !defined(SMTPCORE_NO_ENHANCED_STATUS)
#error "test_minimal_build.cpp belongs to the minimal build (tests/unit/meson.build)"
#endif

TEST_CASE("minimal build, SMTPCORE_NO_SIZE: no SIZE= and no refusal against the server's limit (RFC 1870)") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-PIPELINING
S: 250 SIZE 1000
E: ready
A: submit-size 2000 a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 552 5.3.4 too big
S: 554 no valid recipients
S: 554 no
E: message-rejected 552 permanent "5.3.4 too big"
E: ready
)T") == "");
}

TEST_CASE("minimal build, SMTPCORE_NO_ENHANCED_STATUS: the code stays in the text, no status (RFC 2034)") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-ENHANCEDSTATUSCODES
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: DATA
S: 250 2.1.0 ok
S: 550 5.1.1 no such user
S: 250 2.1.5 ok
S: 354 go
E: recipient 550 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body hello
A: body-end
C: hello
C: .
S: 451 4.3.0 try again later
E: message-rejected 451 temporary "4.3.0 try again later"
E: ready
)T") == "");
}

TEST_CASE("minimal build, SMTPCORE_NO_REASONS: refusals keep their kind and phase, not their text") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: submit-8bit a@example.org b@example.net
R: unsupported "" at MAIL FROM
A: submit a@example.org no-at-sign
R: invalid-input "" at RCPT TO #0
)T") == "");
}

// A feature compiled out is never dropped silently. DSN and REQUIRETLS leave
// the API with their code (with their macros Envelope has no `dsn` or
// `require_tls`, so no caller can ask and be ignored); CHUNKING keeps its
// policy field, so Always, which cannot be honoured, is refused at
// construction.
#ifndef SMTPCORE_NO_CHUNKING
#error "the minimal build compiles out CHUNKING (tests/unit/meson.build)"
#endif

TEST_CASE("minimal build, SMTPCORE_NO_CHUNKING: chunking = Always is refused at construction, Auto sends DATA (RFC 3030)") {
    Config always = plain_config();
    always.chunking = ChunkingPolicy::Always;
    char storage[2048];
    Client refused(always, MutableBytes(storage, sizeof storage));
    CHECK(refused.last_error().kind == ErrorKind::Misuse);
    CHECK(refused.send_buf().empty());
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-PIPELINING
S: 250 CHUNKING
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
)T") == "");
}

// LMTP keeps its protocol field, so Lmtp, which cannot be honoured (the
// session would greet with EHLO and read one reply to the end of data), is
// refused at construction, and nothing is sent.
#ifndef SMTPCORE_NO_LMTP
#error "the minimal build compiles out LMTP (tests/unit/meson.build)"
#endif

TEST_CASE("minimal build, SMTPCORE_NO_LMTP: protocol = Lmtp is refused at construction (RFC 2033)") {
    Config lmtp = plain_config();
    lmtp.protocol = Protocol::Lmtp;
    char storage[2048];
    Client refused(lmtp, MutableBytes(storage, sizeof storage));
    CHECK_FALSE(refused.ok());
    CHECK(refused.last_error().kind == ErrorKind::Misuse);
    CHECK(refused.send_buf().empty());
}
