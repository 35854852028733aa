// Hostile and failing servers not covered by tests/unit/test_session_faults.cpp:
// a 4xx/5xx (or 421) at every step of a full STARTTLS + AUTH + message
// session, and STARTTLS stripping (not offered, or refused with 454) in
// every TlsMode. The CheckedSession invariants hold in every case: nothing
// in plaintext that TLS should protect, one outcome per message.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "checked_session.hpp"

using namespace smtpcore;
using namespace smtpcore::test;

namespace {

// The server's side of a lock-step session: replies[i] answers the i-th
// line the client sends (replies[0] is the greeting). The host acts like an
// application: TLS when asked, one message, its body, then QUIT.
struct LockStep {
    CheckedSession s;
    explicit LockStep(const Config& c) : s(c, 2048, &allocation_count) {}

    void run(const std::vector<std::string>& replies) {
        std::size_t next = 0, lines_seen = 0;
        bool submitted = false;
        for (int guard = 0; guard < 1000; ++guard) {
            bool progress = false;
            for (Event e; (e = s.pull_event()).type != EventType::None;) {
                progress = true;
                if (e.type == EventType::StartTls) s.tls_established();
                if (e.type == EventType::Ready && !submitted) {
                    submitted = true;
                    s.submit(CheckedSession::Submission{"a@example.org", {"b@example.net"}});
                } else if (e.type == EventType::Ready) {
                    s.quit();
                }
                if (e.type == EventType::BodyWanted) {
                    s.body("Subject: hi\r\n\r\n.hello\r\n");
                    s.body_end();
                }
            }
            if (!s.client().send_buf().empty()) {
                s.ack(~std::size_t(0));
                progress = true;
            }
            std::size_t lines = 0;
            for (std::size_t p = 0; (p = s.wire().find("\r\n", p)) != std::string::npos; p += 2) ++lines;
            // Body lines are not commands: only the marker "." gets a reply.
            const bool waiting = next == 0 || lines > lines_seen;
            if (waiting && next < replies.size() && s.client().want_read()) {
                s.feed(replies[next++]);
                lines_seen = lines;
                progress = true;
            }
            if (!progress) break;
        }
        s.finish();
    }
};

Config tls_auth() {
    Config c;
    c.client_name = "client.example";
    c.tls = TlsMode::StartTlsRequired;
    c.username = "user";
    c.password = "secret";
    return c;
}

const std::vector<std::string> kFullSession = {
    "220 mx\r\n",                                     // greeting
    "250-mx\r\n250 STARTTLS\r\n",                     // EHLO
    "220 go ahead\r\n",                               // STARTTLS
    "250-mx\r\n250 AUTH PLAIN\r\n",                   // EHLO again, under TLS
    "235 ok\r\n",                                     // AUTH PLAIN
    "250 ok\r\n",                                     // MAIL
    "250 ok\r\n",                                     // RCPT
    "354 go\r\n",                                     // DATA
};

}  // namespace

TEST_CASE("a refusal at every step of a STARTTLS + AUTH session keeps every invariant") {
    {  // the session itself, answered well, delivers the message
        std::vector<std::string> replies = kFullSession;
        replies.push_back("250 queued\r\n");
        replies.push_back("221 bye\r\n");
        LockStep run(tls_auth());
        run.run(replies);
        REQUIRE_MESSAGE(run.s.ok(), run.s.violation());
        REQUIRE(run.s.outcome(1).type == EventType::MessageAccepted);
        REQUIRE(run.s.client().state() == SessionState::Closed);
    }
    const std::uint16_t codes[] = {421, 450, 451, 454, 500, 501, 502, 530, 535, 550, 554};
    for (std::size_t step = 0; step < kFullSession.size(); ++step) {
        for (const std::uint16_t code : codes) {
            CAPTURE(step);
            CAPTURE(code);
            std::vector<std::string> replies = kFullSession;
            replies[step] = std::to_string(code) + " refused\r\n";
            LockStep run(tls_auth());
            run.run(replies);
            CHECK_MESSAGE(run.s.ok(), run.s.violation());
            CHECK(run.s.wire().find("MAIL") == (step < 5 ? std::string::npos : run.s.wire().find("MAIL")));
            if (step >= 5) {  // a message was submitted: it must have been refused
                CHECK(run.s.outcome(1).type == EventType::MessageRejected);
            }
        }
    }
    // The end of data refused too (the reply after the body's ".").
    for (const std::uint16_t code : codes) {
        std::vector<std::string> replies = kFullSession;
        replies.push_back(std::to_string(code) + " no\r\n");
        LockStep run(tls_auth());
        run.run(replies);
        CHECK_MESSAGE(run.s.ok(), run.s.violation());
        CHECK(run.s.outcome(1).type == EventType::MessageRejected);
        CHECK(run.s.outcome(1).code == code);
    }
}

