// Messages submitted ahead (pipelined across messages, RFC 2920 §3.1) against
// the model server: the same plans give every message the same outcome as
// when they are sent one at a time, except that a message submitted ahead of
// a session's end is rejected (it never had its end of data); and any split
// of input, acknowledgements and body gives the same session.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "generators.hpp"

using namespace smtpcore;
using namespace smtpcore::test;

namespace {

struct Run {
    std::vector<CheckedSession::Outcome> outcomes;  // per submitted message
    std::vector<std::string> events;
    std::string wire;
};

CheckedSession::Submission submission(const MessagePlan& m) {
    CheckedSession::Submission sub{"a@example.org", {}};
    for (std::size_t i = 0; i < m.rcpt.size(); ++i) sub.recipients.push_back("r" + std::to_string(i) + "@x.example");
    return sub;
}

Run run(const Config& config, const ServerPlan& server, const std::vector<MessagePlan>& messages,
        const Chunking& chunking, bool ahead) {
    ModelServer model(server);
    CheckedSession s(config, 2048, &allocation_count);
    Dialogue dialogue(s, model, chunking);
    std::vector<std::string> bodies;  // by message number
    std::size_t next = 0;
    auto submit_next = [&] {
        model.expect(messages[next]);
        const Error refused = s.submit(submission(messages[next]));
        RC_ASSERT(!refused);
        bodies.push_back(messages[next].body);
        ++next;
    };
    dialogue.bodies = &bodies;
    if (ahead) {
        dialogue.after_body_end = [&] {
            if (next < messages.size() && s.client().can_submit()) submit_next();
        };
    }
    dialogue.run_until_idle("");
    while (next < messages.size() && s.client().state() == SessionState::Ready) {
        submit_next();
        dialogue.run_until_idle("");
    }
    if (s.client().state() == SessionState::Ready) {
        s.quit();
        dialogue.run_until_idle("");
    }
    s.finish();
    if (!s.ok()) RC_FAIL(s.violation());
    Run r{{}, s.events(), s.wire()};
    for (std::size_t i = 1; i <= next; ++i) r.outcomes.push_back(s.outcome(static_cast<std::uint32_t>(i)));
    return r;
}

Config config_for(RecipientPolicy policy) {
    Config config;
    config.client_name = "client.example";
    config.tls = TlsMode::None;
    config.recipients = policy;
    return config;
}

}  // namespace

TEST_CASE("property: submitted ahead, every message has the outcome it has one at a time") {
    CHECK(rc::check("pipelined across messages", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        const Config config = config_for(*rc::gen::element(RecipientPolicy::AnyAccepted, RecipientPolicy::AllRequired));
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 6); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run single = run(config, server, messages, Chunking{}, false);
        const Run ahead = run(config, server, messages, *gen::chunking(), true);
        RC_ASSERT(ahead.outcomes.size() >= single.outcomes.size());
        for (std::size_t i = 0; i < single.outcomes.size(); ++i) {
            // BDAT: a broken reply before or after BDAT LAST left (timing): unknown or rejected.
            const bool unknown_or_rejected =
                server.chunking && (ahead.outcomes[i].type == EventType::MessageUnknown) !=
                                       (single.outcomes[i].type == EventType::MessageUnknown);
            if (unknown_or_rejected) {
                const auto& other = ahead.outcomes[i].type == EventType::MessageUnknown ? single.outcomes[i] : ahead.outcomes[i];
                RC_ASSERT(other.type == EventType::MessageRejected && other.temporary && other.code == 0);
                continue;
            }
            RC_ASSERT(ahead.outcomes[i].type == single.outcomes[i].type);
            RC_ASSERT(ahead.outcomes[i].code == single.outcomes[i].code);
            RC_ASSERT(ahead.outcomes[i].temporary == single.outcomes[i].temporary);
            RC_ASSERT(ahead.outcomes[i].accepted == single.outcomes[i].accepted);
        }
        // The first message accepted and another behind it: the second was
        // submitted ahead, so one Ready fewer came (no round trip between).
        auto readies = [](const Run& r) {
            std::size_t n = 0;
            for (const std::string& e : r.events) n += e.rfind("ready", 0) == 0 ? 1 : 0;
            return n;
        };
        if (messages.size() >= 2 && !single.outcomes.empty() && single.outcomes[0].type == EventType::MessageAccepted)
            RC_ASSERT(readies(ahead) < readies(single));
        // At most one more: submitted ahead when the session ended; never sent.
        RC_ASSERT(ahead.outcomes.size() <= single.outcomes.size() + 1);
        if (ahead.outcomes.size() > single.outcomes.size()) {
            RC_ASSERT(ahead.outcomes.back().type == EventType::MessageRejected);
            RC_ASSERT(ahead.outcomes.back().code == 0);
        }
    }));
}

