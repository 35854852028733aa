// LMTP (RFC 2033): LHLO without a HELO fallback (§4.1), one reply per
// accepted recipient after the end of data (§4.2), each that recipient's
// outcome, and the message's outcome from all of them. Every transcript is
// replayed at every split (check_transcript).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::plain_config;
using smtpcore::test::run_transcript;

namespace {

Config lmtp_config() {
    Config c = plain_config();
    c.protocol = Protocol::Lmtp;
    return c;
}

// Built when a case uses them (functions, not globals): on the 16 KiB
// Cortex-M0+ board a global std::string takes heap from every case.
std::string lhlo_ready() {
    return R"T(
S: 220 store.example LMTP ready
E: greeting 220
C: LHLO client.example
S: 250-store.example
S: 250-PIPELINING
S: 250 ENHANCEDSTATUSCODES
E: ready
)T";
}

// Three recipients, the second refused at RCPT: two replies after the dot.
std::string three_one_refused() {
    return lhlo_ready() + R"T(
A: submit a@example.org b@example.net c@example.net d@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: RCPT TO:<d@example.net>
C: DATA
S: 250 2.1.0 ok
S: 250 2.1.5 ok
S: 550 5.1.1 no such user
S: 250 2.1.5 ok
S: 354 go
E: recipient 250 2.1.5 #0 b@example.net
E: recipient 550 5.1.1 #1 c@example.net
E: recipient 250 2.1.5 #2 d@example.net
E: body-wanted 354
A: body hello
A: body-end
C: hello
C: .
)T";
}

// The events of a transcript run whole (no split), for the counts the
// transcript's event lines do not print.
std::vector<Event> outcomes_of(const Config& config, const std::vector<std::string>& flights,
                               const std::vector<std::string_view>& to, const char* body) {
    StaticClient<1024> c(config);  // min_storage() under LMTP is 1000 B; small enough for the M0+ stack
    std::vector<Event> seen;
    Envelope mail;
    mail.from = "a@example.org";
    mail.recipients = Span<const std::string_view>(to.data(), to.size());
    std::size_t next = 0;
    std::string pending;  // the rest of a flight the receive window did not take yet
    bool submitted = false;
    for (int round = 0; round < 64 && c.state() != SessionState::Closed && c.state() != SessionState::Failed; ++round) {
        for (Event e = c.next_event(); e.type != EventType::None; e = c.next_event()) {
            if (e.type == EventType::Ready && !submitted) submitted = !c.submit(mail);
            if (e.type == EventType::RecipientOutcome || e.type == EventType::MessageAccepted ||
                e.type == EventType::MessageRejected || e.type == EventType::MessageUnknown)
                seen.push_back(e);
        }
        if (c.state() == SessionState::Body) {
            MutableBytes w = c.body_buf();
            const std::string_view text(body);
            for (std::size_t i = 0; i < text.size(); ++i) w.data()[i] = static_cast<std::uint8_t>(text[i]);
            c.body_ack(text.size());
            c.body_end();
        }
        const Bytes out = c.send_buf();
        c.send_ack(out.size());
        if (!out.empty()) continue;  // answer only once the client has written its flight
        if (!pending.empty()) {
            pending.erase(0, c.feed(pending));  // as much as the receive window takes
        } else if (next < flights.size()) {
            pending = flights[next++];
        } else {
            c.connection_closed();
        }
    }
    for (Event e = c.next_event(); e.type != EventType::None; e = c.next_event())
        if (e.type == EventType::MessageUnknown) seen.push_back(e);
    return seen;
}

}  // namespace