TEST_CASE("STARTTLS stripped or refused with 454, in every TLS mode") {
    struct Case {
        TlsMode mode;
        const char* ehlo;         // the first EHLO reply
        const char* starttls;     // the reply to STARTTLS, if sent
        bool secure;              // TLS came up
        bool ready_in_plaintext;  // the session goes on without TLS
    };
    const Case cases[] = {
        {TlsMode::None, "250-mx\r\n250 STARTTLS\r\n", "", false, true},
        {TlsMode::Opportunistic, "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n", true, false},
        {TlsMode::Opportunistic, "250-mx\r\n250 PIPELINING\r\n", "", false, true},
        {TlsMode::Opportunistic, "250-mx\r\n250 STARTTLS\r\n", "454 4.7.0 TLS not available\r\n", false, true},
        {TlsMode::StartTlsRequired, "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n", true, false},
        {TlsMode::StartTlsRequired, "250-mx\r\n250 PIPELINING\r\n", "", false, false},
        {TlsMode::StartTlsRequired, "250-mx\r\n250 STARTTLS\r\n", "454 4.7.0 TLS not available\r\n", false, false},
    };
    for (const Case& c : cases) {
        CAPTURE(int(c.mode));
        CAPTURE(c.ehlo);
        CAPTURE(c.starttls);
        Config config;
        config.client_name = "client.example";
        config.tls = c.mode;
        CheckedSession s(config, 2048, &allocation_count);
        s.feed("220 mx\r\n");
        s.drain();
        s.ack(~std::size_t(0));
        s.feed(c.ehlo);
        s.drain();
        s.ack(~std::size_t(0));
        if (s.wire().find("STARTTLS") != std::string::npos) {
            s.feed(c.starttls);
            s.drain();
            if (s.client().state() == SessionState::TlsHandshake) s.tls_established();
            s.ack(~std::size_t(0));
        }
        s.drain();
        CHECK(s.client().secure() == c.secure);
        // Under TLS the client greets again (RFC 3207 §4.2); without, it is
        // ready or, when TLS was required, it stopped.
        const SessionState expected = c.secure               ? SessionState::Ehlo
                                      : c.ready_in_plaintext ? SessionState::Ready
                                                             : SessionState::Failed;
        CHECK(s.client().state() == expected);
        if (c.mode == TlsMode::StartTlsRequired && !c.secure) {
            CHECK(s.client().last_error().kind == ErrorKind::TlsRequired);
            CHECK(s.wire().find("MAIL") == std::string::npos);
        }
        s.finish();
        CHECK_MESSAGE(s.ok(), s.violation());
    }
    // Implicit TLS: nothing is read or sent before the handshake, whatever the server does.
    Config implicit;
    implicit.tls = TlsMode::Implicit;
    CheckedSession s(implicit, 2048, &allocation_count);
    CHECK(s.feed("220 plaintext greeting\r\n") == 0);
    s.drain();
    s.ack(~std::size_t(0));
    CHECK(s.wire().empty());
    s.finish();
    CHECK_MESSAGE(s.ok(), s.violation());
}
