// The shared Driver loop against an in-memory server over a transport that
// moves one byte per call and stalls every other call.
#include <doctest/doctest.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fake_server.hpp"
#include "smtpcore/adapters/driver.hpp"
#include "wait.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;
using smtpcore::test::FakeServer;
using smtpcore::test::FakeTls;
using smtpcore::test::FakeTransport;

namespace {

/// A body source that has nothing for its first `stalls` calls.
struct SlowSource {
    std::string text;
    int stalls = 0;
    std::size_t offset = 0;
    static ReadResult read(void* self, MutableBytes out) noexcept {
        auto* s = static_cast<SlowSource*>(self);
        if (s->stalls-- > 0) return {0, ReadStatus::Pending};
        const std::size_t n = std::min(out.size(), s->text.size() - s->offset);
        std::copy(s->text.data() + s->offset, s->text.data() + s->offset + n, out.data());
        s->offset += n;
        return {n, s->offset == s->text.size() ? ReadStatus::End : ReadStatus::Data};
    }
};

struct Session {
    FakeServer server;
    Config config;
    std::vector<char> storage = std::vector<char>(4096);
    std::unique_ptr<Client> client;
    std::vector<std::string> events;
    std::string received_by_engine;  // what on_wire saw arrive
    std::string tls_swallowed;  // what the fake TLS took during its handshake
    std::string body = "Subject: t\r\n\r\n.dot\r\nline\r\n";
    int messages = 1;
    int body_stalls = 0;
    std::vector<std::unique_ptr<SlowSource>> sources;
    const std::string_view rcpt[2] = {"b@example.net", "c@example.net"};

    Session() {
        config.tls = TlsMode::None;
        config.recv_capacity = 16;
    }

    // What the Driver said when it finished.
    TransportFailure failure = TransportFailure::None;
    std::string failure_text, close_problem;
    bool quit_sent = false;
    int tls_shutdowns = 0;
    /// Runs the Driver to the end; the default steps it on a fake clock.
    std::function<void(Driver&)> runner = [](Driver& driver) {
        Millis now = 0;
        for (int i = 0; i < 200000 && !driver.finished(); ++i) {
            driver.step(now);
            now += 1;
        }
    };

    bool tls_fails_on_eof = false;
    const AuthOptions* auth = nullptr;  // set: the Client is made with these
    std::string binding;                // what the fake TLS exports


    void run(bool with_tls = false) {
        const MutableBytes window(storage.data(), storage.size());
        client = auth != nullptr ? std::make_unique<Client>(config, window, *auth) : std::make_unique<Client>(config, window);
        REQUIRE(client->ok());
        DriverHooks hooks;
        hooks.on_event = [&](const Event& e) { events.push_back(to_string(e.type)); };
        hooks.on_wire = [&](Direction d, Bytes b) {
            if (d == Direction::Received) received_by_engine.append(b.data(), b.size());
        };
        hooks.next_message = [&](const Client&, Outgoing& next) {
            if (messages-- <= 0) return false;
            sources.push_back(std::make_unique<SlowSource>(SlowSource{body, body_stalls}));
            next.envelope.from = "a@example.org";
            next.envelope.recipients = Span<const std::string_view>(rcpt, 2);
            next.body = BodySource{&SlowSource::read, sources.back().get()};
            return true;
        };
        std::unique_ptr<TlsBackend> backend;
        FakeTls* tls = nullptr;  // owned by the Driver
        if (with_tls) {
            auto fake = std::make_unique<FakeTls>();
            tls = fake.get();
            fake->fail_on_eof = tls_fails_on_eof;
            fake->binding = binding;
            backend = std::move(fake);
        }
        Driver driver(*client, std::make_unique<FakeTransport>(server), std::move(backend), std::move(hooks));
        runner(driver);
        CHECK(driver.finished());
        failure = driver.transport_failure();
        failure_text = driver.transport_error();
        close_problem = driver.close_problem();
        quit_sent = driver.quit_sent();
        if (tls != nullptr) {
            tls_swallowed = tls->swallowed;
            tls_shutdowns = tls->shutdowns;
        }
    }

    int count(const char* type) const { return int(std::count(events.begin(), events.end(), std::string(type))); }
};

}  // namespace

TEST_CASE("one byte at a time with stalls: two messages, bodies stuffed, QUIT") {
    Session s;
    s.messages = 2;
    s.run();
    CHECK(s.count("message-accepted") == 2);
    CHECK(s.count("closed") == 1);
    REQUIRE(s.server.bodies.size() == 2);
    CHECK(s.server.bodies[0] == "Subject: t\r\n\r\n..dot\r\nline\r\n");
    CHECK(s.server.received.find("QUIT\r\n") != std::string::npos);
}

TEST_CASE("a body source that says Pending is asked again, and the message completes") {
    Session s;
    s.body_stalls = 5;
    s.run();
    CHECK(s.count("message-accepted") == 1);
    REQUIRE(s.server.bodies.size() == 1);
}

TEST_CASE("connection lost after the end of data: outcome unknown, never accepted") {
    Session s;
    s.server.close_at_end_of_data = true;
    s.run();
    CHECK(s.count("message-unknown") == 1);
    CHECK(s.count("message-accepted") == 0);
}

