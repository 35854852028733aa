// Round trips per message, counted from transcripts (client flights: runs of
// C: lines between server flights). RFC 2920 §3.1 lets MAIL, RCPT and DATA
// share one flight, and lets message content open a group: with the next
// message submitted ahead (right after body_end()), message k's body and end
// of data and message k+1's MAIL, RCPT and DATA are one flight.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::count_client_flights;
using smtpcore::test::plain_config;
using smtpcore::test::run_transcript;

namespace {

// A batch of `n` one-recipient messages; with PIPELINING the envelope is one flight.
std::string batch(int n, bool pipelining) {
    std::string t = "S: 220 mx ESMTP\nE: greeting 220\nC: EHLO client.example\n";
    t += pipelining ? "S: 250-mx\nS: 250 PIPELINING\nE: ready\n" : "S: 250 mx\nE: ready\n";
    for (int i = 0; i < n; ++i) {
        t += "A: submit a@example.org b@example.net\nC: MAIL FROM:<a@example.org>\n";
        t += pipelining ? "C: RCPT TO:<b@example.net>\nC: DATA\nS: 250 ok\nS: 250 ok\nS: 354 go\n"
                          "E: recipient 250 #0 b@example.net\nE: body-wanted 354\n"
                        : "S: 250 ok\nC: RCPT TO:<b@example.net>\nS: 250 ok\nE: recipient 250 #0 b@example.net\n"
                          "C: DATA\nS: 354 go\nE: body-wanted 354\n";
        t += "A: body hello\nA: body-end\nC: hello\nC: .\nS: 250 queued\nE: message-accepted 250\nE: ready\n";
    }
    return t;
}

// Client flights of the batch of 10, less the EHLO flight.
// The same batch, each next message submitted as soon as the previous body ended.
std::string batch_ahead(int n) {
    std::string t = "S: 220 mx ESMTP\nE: greeting 220\nC: EHLO client.example\nS: 250-mx\nS: 250 PIPELINING\nE: ready\n";
    t += "A: submit a@example.org b@example.net\nC: MAIL FROM:<a@example.org>\nC: RCPT TO:<b@example.net>\nC: DATA\n";
    t += "S: 250 ok\nS: 250 ok\nS: 354 go\nE: recipient 250 #0 b@example.net\nE: body-wanted 354\n";
    for (int i = 0; i < n; ++i) {
        t += "A: body hello\nA: body-end\nC: hello\nC: .\n";
        if (i + 1 < n) {
            t += "A: submit a@example.org b@example.net\nC: MAIL FROM:<a@example.org>\nC: RCPT TO:<b@example.net>\nC: DATA\n";
            t += "S: 250 queued\nS: 250 ok\nS: 250 ok\nS: 354 go\n";
            t += "E: message-accepted 250\nE: recipient 250 #0 b@example.net\nE: body-wanted 354\n";
        } else {
            t += "S: 250 queued\nE: message-accepted 250\nE: ready\n";
        }
    }
    return t;
}

int batch_flights(bool pipelining) {
    const std::string t = batch(10, pipelining);
    const auto r = run_transcript(plain_config(), t);
    CHECK(r.log == smtpcore::test::parse_transcript(t));
    return count_client_flights(r.log) - 1;
}

}  // namespace

TEST_CASE("flights: a batch of 10 with PIPELINING takes 2 flights per message (envelope, body)") {
    CHECK(batch_flights(true) == 2 * 10);
}

TEST_CASE("flights: a batch of 10 without PIPELINING takes 4 flights per message") {
    CHECK(batch_flights(false) == 4 * 10);
}

TEST_CASE("flights: the batch replays at every split") {
    CHECK(check_transcript(plain_config(), batch(3, true)) == "");
    CHECK(check_transcript(plain_config(), batch(2, false)) == "");
}

TEST_CASE("flights: a batch of 10 submitted ahead takes 1 flight per message in steady state") {
    const std::string t = batch_ahead(10);
    const auto r = run_transcript(plain_config(), t);
    CHECK(r.log == smtpcore::test::parse_transcript(t));
    // EHLO, the first envelope, then one flight per message (body k + envelope k+1).
    CHECK(count_client_flights(r.log) == 2 + 10);
    CHECK(check_transcript(plain_config(), batch_ahead(3)) == "");
}

namespace {

// The same batch with BDAT (RFC 3030): no DATA and no 354, so one message's
// MAIL, RCPT and BDAT LAST are one flight even one at a time.
std::string bdat_batch(int n, bool pipelining) {
    std::string t = "S: 220 mx ESMTP\nE: greeting 220\nC: EHLO client.example\n";
    t += pipelining ? "S: 250-mx\nS: 250-PIPELINING\nS: 250 CHUNKING\nE: ready\n" : "S: 250-mx\nS: 250 CHUNKING\nE: ready\n";
    for (int i = 0; i < n; ++i) {
        t += "A: submit a@example.org b@example.net\n";
        t += pipelining ? "E: body-wanted\nC: MAIL FROM:<a@example.org>\nC: RCPT TO:<b@example.net>\n"
                        : "C: MAIL FROM:<a@example.org>\nS: 250 ok\nC: RCPT TO:<b@example.net>\nS: 250 ok\n"
                          "E: recipient 250 #0 b@example.net\nE: body-wanted\n";
        t += "A: body hello\nA: body-end\nC: BDAT 7 LAST\nC: hello\n";
        t += pipelining ? "S: 250 ok\nS: 250 ok\nS: 250 queued\nE: recipient 250 #0 b@example.net\n" : "S: 250 queued\n";
        t += "E: message-accepted 250\nE: ready\n";
    }
    return t;
}

int bdat_batch_flights(bool pipelining) {
    const std::string t = bdat_batch(10, pipelining);
    const auto r = run_transcript(plain_config(), t);
    CHECK(r.log == smtpcore::test::parse_transcript(t));
    return count_client_flights(r.log) - 1;
}

}  // namespace

