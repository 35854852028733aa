// DSN parameters (RFC 3461 §4) on MAIL and RCPT, the RFC 6533 utf-8 ORCPT,
// and what happens when the server does not offer DSN. Every dialogue is
// replayed at every split (check_transcript) and counts allocations.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::plain_config;

namespace {

const std::string kDsnReady = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-PIPELINING
S: 250-SMTPUTF8
S: 250 DSN
E: ready
)T";

const std::string kNoDsnReady = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 PIPELINING
E: ready
)T";

const std::string kAccepted = R"T(
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body hi
A: body-end
C: hi
C: .
S: 250 queued
)T";

}  // namespace

TEST_CASE("DSN offered: RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT (RFC 3461 §4.1-4.4)") {
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn ret=hdrs envid=QQ314159 notify=success,failure orcpt=b@example.net
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org> RET=HDRS ENVID=QQ314159
C: RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN: NOTIFY=NEVER, RET=FULL, every NOTIFY keyword in RFC order, ORCPT only where given") {
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn ret=full notify=never
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org> RET=FULL
C: RCPT TO:<b@example.net> NOTIFY=NEVER
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
A: dsn notify=delay,success,failure orcpt=|orig@example.com
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE,DELAY
C: RCPT TO:<c@example.net> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;orig@example.com
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body-end
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN: xtext encodes space, '+', '=' and the rest (RFC 3461 §4): nothing can split the line") {
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn envid=a\x20b+c=d\x7e orcpt="x\x20y+tag=1"@example.net
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org> ENVID=a+20b+2Bc+3Dd~
C: RCPT TO:<b@example.net> ORCPT=rfc822;"x+20y+2Btag+3D1"@example.net
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN: a UTF-8 ORCPT is RFC 6533 utf-8 type: raw (unitext) with SMTPUTF8, \\x{} (xtext) without") {
    // The A: values are unescaped (\xHH); the C: lines are the octets sent.
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn orcpt=j\xc3\xb6ran+1@b\xc3\xbccher.example
A: submit-utf8 a@example.org b@example.net
C: MAIL FROM:<a@example.org> SMTPUTF8
C: RCPT TO:<b@example.net> ORCPT=utf-8;jöran\x{2B}1@bücher.example
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
A: dsn orcpt=j\xc3\xb6ran@\xf0\x9f\x93\xa7.example
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net> ORCPT=utf-8;j\x{F6}ran@\x{1F4E7}.example
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN not offered, Drop policy: sent without the parameters, and the outcome says so") {
    CHECK(check_transcript(plain_config(), kNoDsnReady + R"T(
A: dsn ret=hdrs envid=X notify=success orcpt=b@example.net
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250 dsn-dropped
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN not offered, Drop policy: a rejection says so too") {
    CHECK(check_transcript(plain_config(), kNoDsnReady + R"T(
A: dsn notify=success
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 550 no
S: 554 no valid recipients
S: 554 no valid recipients
E: message-rejected 550 dsn-dropped permanent "no"
E: ready
)T") == "");
}

TEST_CASE("DSN not offered, Refuse policy: submit() refuses before MAIL and nothing is sent") {
    CHECK(check_transcript(plain_config(), kNoDsnReady + R"T(
A: dsn notify=success refuse
A: submit a@example.org b@example.net
R: unsupported "server does not offer DSN" at MAIL FROM
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}

TEST_CASE("DSN offered, Refuse policy: sent as asked") {
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn notify=failure refuse
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net> NOTIFY=FAILURE
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN injection: CR, LF or a control in ENVID or ORCPT is refused at submit(), nothing sent") {
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn envid=x\r\nRSET
A: submit a@example.org b@example.net
R: invalid-input "ENVID contains CR or LF" at MAIL FROM
A: dsn envid=x\nDATA
A: submit a@example.org b@example.net
R: invalid-input "ENVID contains CR or LF" at MAIL FROM
A: dsn envid=x\ty
A: submit a@example.org b@example.net
R: invalid-input "ENVID is not printable US-ASCII" at MAIL FROM
A: dsn envid=caf\xc3\xa9
A: submit a@example.org b@example.net
R: invalid-input "ENVID is not printable US-ASCII" at MAIL FROM
A: dsn orcpt=b@example.net\r\nRCPT\x20TO:<evil@example.com>
A: submit a@example.org b@example.net
R: invalid-input "address contains CR or LF" at ORCPT #0
A: dsn orcpt=b@exa\0mple.net
A: submit a@example.org b@example.net
R: invalid-input "address contains NUL" at ORCPT #0
A: dsn orcpt=b\x20c@example.net
A: submit a@example.org b@example.net
R: invalid-input "malformed local part" at ORCPT #0
A: dsn orcpt=j\xc3ran@example.net
A: submit a@example.org b@example.net
R: invalid-input "ORCPT is not UTF-8" at ORCPT #0
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}

TEST_CASE("DSN: malformed requests are refused even when DSN is not offered") {
    CHECK(check_transcript(plain_config(), kNoDsnReady + R"T(
A: dsn notify=never,success
A: submit a@example.org b@example.net
R: invalid-input "NOTIFY is NEVER alone or any of SUCCESS, FAILURE, DELAY" at RCPT TO
A: dsn notify=bogus
A: submit a@example.org b@example.net
R: invalid-input "NOTIFY is NEVER alone or any of SUCCESS, FAILURE, DELAY" at RCPT TO
A: dsn ret=bogus
A: submit a@example.org b@example.net
R: invalid-input "RET is neither FULL nor HDRS" at MAIL FROM
A: dsn orcpt=x@example.net|y@example.net
A: submit a@example.org b@example.net
R: invalid-input "ORCPT list is neither empty nor one per recipient" at RCPT TO
A: dsn envid=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789+
A: submit a@example.org b@example.net
R: invalid-input "ENVID longer than 100 octets as xtext (RFC 3461 §4.4)" at MAIL FROM
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}

TEST_CASE("DSN: an ENVID of exactly 100 encoded octets goes out") {
    const std::string envid(100, 'e');
    CHECK(check_transcript(plain_config(), kDsnReady + "A: dsn envid=" + envid + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org> ENVID=)T" + envid + R"T(
C: RCPT TO:<b@example.net>
C: DATA
)T" + kAccepted + R"T(
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN: a RCPT line that would not fit the send buffer is refused at submit(), nothing sent") {
    // 62 '+' in a quoted local part triple in xtext: the ORCPT is 378 octets
    // encoded (under the 500 of §4.2); with the same 247-octet address as the
    // recipient the RCPT line is 677 octets, over a 512-octet buffer.
    const std::string orcpt = "\"" + std::string(62, '+') + "\"@" + std::string(60, 'd') + "." + std::string(60, 'd') +
                              "." + std::string(60, 'd');
    const Config config = plain_config();
    test::RunOptions small;
    small.storage = Client::min_storage(config);
    const std::string transcript = kDsnReady + "A: dsn notify=success,failure,delay orcpt=" + orcpt + R"T(
A: submit a@example.org )T" + orcpt + R"T(
R: limit-exceeded "RCPT line with its DSN parameters exceeds the send buffer" at RCPT TO #0
)T";
    const test::RunResult r = test::run_transcript(config, transcript, small);
    CHECK(r.log == test::parse_transcript(transcript));
    CHECK(r.wire == "EHLO client.example\r\n");
    CHECK(r.engine_allocations == 0);
    // With the default 2 KiB of storage it goes out.
    const std::string fits = kDsnReady + "A: dsn notify=success,failure,delay orcpt=" + orcpt + "\nA: submit a@example.org " + orcpt + "\n";
    const test::RunResult big = test::run_transcript(config, fits);
    CHECK(big.wire.find("ORCPT=rfc822;\"+2B+2B") != std::string::npos);
}

TEST_CASE("DSN: NOTIFY per recipient overrides the message's NOTIFY (RFC 3461 §4.1 is a RCPT parameter)") {
    // notify-each: 0 (empty) means the message's notify; the ORCPT list is per recipient too.
    CHECK(check_transcript(plain_config(), kDsnReady + R"T(
A: dsn notify=failure notify-each=success,delay||never orcpt=b@example.net||
A: submit a@example.org b@example.net c@example.net d@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@example.net
C: RCPT TO:<c@example.net> NOTIFY=FAILURE
C: RCPT TO:<d@example.net> NOTIFY=NEVER
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: recipient 250 #2 d@example.net
E: body-wanted 354
A: body hi
A: body-end
C: hi
C: .
S: 250 queued
)T" + R"T(
E: message-accepted 250
E: ready
A: dsn notify-each=|success
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net> NOTIFY=SUCCESS
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body hi
A: body-end
C: hi
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T") == "");
}

TEST_CASE("DSN: a per-recipient NOTIFY is checked like the message's, and counted like ORCPT") {
    CHECK(check_transcript(plain_config(), kNoDsnReady + R"T(
A: dsn notify-each=success|never,failure
A: submit a@example.org b@example.net c@example.net
R: invalid-input "NOTIFY is NEVER alone or any of SUCCESS, FAILURE, DELAY" at RCPT TO #1
A: dsn notify-each=success|bogus
A: submit a@example.org b@example.net c@example.net
R: invalid-input "NOTIFY is NEVER alone or any of SUCCESS, FAILURE, DELAY" at RCPT TO #1
A: dsn notify-each=success
A: submit a@example.org b@example.net c@example.net
R: invalid-input "NOTIFY list is neither empty nor one per recipient" at RCPT TO
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}