TEST_CASE("STARTTLS: bytes after the 220 go to TLS, never to the engine") {
    Session s;
    s.config.tls = TlsMode::StartTlsRequired;
    s.server.offer_starttls = true;
    s.server.inject_after_starttls = "250 injected\r\n";
    s.run(true);
    CHECK(s.count("start-tls") == 1);
    CHECK(s.count("message-accepted") == 1);
    CHECK(s.received_by_engine.find("injected") == std::string::npos);
    CHECK(s.tls_swallowed == "250 injected\r\n");  // a real TLS library fails the handshake on it
    CHECK(s.client->secure());
}

TEST_CASE("the TLS backend's channel binding reaches the engine: SCRAM-SHA-256-PLUS only with it") {
    const std::string random(16, 'r');
    AuthOptions auth;
    auth.random = as_bytes(random);
    for (const bool bound : {true, false}) {
        Session s;
        s.config.tls = TlsMode::StartTlsRequired;
        s.config.username = "user";
        s.config.password = "pencil";
        s.auth = &auth;
        s.binding = bound ? std::string(32, 'b') : std::string();
        s.server.offer_starttls = true;
        s.server.auth_after_tls = "SCRAM-SHA-256-PLUS";
        s.run(true);
        INFO("binding exported: " << bound);
        // With the binding, Auto picks -PLUS; without it nothing usable is offered (no PLAIN).
        CHECK((s.server.received.find("AUTH SCRAM-SHA-256-PLUS ") != std::string::npos) == bound);
        CHECK(s.count("message-accepted") == 0);
    }
}

TEST_CASE("STARTTLS required but no TLS backend given: the session fails, nothing is submitted") {
    Session s;
    s.config.tls = TlsMode::StartTlsRequired;
    s.server.offer_starttls = true;
    s.run(false);
    CHECK(s.count("error") == 1);
    CHECK(s.server.received.find("MAIL FROM") == std::string::npos);
}

TEST_CASE("a clean end: 221, no transport failure, no close problem") {
    Session s;
    s.run();
    CHECK(s.count("message-accepted") == 1);
    CHECK(s.quit_sent);
    CHECK(s.failure == TransportFailure::None);
    CHECK(s.close_problem.empty());
}

TEST_CASE("a reset, a malformed reply or a close on QUIT after the 250: delivered, only a close problem (item 1)") {
    struct Case {
        bool reset;
        const char* reply;  // "" : FIN instead of a reply
        const char* problem;
    };
    for (const Case c : {Case{true, "221 bye\r\n", ""}, Case{false, "2x1 what\r\n", "after QUIT"},
                         Case{false, "", "before the server answered QUIT"}}) {
        Session s;
        s.server.reset_on_quit = c.reset;
        s.server.quit_reply = c.reply;
        s.run();
        CHECK(s.count("message-accepted") == 1);
        CHECK(s.quit_sent);
        CHECK(s.failure == TransportFailure::None);
        CHECK(s.failure_text.empty());
        CHECK_FALSE(s.close_problem.empty());
        CHECK(s.close_problem.find(c.problem) != std::string::npos);
    }
}

TEST_CASE("TLS: after the 221 the Driver sends close_notify once (item 4)") {
    Session s;
    s.config.tls = TlsMode::StartTlsRequired;
    s.server.offer_starttls = true;
    s.run(true);
    CHECK(s.count("message-accepted") == 1);
    CHECK(s.tls_shutdowns == 1);
    const auto quit = s.server.received.find("QUIT\r\n");
    REQUIRE(quit != std::string::npos);
    CHECK(s.server.received.substr(quit + 6) == "CLOSENOTIFY");
    CHECK(s.close_problem.empty());
}

TEST_CASE("a connection dropped in the TLS handshake is the same temporary failure for FIN and RST (item 8)") {
    for (const auto drop : {FakeServer::Drop::Fin, FakeServer::Drop::Rst}) {
        Session s;
        s.config.tls = TlsMode::StartTlsRequired;
        s.server.offer_starttls = true;
        s.server.drop_in_handshake = drop;
        s.run(true);
        CHECK(s.failure == TransportFailure::Io);
        CHECK(s.tls_shutdowns == 0);  // no close_notify before the handshake ended
        CHECK(s.server.received.find("MAIL FROM") == std::string::npos);
    }
}

namespace {
// Waits like poll(2) with nothing ready a few times (the session gets into
// the body, whose source has nothing yet), then fails as poll can (ENOMEM).
int polls = 0;
int failing_poll(pollfd*, nfds_t, int) {
    if (++polls < 20000) return 0;
    errno = ENOMEM;
    return -1;
}
}  // namespace

TEST_CASE("run_blocking: a poll error ends the session with an outcome, not silently (item 12)") {
    Session s;
    s.body_stalls = 1000000;  // stuck in the body: the loop must wait
    s.runner = [](Driver& driver) { adapters::detail::run_blocking_with(driver, &failing_poll); };
    s.run();
    CHECK(s.failure == TransportFailure::Io);
    CHECK(s.failure_text.find("poll") != std::string::npos);
    CHECK(s.count("message-rejected") == 1);  // before the end of data: not delivered
}

TEST_CASE("TLS: a record failure at the end of the stream is reported, not dropped (item 5)") {
    Session s;
    s.config.tls = TlsMode::StartTlsRequired;
    s.server.offer_starttls = true;
    s.server.close_at_end_of_data = true;
    s.tls_fails_on_eof = true;
    s.run(true);
    CHECK(s.failure == TransportFailure::Tls);
    CHECK(s.failure_text == "fake tls error");
    CHECK(s.count("message-unknown") == 1);  // the end of data went out: may have been delivered
}