TEST_CASE("flights: a BDAT batch of 10 with PIPELINING takes 1 flight per message, one at a time") {
    // Not the 2 flights for the whole batch that several messages in flight
    // would give: message k+1's body waits for k's BDAT LAST reply (not built).
    CHECK(bdat_batch_flights(true) == 10);
    CHECK(check_transcript(plain_config(), bdat_batch(3, true)) == "");
}

TEST_CASE("flights: a BDAT batch of 10 without PIPELINING takes 3 flights per message (MAIL, RCPT, BDAT LAST)") {
    CHECK(bdat_batch_flights(false) == 3 * 10);
    CHECK(check_transcript(plain_config(), bdat_batch(2, false)) == "");
}

namespace {

// A greedy host against a small CHUNKING+PIPELINING server: the host submits
// each next message as soon as can_submit() allows, writes each body as soon
// as it is wanted, and the server answers only once the client has nothing
// more to send. What is counted is the engine's own behaviour, not a script.
struct ChunkingServer {
    std::string unread;  // client octets not yet parsed
    // Answers every complete command received; "" when none is complete.
    std::string answer() {
        std::string out;
        for (;;) {
            const std::size_t eol = unread.find("\r\n");
            if (eol == std::string::npos) return out;
            const std::string line = unread.substr(0, eol);
            std::size_t used = eol + 2;
            if (line.rfind("BDAT ", 0) == 0) {
                const std::size_t size = std::stoul(line.substr(5));
                if (unread.size() < used + size) return out;
                used += size;
            }
            unread.erase(0, used);
            out += line.rfind("EHLO", 0) == 0 ? "250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n" : "250 ok\r\n";
        }
    }
};

struct BatchResult {
    int flights = 0;  // client flights after the EHLO flight
    int accepted = 0;
    int outcomes = 0;
};

BatchResult greedy_bdat_batch(int n, std::uint8_t messages_in_flight) {
    Config config = smtpcore::test::plain_config();
    config.limits.messages_in_flight = messages_in_flight;
    StaticClient<2048> client(config);
    REQUIRE(client.ok());
    const std::string_view rcpt[] = {"b@example.net"};
    Envelope envelope;
    envelope.from = "a@example.org";
    envelope.recipients = Span<const std::string_view>(rcpt, 1);
    ChunkingServer server;
    std::string input = "220 mx ESMTP\r\n";
    BatchResult result;
    int submitted = 0;
    bool body_wanted = false;
    int client_flights = 0;
    for (int round = 0; round < 200 && result.outcomes < n && client.ok(); ++round) {
        bool wrote = false;
        for (bool progress = true; progress;) {
            progress = false;
            for (Event e = client.next_event(); e.type != EventType::None; e = client.next_event()) {
                if (e.type == EventType::BodyWanted) body_wanted = true;
                if (e.type == EventType::MessageAccepted) ++result.accepted;
                if (e.type == EventType::MessageAccepted || e.type == EventType::MessageRejected ||
                    e.type == EventType::MessageUnknown)
                    ++result.outcomes;
            }
            if (!input.empty()) {
                const std::size_t taken = client.feed(input);
                input.erase(0, taken);
                progress = progress || taken > 0;
            }
            if (submitted < n && client.can_submit() && !client.submit(envelope)) {
                ++submitted;
                progress = true;
            }
            if (body_wanted) {
                const MutableBytes window = client.body_buf();
                if (window.size() >= 7) {
                    std::memcpy(window.data(), "hello\r\n", 7);
                    client.body_ack(7);
                    client.body_end();
                    body_wanted = false;
                    progress = true;
                }
            }
            const Bytes out = client.send_buf();
            if (!out.empty()) {
                server.unread.append(reinterpret_cast<const char*>(out.data()), out.size());
                client.send_ack(out.size());
                wrote = progress = true;
            }
        }
        if (wrote) ++client_flights;
        if (input.empty()) input = server.answer();
        if (input.empty() && !wrote) break;  // neither side can move
    }
    result.flights = client_flights - 1;
    return result;
}

}  // namespace

TEST_CASE("flights: a BDAT batch of 10 submitted ahead takes <= 2 flights") {
    // Limits::messages_in_flight = 10: every message's content follows its
    // envelope at once, so all ten leave in the flight after EHLO's reply.
    const BatchResult r = greedy_bdat_batch(10, 10);
    INFO("client flights for 10 BDAT messages submitted ahead: " << r.flights);
    CHECK(r.outcomes == 10);
    CHECK(r.accepted == 10);
    CHECK(r.flights <= 2);
}

TEST_CASE("flights: one message in flight (the default) costs a flight per message") {
    // The default keeps today's behaviour: the next body starts only after
    // the previous final reply.
    const BatchResult r = greedy_bdat_batch(10, 1);
    CHECK(r.outcomes == 10);
    CHECK(r.accepted == 10);
    CHECK(r.flights == 10);
}

TEST_CASE("flights: with 3 in flight a batch of 10 takes 4 flights") {
    const BatchResult r = greedy_bdat_batch(10, 3);
    CHECK(r.outcomes == 10);
    CHECK(r.accepted == 10);
    CHECK(r.flights == 4);
}
