// Several messages in flight (Limits::messages_in_flight > 1, BDAT with
// PIPELINING): each message submitted ahead starts its content as soon as its
// envelope is written behind the previous BDAT LAST. Outcomes still arrive in
// order, one per message, whatever ends the session. Every dialogue replays
// at every split (check_transcript), zero allocations.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;

namespace {

Config in_flight(std::uint8_t messages) {
    Config c = smtpcore::test::plain_config();
    c.limits.messages_in_flight = messages;
    return c;
}

// Message i (0, 1, 2 ...) submitted and, with `ended`, its body "one",
// "two", "thr" written and BDAT LAST out; else only the envelope and BodyWanted.
std::string sent(int i, bool ended = true) {
    const std::string from = std::string(1, char('a' + 2 * i)) + "@example.org";
    const std::string to = std::string(1, char('b' + 2 * i)) + "@example.net";
    const std::string body = i == 0 ? "one" : i == 1 ? "two" : "thr";
    std::string t = "A: submit " + from + " " + to + "\nE: body-wanted\nC: MAIL FROM:<" + from + ">\nC: RCPT TO:<" + to + ">\n";
    if (ended) t += "A: body " + body + "\nA: body-end\nC: BDAT 5 LAST\nC: " + body + "\n";
    return t;
}

// The replies to message i's MAIL, RCPT and BDAT LAST, all 250, and their events.
std::string accepted(int i) {
    const std::string to = std::string(1, char('b' + 2 * i)) + "@example.net";
    return "S: 250 ok\nS: 250 ok\nS: 250 queued\nE: recipient 250 #0 " + to + "\nE: message-accepted 250\n";
}

// Two messages written before any reply, BDAT LAST handed out for both;
// then a third whose body has begun ("thr" in a chunk not yet sized).
const std::string kTwoOut = smtpcore::test::bdat_ready() + sent(0) + sent(1);
const std::string kThreeInFlight = kTwoOut + sent(2, false) + "A: body thr\n";

}  // namespace

TEST_CASE("in flight: the next message's content follows its envelope at once; both accepted, in order") {
    CHECK(check_transcript(in_flight(2), kTwoOut + accepted(0) + accepted(1) + "E: ready\n") == "");
}

TEST_CASE("in flight: message k refused at BDAT LAST, k+1 already out: k rejected, k+1 accepted, no RSET") {
    CHECK(check_transcript(in_flight(2), kTwoOut + R"T(S: 250 ok
S: 250 ok
S: 554 5.7.1 spam
E: recipient 250 #0 b@example.net
E: message-rejected 554 5.7.1 permanent "spam"
)T" + accepted(1) + "E: ready\n") == "");
}

TEST_CASE("in flight: the oldest accepted while the next one's body still flows; it becomes current in Body") {
    CHECK(check_transcript(in_flight(2), smtpcore::test::bdat_ready() + sent(0) + sent(1, false) + "A: body tw\n" + accepted(0) + R"T(A: body o
A: body-end
C: BDAT 5 LAST
C: two
)T" + accepted(1) + "E: ready\n") == "");
}

TEST_CASE("in flight: connection lost: unknown for each message whose BDAT LAST left, rejected for the rest") {
    CHECK(check_transcript(in_flight(3), kThreeInFlight + R"T(A: close
E: message-unknown "connection lost"
E: message-unknown "connection lost"
E: message-rejected temporary "connection lost"
E: error [connection-lost] "connection lost"
)T") == "");
}

TEST_CASE("in flight: connection lost after the first outcome: the rest settle in order") {
    CHECK(check_transcript(in_flight(3), kThreeInFlight + accepted(0) + R"T(A: close
E: message-unknown "connection lost"
E: message-rejected temporary "connection lost"
E: error [connection-lost] "connection lost"
)T") == "");
}

TEST_CASE("in flight: a 421 to the oldest's BDAT LAST: it is rejected with the 421, the ones behind temporary") {
    CHECK(check_transcript(in_flight(3), kThreeInFlight + R"T(S: 250 ok
S: 250 ok
S: 421 4.3.2 shutting down
E: recipient 250 #0 b@example.net
E: message-rejected 421 4.3.2 temporary "shutting down"
E: message-rejected temporary "server is closing the connection (421)"
E: message-rejected temporary "server is closing the connection (421)"
E: closed 421 4.3.2 "shutting down"
)T") == "");
}

TEST_CASE("in flight: a timeout: unknown for each message whose BDAT LAST left, rejected for the rest") {
    CHECK(check_transcript(in_flight(3), kTwoOut + sent(2, false) + R"T(A: time 1000
A: time 601000
E: message-unknown "no progress in time (RFC 5321 §4.5.3.2)"
E: message-unknown "no progress in time (RFC 5321 §4.5.3.2)"
E: message-rejected temporary "no progress in time (RFC 5321 §4.5.3.2)"
E: error [timeout] "no progress in time (RFC 5321 §4.5.3.2)"
)T") == "");
}

TEST_CASE("in flight: a message submitted ahead beyond the limit waits with its envelope only, then starts") {
    // Two in flight: the third message's MAIL and RCPT go out behind the
    // second BDAT LAST, but its content waits for the first outcome.
    CHECK(check_transcript(in_flight(2), kTwoOut + R"T(A: submit e@example.org f@example.net
C: MAIL FROM:<e@example.org>
C: RCPT TO:<f@example.net>
A: submit g@example.org h@example.net
R: misuse "submit() needs Ready, or the body of the message in flight ended" at data-end
)T" + accepted(0) + R"T(E: body-wanted
A: body thr
A: body-end
C: BDAT 5 LAST
C: thr
)T" + accepted(1) + accepted(2) + "E: ready\n") == "");
}
