// The minimal build (docs/footprint.md "Optional features"): the engine
// compiled with the SMTPCORE_NO_* macros scripts/footprint's lean figure uses,
// here as the unit-minimal test (tests/unit/meson.build). Each case shows
// what one macro takes out, and that the dialogue around it is unchanged;
// built without the macros, every case fails.
#include <doctest/doctest.h>

#include <type_traits>
#include <utility>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::kPipeliningReady;
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

TEST_CASE("minimal build, SMTPCORE_NO_REASONS: local events have empty texts, the Ready event's too") {
    char storage[2048];
    Client c(plain_config(), MutableBytes(storage, sizeof storage));
    auto feed = [&c](std::string_view in) { c.feed(Bytes(in.data(), in.size())); };
    auto flush = [&c] { c.send_ack(c.send_buf().size()); };
    feed("220 mx ESMTP\r\n");
    CHECK(c.next_event().type == EventType::Greeting);
    flush();  // EHLO
    feed("250 mx\r\n");
    const Event ready = c.next_event();
    CHECK(ready.type == EventType::Ready);
    CHECK(ready.text == "");  // "ready" with reason texts
    const std::string_view rcpt[] = {"b@example.net"};
    Envelope env;
    env.from = "a@example.org";
    env.recipients = Span<const std::string_view>(rcpt, 1);
    REQUIRE(!c.submit(env));
    flush();  // MAIL
    feed("250 ok\r\n");
    CHECK(c.next_event().type == EventType::None);  // parses the reply, writes RCPT
    flush();  // RCPT
    feed("550 no\r\n");
    CHECK(c.next_event().type == EventType::RecipientResult);
    flush();  // RSET
    feed("250 ok\r\n");
    const Event rejected = c.next_event();
    CHECK(rejected.type == EventType::MessageRejected);
    CHECK(rejected.text == "");  // "no recipient was accepted" with reason texts
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

// ---- macros of the 8 KiB work (docs/footprint.md "What each macro changes") ----

#if !defined(SMTPCORE_NO_HELO_FALLBACK) || !defined(SMTPCORE_NO_ALL_REQUIRED) || !defined(SMTPCORE_NO_ADDRESS_GRAMMAR) || \
    !defined(SMTPCORE_NO_8BITMIME)
#error "the minimal build compiles out the HELO fallback, AllRequired, the address grammar and 8BITMIME (tests/unit/meson.build)"
#endif

namespace {

// Drives a Client by hand to Ready, for the cases a transcript cannot spell
// (addresses with CR, LF, NUL or spaces in them).
struct ReadyClient {
    explicit ReadyClient(const Config& config) : client(config, MutableBytes(storage, sizeof storage)) {
        client.handle_timeout(0);
        server("220 mx\r\n");
        client.send_ack(client.send_buf().size());
        server("250-mx\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n");
    }
    void server(std::string_view bytes) {
        while (!bytes.empty()) {
            const std::size_t n = client.feed(bytes);
            if (n == 0) break;
            bytes.remove_prefix(n);
        }
        while (client.next_event().type != EventType::None) {
        }
    }
    alignas(8) char storage[2048];
    Client client;
};

}  // namespace

TEST_CASE("minimal build, SMTPCORE_NO_REASONS: no state names, so a refusal outside the envelope has no phase") {
    char storage[2048];
    Client c(plain_config(), MutableBytes(storage, sizeof storage));
    const Error e = c.tls_established();  // before any TLS handshake
    CHECK(e.kind == ErrorKind::Misuse);
    CHECK(std::string_view(e.where) == "");  // "greeting" with the state names
    CHECK(c.state() == SessionState::Greeting);
}

TEST_CASE("minimal build, SMTPCORE_NO_HELO_FALLBACK: an EHLO refusal ends the session, no HELO (RFC 5321 §3.2)") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 502 command not implemented
E: error 502 [unsupported] "command not implemented"
C: QUIT
)T") == "");
}

TEST_CASE("minimal build, SMTPCORE_NO_ALL_REQUIRED: RecipientPolicy::AllRequired is refused at construction") {
    Config all = plain_config();
    all.recipients = RecipientPolicy::AllRequired;
    char storage[2048];
    Client refused(all, MutableBytes(storage, sizeof storage));
    CHECK(refused.last_error().kind == ErrorKind::Misuse);
    CHECK(refused.state() == SessionState::Failed);
    CHECK(refused.send_buf().empty());
}