TEST_CASE("lmtp: LHLO opens the session, and a refused LHLO has no HELO fallback (RFC 2033 §4.1)") {
    CHECK(check_transcript(lmtp_config(), lhlo_ready() + R"T(
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T") == "");
    CHECK(check_transcript(lmtp_config(), R"T(
S: 220 store.example LMTP ready
E: greeting 220
C: LHLO client.example
S: 500 5.5.1 unknown command
E: error 500 5.5.1 [refused] "unknown command"
C: QUIT
)T") == "");
}

TEST_CASE("lmtp: one reply per accepted recipient after the dot, each that recipient's outcome (RFC 2033 §4.2)") {
    CHECK(check_transcript(lmtp_config(), three_one_refused() + R"T(
S: 250 2.0.0 <b@example.net> saved
S: 452 4.2.2 <d@example.net> mailbox full
E: recipient-outcome 250 2.0.0 #0 b@example.net
E: recipient-outcome 452 4.2.2 #2 d@example.net temporary "<d@example.net> mailbox full"
E: message-accepted 250 2.0.0
E: ready
)T") == "");
}

TEST_CASE("lmtp: the message outcome says how many recipients took it") {
    const std::vector<std::string_view> to = {"b@example.net", "c@example.net", "d@example.net"};
    const std::vector<std::string> flights = {
        "220 store.example LMTP\r\n",
        "250-store.example\r\n250 PIPELINING\r\n",
        "250 ok\r\n250 ok\r\n550 5.1.1 no\r\n250 ok\r\n354 go\r\n",
        "250 2.0.0 saved\r\n452 4.2.2 full\r\n",
    };
    const std::vector<Event> seen = outcomes_of(lmtp_config(), flights, to, "hello\r\n");
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].type == EventType::RecipientOutcome);
    CHECK(seen[0].recipient == "b@example.net");
    CHECK_FALSE(seen[0].temporary);
    CHECK(seen[1].type == EventType::RecipientOutcome);
    CHECK(seen[1].recipient == "d@example.net");
    CHECK(seen[1].recipient_index == 2);
    CHECK(seen[1].code == 452);
    CHECK(seen[1].temporary);
    CHECK(seen[2].type == EventType::MessageAccepted);
    CHECK(seen[2].accepted_recipients == 1);  // 1 of the 2 accepted at RCPT
}

TEST_CASE("lmtp: every recipient refused after the dot rejects the message, temporary when one reply was") {
    CHECK(check_transcript(lmtp_config(), three_one_refused() + R"T(
S: 550 5.2.2 <b@example.net> over quota
S: 452 4.3.0 <d@example.net> try later
E: recipient-outcome 550 5.2.2 #0 b@example.net permanent "<b@example.net> over quota"
E: recipient-outcome 452 4.3.0 #2 d@example.net temporary "<d@example.net> try later"
E: message-rejected 550 5.2.2 temporary "<b@example.net> over quota"
E: ready
)T") == "");
    CHECK(check_transcript(lmtp_config(), three_one_refused() + R"T(
S: 550 5.2.2 over quota
S: 554 5.6.0 bad content
E: recipient-outcome 550 5.2.2 #0 b@example.net permanent "over quota"
E: recipient-outcome 554 5.6.0 #2 d@example.net permanent "bad content"
E: message-rejected 550 5.2.2 permanent "over quota"
E: ready
)T") == "");
}

TEST_CASE("lmtp: the connection lost between the replies leaves the message unknown, never not sent") {
    CHECK(check_transcript(lmtp_config(), three_one_refused() + R"T(
S: 250 2.0.0 saved
E: recipient-outcome 250 2.0.0 #0 b@example.net
A: close
E: message-unknown "connection lost"
E: error [connection-lost] "connection lost"
)T") == "");
    // The unknown outcome counts the recipients known to have taken it.
    const std::vector<std::string_view> to = {"b@example.net", "c@example.net"};
    const std::vector<Event> seen = outcomes_of(lmtp_config(),
        {"220 s\r\n", "250-s\r\n250 PIPELINING\r\n", "250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n",
         "250 2.0.0 saved\r\n"}, to, "x\r\n");
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].type == EventType::RecipientOutcome);
    CHECK(seen[1].type == EventType::MessageUnknown);
    CHECK(seen[1].accepted_recipients == 1);  // b took it; c may have
}

TEST_CASE("lmtp: the unknown outcome says how many recipients got no reply (EOF after the first of three)") {
    const std::vector<std::string_view> to = {"b@example.net", "c@example.net", "d@example.net"};
    const std::vector<Event> seen = outcomes_of(lmtp_config(),
        {"220 s\r\n", "250-s\r\n250 PIPELINING\r\n", "250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n",
         "250 2.0.0 saved\r\n"}, to, "x\r\n");
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].type == EventType::RecipientOutcome);
    CHECK(seen[0].recipient_index == 0);
    CHECK(seen[1].type == EventType::MessageUnknown);
    CHECK(seen[1].accepted_recipients == 1);  // b took it
    CHECK(seen[1].unknown_recipients == 2);   // c and d may have it
    CHECK(seen[1].recipient_index == 0);      // not an index on an outcome
    // A 421 in place of the second reply: the same count; every reply seen: none unknown.
    const std::vector<Event> cut = outcomes_of(lmtp_config(),
        {"220 s\r\n", "250-s\r\n250 PIPELINING\r\n", "250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n",
         "250 2.0.0 saved\r\n421 4.3.2 bye\r\n"}, to, "x\r\n");
    REQUIRE(cut.size() == 2);
    CHECK(cut[1].type == EventType::MessageUnknown);
    CHECK(cut[1].unknown_recipients == 2);
    const std::vector<Event> all = outcomes_of(lmtp_config(),
        {"220 s\r\n", "250-s\r\n250 PIPELINING\r\n", "250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n",
         "250 ok\r\n550 no\r\n250 ok\r\n"}, to, "x\r\n");
    REQUIRE(all.size() == 4);
    CHECK(all[3].type == EventType::MessageAccepted);
    CHECK(all[3].accepted_recipients == 2);
    CHECK(all[3].unknown_recipients == 0);
}

TEST_CASE("lmtp: a 421 in place of a recipient's reply leaves the message unknown") {
    CHECK(check_transcript(lmtp_config(), three_one_refused() + R"T(
S: 250 2.0.0 saved
S: 421 4.3.2 shutting down
E: recipient-outcome 250 2.0.0 #0 b@example.net
E: message-unknown 421 4.3.2 "shutting down"
E: closed 421 4.3.2 "shutting down"
)T") == "");
}

TEST_CASE("lmtp: MAIL, RCPT and DATA pipelined, then a second message in the same session") {
    CHECK(check_transcript(lmtp_config(), lhlo_ready() + R"T(
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body one
A: body-end
C: one
C: .
S: 250 2.0.0 b saved
S: 250 2.0.0 c saved
E: recipient-outcome 250 2.0.0 #0 b@example.net
E: recipient-outcome 250 2.0.0 #1 c@example.net
E: message-accepted 250 2.0.0
E: ready
A: submit a@example.org d@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<d@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 d@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 250 2.0.0 d saved
E: recipient-outcome 250 2.0.0 #0 d@example.net
E: message-accepted 250 2.0.0
E: ready
)T") == "");
}

TEST_CASE("lmtp: a message submitted ahead goes out behind the dot and its replies follow the first's") {
    CHECK(check_transcript(lmtp_config(), lhlo_ready() + R"T(
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body one
A: body-end
C: one
C: .
A: submit e@example.org f@example.net
C: MAIL FROM:<e@example.org>
C: RCPT TO:<f@example.net>
C: DATA
S: 250 2.0.0 b saved
S: 452 4.2.2 c full
S: 250 ok
S: 250 ok
S: 354 go
E: recipient-outcome 250 2.0.0 #0 b@example.net
E: recipient-outcome 452 4.2.2 #1 c@example.net temporary "c full"
E: message-accepted 250 2.0.0
E: recipient 250 #0 f@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 250 2.0.0 f saved
E: recipient-outcome 250 2.0.0 #0 f@example.net
E: message-accepted 250 2.0.0
E: ready
)T") == "");
}

TEST_CASE("lmtp: no recipient accepted: DATA is refused and nothing is owed after it") {
    CHECK(check_transcript(lmtp_config(), lhlo_ready() + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 550 5.1.1 unknown user
S: 503 5.5.1 no valid recipients
E: recipient 550 5.1.1 #0 b@example.net
C: RSET
S: 250 ok
E: message-rejected permanent "no recipient was accepted"
E: ready
)T") == "");
}

TEST_CASE("lmtp: BDAT is not used, even when the server offers CHUNKING; chunking Always is refused") {
    CHECK(check_transcript(lmtp_config(), R"T(
S: 220 store.example LMTP
E: greeting 220
C: LHLO client.example
S: 250-store.example
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
A: body x
A: body-end
C: x
C: .
S: 250 2.0.0 saved
E: recipient-outcome 250 2.0.0 #0 b@example.net
E: message-accepted 250 2.0.0
E: ready
)T") == "");
    Config always = lmtp_config();
    always.chunking = ChunkingPolicy::Always;
    StaticClient<2048> c(always);
    CHECK_FALSE(c.ok());
    CHECK(c.last_error().kind == ErrorKind::Misuse);
}

TEST_CASE("lmtp: more recipients than the replies the engine can track are refused at submit()") {
    Config config = lmtp_config();
    config.limits.commands_in_flight = 4;
    const std::string transcript = R"T(
S: 220 store.example LMTP
E: greeting 220
C: LHLO client.example
S: 250 store.example
E: ready
A: submit a@example.org b@example.net c@example.net d@example.net e@example.net f@example.net
R: invalid-input
)T";
    const test::RunResult r = run_transcript(config, transcript);
    bool refused = false;
    for (const std::string& line : r.log) refused = refused || line.rfind("R: invalid-input", 0) == 0;
    CHECK(refused);
    CHECK(r.wire.find("MAIL") == std::string::npos);
}

TEST_CASE("lmtp: SMTP is the default and is unchanged: EHLO, one reply to the dot") {
    CHECK(check_transcript(plain_config(), R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: recipient 250 #1 c@example.net
E: body-wanted 354
A: body x
A: body-end
C: x
C: .
S: 250 2.0.0 queued
E: message-accepted 250 2.0.0
E: ready
)T") == "");
}

TEST_CASE("lmtp: the replies find their recipients past the first eight (the accepted set is a bitmap)") {
    const std::vector<std::string_view> to = {"r0@example.net", "r1@example.net", "r2@example.net", "r3@example.net",
                                              "r4@example.net", "r5@example.net", "r6@example.net", "r7@example.net",
                                              "r8@example.net", "r9@example.net"};
    std::string rcpt_replies;
    for (std::size_t i = 0; i < to.size(); ++i) rcpt_replies += (i == 1 || i == 9) ? "250 ok\r\n" : "550 no\r\n";
    const std::vector<Event> seen = outcomes_of(lmtp_config(), {"220 s\r\n", "250-s\r\n250 PIPELINING\r\n",
        "250 ok\r\n" + rcpt_replies + "354 go\r\n", "452 4.2.2 full\r\n250 2.0.0 saved\r\n"}, to, "x\r\n");
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].recipient_index == 1);
    CHECK(seen[0].recipient == "r1@example.net");
    CHECK(seen[0].temporary);
    CHECK(seen[1].recipient_index == 9);
    CHECK(seen[1].recipient == "r9@example.net");
    CHECK(seen[2].type == EventType::MessageAccepted);
    CHECK(seen[2].accepted_recipients == 1);
    CHECK(seen[2].code == 250);  // the outcome reports the first 2xx reply
}
