// The invariant checker itself (tests/support/checked_session.*), which the
// property tests and the session fuzzer trust: it must accept every session
// the contract allows. Here: send_buf() hands bytes out, and an asynchronous
// host may learn of a failure before it writes them (client.hpp, send_buf()),
// so BDAT LAST handed out but not yet written makes MessageUnknown the right
// outcome (RFC 5321 §6.1) — the checker once misjudged this whenever the
// message's first chunk lay beyond the bytes written, and the property test
// "commands in flight" failed for it.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "checked_session.hpp"
#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::CheckedSession;

namespace {

constexpr std::string_view kChunkingEhlo = "250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n";

CheckedSession::Submission submission(int recipients) {
    CheckedSession::Submission s{"a@example.org", {}};
    for (int i = 0; i < recipients; ++i) s.recipients.push_back("r" + std::to_string(i) + "@example.net");
    return s;
}

enum class Failure { ConnectionLost, MailAnsweredWith354 };

// One session: greeting and EHLO written in full; then every line is handed
// out by send_buf() as soon as it exists, but only some of it is written
// before a reply comes: `written_first` octets before the first message's
// replies (with a message submitted ahead, which then starts its body), and
// `written` more before the failure. Returns the checker's verdict ("" when
// it holds) and the last message's outcome.
struct Verdict {
    std::string violation;
    CheckedSession::Outcome outcome;
    std::size_t first = 0;    // octets handed out and not written before the first replies
    std::size_t pending = 0;  // ... and before the failure
};

Verdict run(bool ahead, std::size_t written_first, std::size_t written, Failure failure,
            std::uint8_t commands_in_flight) {
    Config config = smtpcore::test::plain_config();
    config.limits.commands_in_flight = commands_in_flight;
    CheckedSession s(config, 2048, &smtpcore::test::allocation_count);
    s.feed("220 mx ESMTP\r\n");
    s.drain();
    s.ack(~std::size_t(0));  // EHLO
    s.feed(kChunkingEhlo);
    s.drain();               // greeting, ready
    std::uint32_t submitted = 0;
    auto submit_one = [&](int recipients) {
        if (!s.submit(submission(recipients))) ++submitted;
        s.drain();           // body-wanted at once: BDAT needs no 354
        REQUIRE(s.in_body());
        REQUIRE(!s.body_end());  // an empty body: "BDAT 0 LAST"
    };
    Verdict v;
    submit_one(1);
    if (ahead) {
        REQUIRE(s.client().can_submit());
        REQUIRE(!s.submit(submission(2)));
        ++submitted;
        s.hand_out();
        v.first = s.client().send_buf().size();
        s.ack(std::min(written_first, v.first));
        s.feed("250 ok\r\n250 ok\r\n250 queued\r\n");  // the first message's replies
        s.drain();           // ..., message-accepted, body-wanted for the second
        REQUIRE(s.in_body());
        REQUIRE(!s.body_end());
    }
    s.hand_out();
    v.pending = s.client().send_buf().size();
    s.ack(std::min(written, v.pending));
    if (failure == Failure::ConnectionLost) {
        s.connection_closed();
    } else {
        s.feed("354 what\r\n");  // a broken server: a 3xx to MAIL (PeerViolation)
    }
    s.finish();
    v.violation = s.violation();
    v.outcome = s.outcome(submitted);
    return v;
}

}  // namespace

TEST_CASE("checker: BDAT LAST handed out but not written, then the session fails: unknown is right") {
    // The property test's shrunk case: a second message submitted ahead with
    // two recipients, part of its envelope written when the first message's
    // replies come, its MAIL answered 354 (EHLO was 21 octets of its 151).
    const Verdict shrunk = run(true, 130, 0, Failure::MailAnsweredWith354, 4);
    CHECK(shrunk.violation == "");
    CHECK(shrunk.outcome.type == EventType::MessageUnknown);

    // Replayed at every split of what was written before each reply, for
    // one message and for one submitted ahead, both ways the session fails.
    for (const Failure failure : {Failure::ConnectionLost, Failure::MailAnsweredWith354}) {
        for (const bool ahead : {false, true}) {
            const std::size_t first = ahead ? run(true, 0, 0, failure, 8).first : 0;
            for (std::size_t written_first = 0; written_first <= first; ++written_first) {
                const std::size_t rest = run(ahead, written_first, 0, failure, 8).pending;
                REQUIRE(rest > 0);
                for (std::size_t written = 0; written <= rest; ++written) {
                    CAPTURE(ahead);
                    CAPTURE(written_first);
                    CAPTURE(written);
                    CAPTURE(int(failure));
                    const Verdict v = run(ahead, written_first, written, failure, 8);
                    CHECK(v.violation == "");
                    // Whatever was written, BDAT 0 LAST was handed out: the server may have it.
                    CHECK(v.outcome.type == EventType::MessageUnknown);
                }
            }
        }
    }
}

namespace {

// Three messages in flight (Limits::messages_in_flight = 3): the first two
// BDAT LAST handed out, the third's body flowing; then the session fails
// after `replies` of the first message's three replies, written or not.
struct ThreeVerdict {
    std::string violation;
    CheckedSession::Outcome outcome[3];
};

ThreeVerdict run_three(std::size_t written, Failure failure) {
    Config config = smtpcore::test::plain_config();
    config.limits.messages_in_flight = 3;
    CheckedSession s(config, 2048, &smtpcore::test::allocation_count);
    s.feed("220 mx ESMTP\r\n");
    s.drain();
    s.ack(~std::size_t(0));
    s.feed(kChunkingEhlo);
    s.drain();
    for (int i = 0; i < 3; ++i) {
        REQUIRE(s.client().can_submit());
        REQUIRE(!s.submit(submission(1)));
        s.drain();  // body-wanted at once, for the oldest and for those behind it
        REQUIRE(s.in_body());
        REQUIRE(s.body("hi\r\n") == 4);
        if (i < 2) REQUIRE(!s.body_end());
    }
    s.hand_out();
    s.ack(written);
    if (failure == Failure::ConnectionLost) {
        s.connection_closed();
    } else {
        s.feed("354 what\r\n");
    }
    s.finish();
    ThreeVerdict v;
    v.violation = s.violation();
    for (std::uint32_t n = 1; n <= 3; ++n) v.outcome[n - 1] = s.outcome(n);
    return v;
}

}  // namespace

TEST_CASE("checker: several messages in flight, each with one outcome in order; unknown only once BDAT LAST left") {
    // The checker once took a BodyWanted for a message behind the current
    // one for a violation ("BodyWanted for no message in flight"), and wrote
    // the later bodies into the oldest message's record.
    for (const Failure failure : {Failure::ConnectionLost, Failure::MailAnsweredWith354}) {
        for (std::size_t written = 0; written <= 160; written += 7) {
            CAPTURE(written);
            CAPTURE(int(failure));
            const ThreeVerdict v = run_three(written, failure);
            CHECK(v.violation == "");
            CHECK(v.outcome[0].type == EventType::MessageUnknown);
            CHECK(v.outcome[1].type == EventType::MessageUnknown);
            CHECK(v.outcome[2].type == EventType::MessageRejected);
            CHECK(v.outcome[2].temporary);
        }
    }
}