TEST_CASE("minimal build, SMTPCORE_NO_ADDRESS_GRAMMAR: no hostile address reaches the wire") {
    using namespace std::string_view_literals;
    // Each would end the command line, add a parameter or close the path.
    const std::string_view hostile[] = {
        "a@example.org\r\nRCPT TO:<x@evil.example>"sv,
        "a@example.org\nDATA"sv,
        "a@example.org\rQUIT"sv,
        "a@exa\0mple.org"sv,
        "a@example.org> SIZE=1"sv,
        "<a@example.org"sv,
        "a@example.org>"sv,
        "a b@example.org"sv,
        "\"a b\"@example.org"sv,
        "a@example.org\tNOTIFY=NEVER"sv,
        "a\x7f@example.org"sv,
        "a\x1b@example.org"sv,
        "\xc3\xa9@example.org"sv,  // 8-bit without SMTPUTF8 asked for
        ""sv,
        "@example.org"sv,
        "a@"sv,
        "no-at-sign"sv,
    };
    const std::string long_local = std::string(65, 'l') + "@example.org";
    const std::string long_path = "a@" + std::string(253, 'd');
    for (const std::string_view bad : hostile) {
        // An empty reverse-path is the null sender "<>" (RFC 5321 §4.5.5).
        for (int as_recipient = bad.empty() ? 1 : 0; as_recipient < 2; ++as_recipient) {
            CAPTURE(bad);
            CAPTURE(as_recipient);
            ReadyClient r(plain_config());
            REQUIRE(r.client.state() == SessionState::Ready);
            const std::string_view good[] = {"b@example.net"};
            const std::string_view bad_to[] = {bad};
            const Envelope env = as_recipient ? Envelope{"a@example.org", Span<const std::string_view>(bad_to, 1)}
                                              : Envelope{bad, Span<const std::string_view>(good, 1)};
            CHECK(r.client.submit(env).kind == ErrorKind::InvalidInput);
            CHECK(r.client.send_buf().empty());
        }
    }
    for (const std::string& bad : {long_local, long_path}) {
        ReadyClient r(plain_config());
        const std::string_view to[] = {bad};
        CHECK(r.client.submit(Envelope{"a@example.org", Span<const std::string_view>(to, 1)}).kind ==
              ErrorKind::InvalidInput);
        CHECK(r.client.send_buf().empty());
    }
    // The EHLO name likewise: refused at construction, nothing sent.
    for (const std::string_view name : {"client\r\nMAIL FROM:<x@y>"sv, "client example"sv, "client\0x"sv, ""sv}) {
        Config c = plain_config();
        c.client_name = name;
        char storage[2048];
        Client refused(c, MutableBytes(storage, sizeof storage));
        CHECK(refused.last_error().kind == ErrorKind::Misuse);
        CHECK(refused.send_buf().empty());
    }
    // What only the grammar refused is sent as given: a dot-string with two
    // dots in a row is harmless on the command line.
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(A: submit a..b@example.org c@example.net
C: MAIL FROM:<a..b@example.org>
C: RCPT TO:<c@example.net>
C: DATA
)T") == "");
}

TEST_CASE("minimal build, SMTPCORE_NO_8BITMIME: 8-bit bodies and SMTPUTF8 refused at submit, the 7-bit check kept (RFC 6152 §3)") {
    const std::string offered = R"T(S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-8BITMIME
S: 250-SMTPUTF8
S: 250 PIPELINING
E: ready
)T";
    CHECK(check_transcript(plain_config(), offered + R"T(A: submit-8bit a@example.org b@example.net
R: unsupported "" at MAIL FROM
A: submit-utf8 a@example.org b@example.net
R: unsupported "" at MAIL FROM
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
)T" + "R: invalid-input \"\" at \n" /* where: no text either */ + R"T(E: message-rejected permanent ""
E: error [invalid-input] ""
)T") == "");
    // The keywords are not even recognised: capabilities() says what this
    // build can use.
    ReadyClient r(plain_config());
    CHECK(r.client.capabilities().has(Extension::Pipelining));
    CHECK(!r.client.capabilities().has(Extension::SmtpUtf8));
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

TEST_CASE("minimal build, SMTPCORE_NO_SUBMIT_AHEAD: a second message is refused until Ready, then sent (RFC 2920 §3.1)") {
    // The normal engine takes the second submit() once the first body has
    // ended and pipelines its MAIL behind the end of data; this build refuses
    // it (can_submit() false, nothing written), and takes it again in Ready.
    CHECK(check_transcript(plain_config(), std::string(R"T(
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
A: body hello
A: body-end
C: hello
C: .
A: submit a@example.org c@example.net
)T") + "R: misuse \"\" at \n" /* where: no text outside the envelope */ + R"T(S: 250 queued
E: message-accepted 250
E: ready
A: submit a@example.org c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<c@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 c@example.net
E: body-wanted 354
)T") == "");
}

// Detects a cancel() member: absent in this build, present in every other.
template <typename C, typename = void>
struct has_cancel : std::false_type {};
template <typename C>
struct has_cancel<C, std::void_t<decltype(std::declval<C&>().cancel())>> : std::true_type {};

TEST_CASE("minimal build, SMTPCORE_NO_CANCEL: no cancel(); a refused message still drains with RSET (RFC 5321 §4.1.1.5)") {
    // Like DSN's fields, cancel() leaves the API, so no caller can ask for it
    // and be ignored; the failed-transaction path it shared stays.
    CHECK_FALSE(has_cancel<Client>::value);
    CHECK(check_transcript(plain_config(), kPipeliningReady + R"T(
A: submit a@example.org nobody@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<nobody@example.net>
C: DATA
S: 250 ok
S: 550 5.1.1 no such user
S: 554 5.5.1 no valid recipients
E: recipient 550 #0 nobody@example.net
C: RSET
S: 250 ok
E: message-rejected permanent ""
E: ready
)T") == "");
}
