// Round trips per message, counted from transcripts (client flights: runs of
// C: lines between server flights). RFC 2920 §3.1 lets MAIL, RCPT and DATA
// share one flight, and lets message content open a group: with the next
// message submitted ahead (right after body_end()), message k's body and end
// of data and message k+1's MAIL, RCPT and DATA are one flight.
#include <doctest/doctest.h>

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