TEST_CASE("property: submitted ahead, any split gives the same session") {
    CHECK(rc::check("pipelined split invariance", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        const Config config = config_for(*rc::gen::element(RecipientPolicy::AnyAccepted, RecipientPolicy::AllRequired));
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 5); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run whole = run(config, server, messages, Chunking{}, true);
        const Run split = run(config, server, messages, *gen::chunking(), true);
        if (server.chunking && !clean_session(whole.events)) {  // see test_split_invariance.cpp
            RC_ASSERT(outcomes_agree(whole.events, split.events, true));
            return;
        }
        RC_ASSERT(whole.events == split.events);
        RC_ASSERT(whole.wire == split.wire);
    }));
}

TEST_CASE("property: any bound on the commands in flight gives the same session when the server takes everything") {
    // The queue of outstanding commands (Limits::commands_in_flight) only
    // delays lines until replies pop records. When every message goes
    // through, what is said and every outcome do not depend on the bound.
    // (After a refusal they may: a wide queue has pipelined lines a narrow
    // one held back, and a model server may close on a DATA that follows a
    // refused MAIL. The checker still holds every run to one outcome per message.)
    CHECK(rc::check("commands in flight", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        const Config roomy = config_for(*rc::gen::element(RecipientPolicy::AnyAccepted, RecipientPolicy::AllRequired));
        Config bounded = roomy;
        bounded.limits.commands_in_flight = *rc::gen::inRange<std::uint8_t>(1, 6);
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 5); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run wide = run(roomy, server, messages, Chunking{}, true);
        const Run narrow = run(bounded, server, messages, *gen::chunking(), true);
        bool all_accepted = wide.outcomes.size() == messages.size();
        for (const auto& o : wide.outcomes) all_accepted = all_accepted && o.type == EventType::MessageAccepted;
        RC_CLASSIFY(all_accepted, "every message accepted");
        if (!all_accepted) return;
        RC_ASSERT(narrow.outcomes.size() == wide.outcomes.size());
        for (std::size_t i = 0; i < wide.outcomes.size(); ++i) {
            RC_ASSERT(narrow.outcomes[i].type == EventType::MessageAccepted);
            RC_ASSERT(narrow.outcomes[i].code == wide.outcomes[i].code);
        }
        RC_ASSERT(narrow.wire == wide.wire);
    }));
}

TEST_CASE("property: any number of messages in flight gives the same session when the server takes everything") {
    // Limits::messages_in_flight only lets the next message's content leave
    // before the previous final reply: the octets on the wire, in order, and
    // every outcome are those of one message at a time.
    CHECK(rc::check("messages in flight, all accepted", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        const Config one = config_for(RecipientPolicy::AnyAccepted);
        Config several = one;
        several.limits.messages_in_flight = *rc::gen::inRange<std::uint8_t>(2, 7);
        several.limits.commands_in_flight = *rc::gen::element<std::uint8_t>(4, 16, 64);
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 7); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run single = run(one, server, messages, Chunking{}, true);
        const Run many = run(several, server, messages, *gen::chunking(), true);
        bool all_accepted = single.outcomes.size() == messages.size();
        for (const auto& o : single.outcomes) all_accepted = all_accepted && o.type == EventType::MessageAccepted;
        RC_CLASSIFY(all_accepted, "every message accepted");
        RC_CLASSIFY(server.chunking, "BDAT");
        if (!all_accepted) return;
        RC_ASSERT(many.outcomes.size() == single.outcomes.size());
        for (std::size_t i = 0; i < single.outcomes.size(); ++i) {
            RC_ASSERT(many.outcomes[i].type == EventType::MessageAccepted);
            RC_ASSERT(many.outcomes[i].code == single.outcomes[i].code);
        }
        RC_ASSERT(many.wire == single.wire);
    }));
}

