// Refusals, hostile servers, lost connections and timeouts, as dialogues.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::kPipeliningReady;
using smtpcore::test::run_transcript;

namespace {

Config plain() { return smtpcore::test::plain_config(); }
Config with_credentials(TlsMode tls) { return smtpcore::test::credentials_config(tls); }

// A session up to Ready with PIPELINING, for the transaction faults.
const std::string kReady = kPipeliningReady;

const std::string kInBody = kReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
)T";

}  // namespace

TEST_CASE("greeting: 554 refuses with QUIT, 421 closes, anything but 220 is a violation") {
    CHECK(check_transcript(plain(), R"T(
S: 554 5.3.2 mx.example.com No SMTP service here
E: error 554 5.3.2 [refused] "mx.example.com No SMTP service here"
C: QUIT
)T") == "");
    CHECK(check_transcript(plain(), R"T(
S: 421 4.3.2 Service not available, try later
E: closed 421 4.3.2 "Service not available, try later"
)T") == "");
    CHECK(check_transcript(plain(), R"T(
S: 250 hello?
E: error [peer-violation] "greeting is not 220"
)T") == "");
}

TEST_CASE("EHLO refused while TLS is required: abort, never HELO in plaintext") {
    CHECK(check_transcript(with_credentials(TlsMode::StartTlsRequired), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 500 5.5.1 command unrecognized
E: error 500 5.5.1 [tls-required] "command unrecognized"
C: QUIT
)T") == "");
}

TEST_CASE("STARTTLS response injection: bytes after the 220 are fatal") {
    Config c = with_credentials(TlsMode::StartTlsRequired);
    const std::string head = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 STARTTLS
C: STARTTLS
)T";
    // Same flight: the 220 and an injected reply arrive together. However the
    // bytes are split, the session fails and nothing more is sent.
    const std::string injected = head + "S: 220 go ahead\nS: 250-injected AUTH PLAIN\n";
    for (std::size_t chunk = 0; chunk <= 16; ++chunk) {
        smtpcore::test::RunOptions o;
        o.input_chunk = chunk;
        auto r = run_transcript(c, injected, o);
        CHECK(r.log.back() == "E: error [peer-violation] \"data after the STARTTLS reply before TLS (response injection)\"");
        CHECK(r.wire == "EHLO client.example\r\nSTARTTLS\r\n");
    }
    // Even a part of a line, in a later read, before tls_established().
    CHECK(check_transcript(c, head + R"T(
S: 220 go ahead
E: start-tls 220
A: feed-raw 2
E: error [peer-violation] "data after the STARTTLS reply before TLS (response injection)"
)T") == "");
}

TEST_CASE("capabilities are forgotten after STARTTLS (RFC 3207 §4.2)") {
    // AUTH offered before TLS only: after TLS the list is new and has no AUTH.
    CHECK(check_transcript(with_credentials(TlsMode::StartTlsRequired), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-AUTH PLAIN
S: 250 STARTTLS
C: STARTTLS
S: 220 go ahead
E: start-tls 220
A: tls
C: EHLO client.example
S: 250 mx
E: error [auth-unavailable] "server does not offer AUTH"
C: QUIT
)T") == "");
}

TEST_CASE("credentials never go out in plaintext unless allowed") {
    Config c = with_credentials(TlsMode::None);
    const std::string t = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 AUTH PLAIN LOGIN
)T";
    // Without the allowance the Client refuses at construction: nothing is sent.
    CHECK(check_transcript(c, R"T(
E: error [insecure-auth] "credentials without TLS need allow_plaintext_auth"
)T") == "");
    c.allow_plaintext_auth = true;
    CHECK(check_transcript(c, t + R"T(
C: AUTH PLAIN AHVzZXIAc2VjcmV0
S: 235 ok
E: authenticated 235
E: ready
)T") == "");
    // Credentials with opportunistic TLS are refused when the Client is made.
    char storage[1024];
    Client client(with_credentials(TlsMode::Opportunistic), MutableBytes(storage, sizeof storage));
    CHECK_FALSE(client.ok());
    CHECK(client.last_error().kind == ErrorKind::Misuse);
    CHECK(client.next_event().type == EventType::Error);
    CHECK(client.send_buf().empty());
}

TEST_CASE("AUTH: 535, invalid challenge cancelled with *, too many challenges") {
    Config c = with_credentials(TlsMode::Implicit);
    const std::string t = R"T(
A: tls
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 AUTH LOGIN
C: AUTH LOGIN
)T";
    CHECK(check_transcript(c, t + R"T(
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 535 5.7.8 Error: authentication failed
E: error 535 5.7.8 [auth-failed] "Error: authentication failed"
C: QUIT
)T") == "");
    CHECK(check_transcript(c, t + R"T(
S: 334 not*base64!
C: *
S: 501 5.7.0 AUTH aborted
E: error 501 5.7.0 [auth-failed] "AUTH aborted"
C: QUIT
)T") == "");
    CHECK(check_transcript(c, t + R"T(
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 334 QWdhaW4/
C: *
S: 501 cancelled
E: error 501 [auth-failed] "cancelled"
C: QUIT
)T") == "");
}

TEST_CASE("AUTH PLAIN without an initial response when the line would pass 512 octets") {
    Config c = with_credentials(TlsMode::Implicit);
    const std::string user(200, 'u');
    const std::string pass(200, 'p');
    c.username = user;
    c.password = pass;
    auto r = run_transcript(c, R"T(
A: tls
S: 220 mx ESMTP
C: EHLO client.example
S: 250-mx
S: 250 AUTH PLAIN
C: AUTH PLAIN
S: 334
)T");
    // The response goes on its own line after the empty challenge.
    REQUIRE(r.log.size() == 9);
    CHECK(r.log[6] == "C: AUTH PLAIN");
    CHECK(r.wire.find("AUTH PLAIN\r\n") != std::string::npos);
    const auto last = r.log.back();
    CHECK(last.rfind("C: AAAA", 0) != 0);  // sanity: a base64 line follows
    CHECK(last.size() > 500);
}

TEST_CASE("unsolicited replies and a second reply to one command are violations; 421 is not") {
    CHECK(check_transcript(plain(), kReady + R"T(
S: 250 surprise
E: error [peer-violation] "reply to no command (unsolicited or a second reply)"
)T") == "");
    // A reply that arrives with the greeting, before EHLO was written.
    auto early = run_transcript(plain(), R"T(
S: 220 mx ESMTP
S: 250 early answer to a command not yet sent
)T");
    CHECK(early.log.back() == "E: error [peer-violation] \"reply to no command (unsolicited or a second reply)\"");
    CHECK(check_transcript(plain(), kReady + R"T(
S: 421 4.4.2 idle timeout
E: closed 421 4.4.2 "idle timeout"
)T") == "");
}

TEST_CASE("421 in the middle of a transaction: the message is rejected, temporarily") {
    CHECK(check_transcript(plain(), kReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 421 4.7.0 too many errors
E: message-rejected temporary "server is closing the connection (421)"
E: closed 421 4.7.0 "too many errors"
)T") == "");
}

TEST_CASE("connection lost before end of data: rejected and safe to retry") {
    CHECK(check_transcript(plain(), kInBody + R"T(
A: body part of the body
A: close
E: message-rejected temporary "connection lost"
E: error [connection-lost] "connection lost"
C~ part of the body
)T") == "");
}

TEST_CASE("connection lost after end of data: outcome unknown, never sent or failed") {
    CHECK(check_transcript(plain(), kInBody + R"T(
A: body all of it
A: body-end
C: all of it
C: .
A: close
E: message-unknown "connection lost"
E: error [connection-lost] "connection lost"
)T") == "");
}

TEST_CASE("timeouts follow RFC 5321 §4.5.3.2 per phase") {
    // Greeting: 5 minutes.
    CHECK(check_transcript(plain(), R"T(
A: deadline
R: deadline 300000
A: time 299999
A: time 300000
E: error [timeout] "no progress in time (RFC 5321 §4.5.3.2)"
)T") == "");
    // DATA initiation: 2 minutes from the last progress.
    CHECK(check_transcript(plain(), kReady + R"T(
A: time 1000
A: deadline
R: deadline never
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
A: deadline
R: deadline 121000
)T") == "");
    // End of data: 10 minutes; a timeout there leaves the outcome unknown.
    CHECK(check_transcript(plain(), kInBody + R"T(
A: body x
A: time 5000
A: body-end
C: x
C: .
A: deadline
R: deadline 605000
A: time 605000
E: message-unknown "no progress in time (RFC 5321 §4.5.3.2)"
E: error [timeout] "no progress in time (RFC 5321 §4.5.3.2)"
)T") == "");
    // Every timeout is configurable.
    Config c = plain();
    c.timeouts = Timeouts::all(1000);
    CHECK(check_transcript(c, R"T(
A: deadline
R: deadline 1000
)T") == "");
}

TEST_CASE("hostile replies: over-long line, NUL, mismatched codes, bad code, bare LF, endless EHLO") {
    const std::string long_line = "S: 220 " + std::string(600, 'x');
    CHECK(check_transcript(plain(), long_line + "\nE: error [limit-exceeded] \"reply line longer than the limit (512 octets by default)\"\n") == "");
    CHECK(check_transcript(plain(), "A: feed-raw 220 a\\0b\\r\\n\nE: error [peer-violation] \"NUL in reply\"\n") == "");
    CHECK(check_transcript(plain(), "S: 220-a\nS: 250 b\nE: error [peer-violation] \"multi-line reply changed its code\"\n") == "");
    CHECK(check_transcript(plain(), "S: 2x0 a\nE: error [peer-violation] \"malformed reply code\"\n") == "");
    CHECK(check_transcript(plain(), "S: 620 a\nE: error [peer-violation] \"malformed reply code\"\n") == "");
    CHECK(check_transcript(plain(), "A: feed-raw 220 a\\nb\nE: error [peer-violation] \"bare LF in reply\"\n") == "");
    CHECK(check_transcript(plain(), "A: feed-raw 220 a\\rb\nE: error [peer-violation] \"bare CR in reply\"\n") == "");
    CHECK(check_transcript(plain(), "S: 220x\nE: error [peer-violation] \"malformed reply: no SP or '-' after the code\"\n") == "");

    std::string ehlo = kReady.substr(0, kReady.find("S: 250-mx"));
    for (int i = 0; i < 20000; ++i) ehlo += "S: 250-X-KEYWORD-" + std::to_string(i) + "\n";
    ehlo += "S: 250 END\n";
    auto r = run_transcript(plain(), ehlo);
    CHECK(r.log.back() == "E: error [limit-exceeded] \"reply has too many lines\"");
    CHECK(r.engine_allocations == 0);

    // 1 MiB reply line: stopped at the bound, nothing buffered.
    auto big = run_transcript(plain(), "S: 220 " + std::string(1 << 20, 'y') + "\n");
    CHECK(big.log.back() == "E: error [limit-exceeded] \"reply line longer than the limit (512 octets by default)\"");
}

TEST_CASE("bare LF in replies is accepted only when the leniency is named") {
    Config c = plain();
    c.accept_bare_lf_in_replies = true;
    CHECK(check_transcript(c, R"T(
A: feed-raw 220 mx\n
E: greeting 220
C: EHLO client.example
)T") == "");
}

TEST_CASE("application input: CR/LF/NUL and bad addresses are refused and nothing is sent") {
    CHECK(check_transcript(plain(), kReady + R"T(
A: submit a@example.org b@example.net\r\nRCPT\sTO:<evil@example.com>
R: invalid-input "malformed local part" at RCPT TO #0
A: submit a@example.org
R: invalid-input "no recipients" at RCPT
A: submit noat b@example.net
R: invalid-input "address has no '@'" at MAIL FROM
A: submit a@example.org ok@example.net <b@example.net>
R: invalid-input "malformed local part" at RCPT TO #1
)T") == "");
    // The transcript action unescapes \r\n, but the line was split on spaces
    // first: check CR/LF directly through the API too.
    char storage[1024];
    Client client(plain(), MutableBytes(storage, sizeof storage));
    const std::string_view rcpt[] = {"b@example.net\r\nDATA"};
    Envelope env;
    env.from = "a@example.org";
    env.recipients = Span<const std::string_view>(rcpt, 1);
    client.feed("220 mx\r\n");
    while (client.next_event().type != EventType::None) {}
    client.send_ack(client.send_buf().size());
    client.feed("250 mx\r\n");
    while (client.next_event().type != EventType::None) {}
    REQUIRE(client.state() == SessionState::Ready);
    const Error e = client.submit(env);
    CHECK(e.kind == ErrorKind::InvalidInput);
    CHECK(std::string(e.reason) == "address contains CR or LF");
    CHECK(e.index == 0);
    CHECK(client.send_buf().empty());
    CHECK(client.state() == SessionState::Ready);
}

TEST_CASE("body: lines over 998 octets end the message without end of data") {
    const std::string long_body = "A: body " + std::string(999, 'z');
    auto r = run_transcript(plain(), kInBody + long_body + "\n");
    const auto& log = r.log;
    auto has = [&](const std::string& line) { return std::find(log.begin(), log.end(), line) != log.end(); };
    CHECK(has("R: invalid-input \"body line longer than 998 octets (RFC 5321 §4.5.3.1.6)\" at body"));
    CHECK(has("E: message-rejected permanent \"body line longer than 998 octets (RFC 5321 §4.5.3.1.6)\""));
    CHECK(has("E: error [invalid-input] \"body line longer than 998 octets (RFC 5321 §4.5.3.1.6)\""));
    CHECK(r.wire.find("\r\n.\r\n") == std::string::npos);
    // 998 is fine.
    auto ok = run_transcript(plain(), kInBody + "A: body " + std::string(998, 'z') + "\nA: body-end\n");
    CHECK(ok.wire.find(std::string(998, 'z') + "\r\n.\r\n") != std::string::npos);
}

TEST_CASE("body source failure and cancel(): cut off, never completed") {
    CHECK(check_transcript(plain(), kInBody + R"T(
A: body partial
A: body-fail
E: message-rejected permanent "body source failed; message cut off before end of data"
E: error [body-failed] "body source failed; message cut off before end of data"
C~ partial
)T") == "");
    // cancel() before the body, lock-step: RSET after the outstanding reply.
    Config lock = plain();
    CHECK(check_transcript(lock, R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
A: cancel
S: 250 ok
C: RSET
S: 250 ok
E: message-rejected permanent "cancelled by the application"
E: ready
)T") == "");
}

TEST_CASE("abort() reports the message and stops sending") {
    CHECK(check_transcript(plain(), kInBody + R"T(
A: body x
A: abort
E: message-rejected permanent "aborted by the application"
E: error [aborted] "aborted by the application"
C~ x
)T") == "");
}

TEST_CASE("misuse is refused without changing state") {
    char storage[1024];
    Client client(plain(), MutableBytes(storage, sizeof storage));
    CHECK(client.body_ack(1).kind == ErrorKind::Misuse);
    CHECK(client.body_end().kind == ErrorKind::Misuse);
    CHECK(client.send_ack(1).kind == ErrorKind::Misuse);
    CHECK(client.tls_established().kind == ErrorKind::Misuse);
    CHECK(client.cancel().kind == ErrorKind::Misuse);
    Envelope env;
    CHECK(client.submit(env).kind == ErrorKind::Misuse);
    CHECK(client.state() == SessionState::Greeting);
    CHECK(client.ok());

    char tiny[100];
    Client small(plain(), MutableBytes(tiny, sizeof tiny));
    CHECK_FALSE(small.ok());
    CHECK(small.last_error().kind == ErrorKind::LimitExceeded);
    CHECK(Client::min_storage(plain()) == 128 + 64 + 512);
}

TEST_CASE("quit() during a message waits for its outcome") {
    CHECK(check_transcript(plain(), kInBody + R"T(
A: quit
A: body x
A: body-end
C: x
C: .
S: 250 ok
E: message-accepted 250
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
}

TEST_CASE("the smallest storage still runs a pipelined session with 50 recipients") {
    std::string submit = "A: submit a@example.org";
    std::string commands, replies, events;
    for (int i = 0; i < 50; ++i) {
        const std::string rcpt = "user" + std::to_string(i) + "@example.net";
        submit += " " + rcpt;
        commands += "C: RCPT TO:<" + rcpt + ">\n";
        replies += "S: 250 ok\n";
        events += "E: recipient 250 #" + std::to_string(i) + " " + rcpt + "\n";
    }
    const std::string t = kReady + submit + "\nC: MAIL FROM:<a@example.org>\n" + commands +
                          "C: DATA\nS: 250 ok\n" + replies + "S: 354 go\n" + events +
                          "E: body-wanted 354\nA: body " + std::string(900, 'b') +
                          "\\nsecond line\nC: " + std::string(900, 'b') +
                          "\nA: body-end\nC: second line\nC: .\nS: 250 ok\nE: message-accepted 250\nE: ready\n";
    smtpcore::test::RunOptions o;
    o.storage = Client::min_storage(plain());
    auto r = run_transcript(plain(), t, o);
    std::vector<std::string> expected = smtpcore::test::parse_transcript(t);
    std::string want, got;
    for (const auto& l : expected) want += l.substr(0, 60) + "\n";
    for (const auto& l : r.log) got += l.substr(0, 60) + "\n";
    CHECK(got == want);
    CHECK(r.engine_allocations == 0);
    CHECK(smtpcore::test::count_client_flights(r.log) == 1 + 2);
}

TEST_CASE("PLAIN credentials with NUL are refused before anything is sent (RFC 4616 §2)") {
    Config c = with_credentials(TlsMode::StartTlsRequired);
    const std::string user("us\0er", 5);
    c.username = user;
    char storage[1024];
    Client client(c, MutableBytes(storage, sizeof storage));
    CHECK_FALSE(client.ok());
    CHECK(std::string(client.last_error().reason) == "username contains NUL");
    CHECK(client.feed("220 mx\r\n") == 0);
    CHECK(client.send_buf().empty());
}

TEST_CASE("server text is cut at reply_text_capacity; the reply still counts") {
    Config c = plain();
    c.reply_text_capacity = 16;
    CHECK(check_transcript(c, R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 550 5.7.1 this text is much longer than sixteen octets
E: message-rejected 550 5.7.1 permanent "this text "
E: ready
)T") == "");
}

TEST_CASE("MAIL and RCPT wait 5 minutes each (RFC 5321 §4.5.3.2.2-3)") {
    Config c = plain();
    c.timeouts.mail = 1000;
    c.timeouts.rcpt = 2000;
    CHECK(check_transcript(c, R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: time 10
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
A: deadline
R: deadline 1010
A: time 500
S: 250 ok
C: RCPT TO:<b@example.net>
A: deadline
R: deadline 2500
A: time 2499
A: time 2500
E: message-rejected temporary "no progress in time (RFC 5321 §4.5.3.2)"
E: error [timeout] "no progress in time (RFC 5321 §4.5.3.2)"
)T") == "");
}
