// Model-based test (rc::state): the whole client against a model server that
// answers every command with generated replies — legal 2xx/4xx/5xx, multi-
// line, with and without enhanced codes, random capability sets, now and
// then an illegal one. The model predicts each message's outcome
// (prediction.cpp); the engine must agree on every step, and every
// CheckedSession invariant must hold throughout.
#include <doctest/doctest.h>
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "alloc_counter.hpp"
#include "generators.hpp"
#include "prediction.hpp"

using namespace smtpcore;
using namespace smtpcore::test;

namespace {

struct Model {
    ServerPlan server;
    RecipientPolicy policy = RecipientPolicy::AnyAccepted;
    std::uint32_t messages = 0;
    bool alive = true;
};

struct Sut {
    Sut(const Config& config, const ServerPlan& plan, const Chunking& chunking)
        : session(config, 4096, &allocation_count), server(plan), dialogue(session, server, chunking) {}
    CheckedSession session;
    ModelServer server;
    Dialogue dialogue;
};

using Command = rc::state::Command<Model, Sut>;

void require_invariants(const Sut& sut) {
    if (!sut.session.ok()) RC_FAIL(sut.session.violation());
    if (!sut.server.surprises().empty()) RC_FAIL("the server got an unplanned line: " + sut.server.surprises()[0]);
}

void check_outcome(const Sut& sut, std::uint32_t number, const Prediction& expected) {
    const CheckedSession::Outcome got = sut.session.outcome(number);
    if (expected.or_unknown && got.type == EventType::MessageUnknown) {
        RC_ASSERT(got.code == 0);
        RC_ASSERT(got.accepted == expected.accepted);
        return;
    }
    RC_ASSERT(got.type == expected.outcome);
    RC_ASSERT(got.code == expected.code);
    RC_ASSERT(got.temporary == expected.temporary);
    RC_ASSERT(got.accepted == expected.accepted);
    // An enhanced status code is reported exactly when the reply had one.
    if (got.code != 0) RC_ASSERT(got.status.present() == (got.status.klass == got.code / 100));
}

void check_end(Sut& sut, SessionEnd end) {
    const SessionState state = sut.session.client().state();
    switch (end) {
    case SessionEnd::GoesOn: RC_ASSERT(state == SessionState::Ready); break;
    case SessionEnd::Closed: RC_ASSERT(state == SessionState::Closed); break;
    case SessionEnd::Error: RC_ASSERT(state == SessionState::Failed); break;
    }
}

std::vector<std::string> addresses(std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back("r" + std::to_string(i) + "@example.net");
    return out;
}

struct SendMessage : Command {
    std::vector<std::string> recipients;
    MessagePlan plan;

    SendMessage() {
        const std::size_t n = *rc::gen::inRange<std::size_t>(1, 6);
        for (std::size_t i = 0; i < n; ++i) recipients.push_back("r" + std::to_string(i) + "@example.net");
        plan = *gen::message(n);
    }
    void checkPreconditions(const Model& m) const override { RC_PRE(m.alive); }
    void apply(Model& m) const override {
        ++m.messages;
        m.alive = predict(plan, m.policy, m.server.pipelining, m.server.chunking).end == SessionEnd::GoesOn;
    }
    void run(const Model& m, Sut& sut) const override {
        const Prediction expected = predict(plan, m.policy, m.server.pipelining, m.server.chunking);
        sut.server.expect(plan);
        CheckedSession::Submission s;
        s.from = "sender@example.org";
        s.recipients = recipients;
        RC_ASSERT(!sut.session.submit(s));
        RC_ASSERT(sut.dialogue.run_until_idle(plan.body));
        require_invariants(sut);
        check_outcome(sut, sut.session.submitted(), expected);
        check_end(sut, expected.end);
    }
    void show(std::ostream& os) const override {
        os << "SendMessage(mail " << plan.mail.code << ", rcpt";
        for (const auto& r : plan.rcpt) os << ' ' << r.code;
        os << ", data " << plan.data.code << ", end " << plan.end.code << ", body " << plan.body.size() << " octets)";
    }
};

// Two messages, the second submitted ahead as soon as the first body ended
// (pipelined across messages), or when Ready if the first never reached its
// body. Each must get the outcome the model predicts for it alone; if the
// first ends the session while the second waits, the second is rejected
// (code 0, temporary: it never had its end of data).
struct SendTwoAhead : Command {
    MessagePlan first, second;