TEST_CASE("property: several messages in flight, each message has its one-at-a-time outcome until the session ends") {
    // A refusal of message k does not disturb those behind it. When the
    // session ends at message k, the ones behind it whose BDAT LAST left are
    // unknown, the others rejected (temporary, no code); the checker holds
    // every run to one outcome per message, in order.
    CHECK(rc::check("messages in flight, outcomes", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        const Config one = config_for(RecipientPolicy::AnyAccepted);
        Config several = one;
        several.limits.messages_in_flight = *rc::gen::inRange<std::uint8_t>(2, 7);
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 7); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run single = run(one, server, messages, Chunking{}, false);
        const Run many = run(several, server, messages, *gen::chunking(), true);
        RC_ASSERT(many.outcomes.size() >= single.outcomes.size());
        auto unsent_or_unknown = [](const CheckedSession::Outcome& o) {
            return o.type == EventType::MessageUnknown ||
                   (o.type == EventType::MessageRejected && o.temporary && o.code == 0);
        };
        for (std::size_t i = 0; i < many.outcomes.size(); ++i) {
            const auto& m = many.outcomes[i];
            if (i >= single.outcomes.size()) {  // behind the message the session ended at
                RC_ASSERT(unsent_or_unknown(m));
                continue;
            }
            const auto& s = single.outcomes[i];
            // The session ended (a broken reply, a close) while this message
            // or one before it was in flight: unknown or unsent, by timing.
            if (server.chunking && m.type != s.type && unsent_or_unknown(m) && unsent_or_unknown(s)) continue;
            RC_ASSERT(m.type == s.type);
            RC_ASSERT(m.code == s.code);
            RC_ASSERT(m.temporary == s.temporary);
            RC_ASSERT(m.accepted == s.accepted);
        }
        RC_ASSERT(many.outcomes.size() <= single.outcomes.size() + several.limits.messages_in_flight);
    }));
}

// The events but BodyWanted, and the BodyWanted events, each in order:
// with several messages in flight a later message's BodyWanted comes when
// its envelope is written, which may be before or after the replies to the
// messages ahead of it arrive, as the host's timing has it.
std::pair<std::vector<std::string>, std::vector<std::string>> without_body_wanted(const std::vector<std::string>& events) {
    std::pair<std::vector<std::string>, std::vector<std::string>> parts;
    for (const std::string& e : events) (e.rfind("body-wanted", 0) == 0 ? parts.second : parts.first).push_back(e);
    return parts;
}

TEST_CASE("property: several messages in flight, any split gives the same session") {
    CHECK(rc::check("messages in flight, split invariance", [] {
        ServerPlan server = *gen::server();
        server.pipelining = true;
        Config config = config_for(RecipientPolicy::AnyAccepted);
        config.limits.messages_in_flight = *rc::gen::inRange<std::uint8_t>(2, 7);
        std::vector<MessagePlan> messages;
        for (int n = *rc::gen::inRange(1, 6); n > 0; --n) messages.push_back(*gen::message(*rc::gen::inRange<std::size_t>(1, 4)));
        const Run whole = run(config, server, messages, Chunking{}, true);
        const Run split = run(config, server, messages, *gen::chunking(), true);
        if (server.chunking && !clean_session(whole.events)) {  // see test_split_invariance.cpp
            RC_ASSERT(outcomes_agree(whole.events, split.events, true, config.limits.messages_in_flight));
            return;
        }
        RC_ASSERT(without_body_wanted(whole.events) == without_body_wanted(split.events));
        RC_ASSERT(whole.wire == split.wire);
    }));
}