    SendTwoAhead() {
        first = *gen::message(*rc::gen::inRange<std::size_t>(1, 4));
        second = *gen::message(*rc::gen::inRange<std::size_t>(1, 4));
    }
    void checkPreconditions(const Model& m) const override { RC_PRE(m.alive); }
    void apply(Model& m) const override {
        const Prediction p1 = predict(first, m.policy, m.server.pipelining, m.server.chunking);
        m.alive = p1.end == SessionEnd::GoesOn && predict(second, m.policy, m.server.pipelining, m.server.chunking).end == SessionEnd::GoesOn;
        m.messages += 2;
    }
    void run(const Model& m, Sut& sut) const override {
        const std::uint32_t base = sut.session.submitted();
        std::vector<std::string> bodies(base);
        bodies.push_back(first.body);
        bodies.push_back(second.body);
        bool ahead = false;
        auto submit = [&](const MessagePlan& plan) {
            sut.server.expect(plan);
            CheckedSession::Submission s{"sender@example.org", addresses(plan.rcpt.size())};
            RC_ASSERT(!sut.session.submit(s));
        };
        sut.dialogue.bodies = &bodies;
        sut.dialogue.after_body_end = [&] {
            if (!ahead && sut.session.submitted() == base + 1 && sut.session.client().can_submit()) {
                submit(second);
                ahead = true;
            }
        };
        submit(first);
        RC_ASSERT(sut.dialogue.run_until_idle(""));
        const bool second_sent = ahead || sut.session.client().state() == SessionState::Ready;
        if (!ahead && second_sent) {
            submit(second);
            RC_ASSERT(sut.dialogue.run_until_idle(""));
        }
        sut.dialogue.after_body_end = nullptr;
        sut.dialogue.bodies = nullptr;
        require_invariants(sut);
        const Prediction p1 = predict(first, m.policy, m.server.pipelining, m.server.chunking);
        check_outcome(sut, base + 1, p1);
        if (p1.end != SessionEnd::GoesOn) {
            if (ahead) {
                const CheckedSession::Outcome got = sut.session.outcome(base + 2);
                RC_ASSERT(got.type == EventType::MessageRejected);
                RC_ASSERT(got.code == 0u);
                RC_ASSERT(got.temporary);
            }
            return check_end(sut, p1.end);
        }
        RC_ASSERT(second_sent);
        const Prediction p2 = predict(second, m.policy, m.server.pipelining, m.server.chunking);
        check_outcome(sut, base + 2, p2);
        check_end(sut, p2.end);
    }
    void show(std::ostream& os) const override {
        os << "SendTwoAhead(mail " << first.mail.code << "/" << second.mail.code << ", end " << first.end.code << "/"
           << second.end.code << ")";
    }
};

struct Quit : Command {
    void checkPreconditions(const Model& m) const override { RC_PRE(m.alive); }
    void apply(Model& m) const override { m.alive = false; }
    void run(const Model&, Sut& sut) const override {
        RC_ASSERT(!sut.session.quit());
        RC_ASSERT(sut.dialogue.run_until_idle(""));
        require_invariants(sut);
        RC_ASSERT(sut.session.client().state() == SessionState::Closed);
    }
    void show(std::ostream& os) const override { os << "Quit"; }
};

// Lets the sequence go on after the session ended (every other command needs
// a live session): the host keeps polling, and nothing may happen.
struct Poll : Command {
    void run(const Model& m, Sut& sut) const override {
        const std::size_t events = sut.session.events().size();
        const std::size_t wire = sut.session.wire().size();
        sut.session.drain();
        sut.session.ack(~std::size_t(0));
        require_invariants(sut);
        if (!m.alive) RC_ASSERT(sut.session.events().size() == events && sut.session.wire().size() == wire);
    }
    void show(std::ostream& os) const override { os << "Poll"; }
};

}  // namespace

TEST_CASE("property: the engine agrees with the model on every message outcome") {
    CHECK(rc::check("model-based session", [] {
        Model model;
        model.server = *gen::server();
        model.policy = *rc::gen::element(RecipientPolicy::AnyAccepted, RecipientPolicy::AllRequired);
        Config config;
        config.client_name = "client.example";
        config.tls = TlsMode::None;
        config.recipients = model.policy;
        config.reply_text_capacity = *rc::gen::inRange<std::uint16_t>(16, 200);
        config.recv_capacity = *rc::gen::inRange<std::uint16_t>(8, 128);
        Sut sut(config, model.server, *gen::chunking());
        RC_ASSERT(sut.dialogue.run_until_idle(""));  // greeting and EHLO
        RC_ASSERT(sut.session.client().state() == SessionState::Ready);
        rc::state::check(model, sut, rc::state::gen::execOneOfWithArgs<SendMessage, SendMessage, SendTwoAhead, Quit, Poll>());
        sut.session.finish();
        require_invariants(sut);
    }));
}
