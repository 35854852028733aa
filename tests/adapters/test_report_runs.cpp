// smtpcore-send's --count reports (tools/smtpcore-send/report_runs.cpp)
// against adapters::ReportBuilder: the same random event sequences, with
// messages in flight side by side, late events for messages folded already,
// and outcomes that differ now and then, must give the same report for every
// message, the same session text and error, and the same words on stderr.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "file_text.hpp"
#include "outcome.hpp"
#include "report_runs.hpp"

using namespace smtpcore;
using namespace smtpcore::cli;
using adapters::MessageReport;

namespace {

// The enhanced code before the text, written independently of the CLI's code.
Event with_code_in_text(const Event& ev, std::string& storage) {
    if (!ev.status.present() || ev.code == 0) return ev;
    storage = std::to_string(ev.status.klass) + "." + std::to_string(ev.status.subject) + "." +
              std::to_string(ev.status.detail) + " " + std::string(ev.text);
    Event copy = ev;
    copy.text = storage;
    return copy;
}

std::vector<MessageReport> expanded(const std::vector<MessageReport>& reports, const std::vector<std::uint32_t>& repeats) {
    std::vector<MessageReport> out;
    REQUIRE(reports.size() == repeats.size());
    for (std::size_t i = 0; i < reports.size(); ++i)
        for (std::uint32_t k = 0; k < repeats[i]; ++k) out.push_back(reports[i]);
    return out;
}

void check_same(const MessageReport& a, const MessageReport& b) {
    CHECK(a.outcome == b.outcome);
    CHECK(a.code == b.code);
    CHECK(a.temporary == b.temporary);
    CHECK(a.dsn_dropped == b.dsn_dropped);
    CHECK(a.text == b.text);
    REQUIRE(a.recipients.size() == b.recipients.size());
    for (std::size_t i = 0; i < a.recipients.size(); ++i) {
        CHECK(a.recipients[i].address == b.recipients[i].address);
        CHECK(a.recipients[i].code == b.recipients[i].code);
        CHECK(a.recipients[i].text == b.recipients[i].text);
        CHECK(a.recipients[i].delivery_code == b.recipients[i].delivery_code);
        CHECK(a.recipients[i].delivery_text == b.recipients[i].delivery_text);
    }
}

struct Both {
    adapters::ReportBuilder builder;
    ReportRuns runs;
    std::string storage;
    void event(const Event& ev) {
        builder.on_event(with_code_in_text(ev, storage));
        runs.on_event(ev);
    }
    void begin(const Envelope& e) {
        builder.begin(e);
        runs.begin(e);
    }
};

std::string stderr_of(const SessionSummary& s, bool verbose, int& code) {
    std::fflush(stderr);
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    std::FILE* saved = stderr;
    stderr = f;  // glibc: stderr is an lvalue
    code = report_and_exit_code(s, verbose);
    std::fflush(f);
    stderr = saved;
    return text_and_close(f);
}

}  // namespace

TEST_CASE("--count reports: runs of equal reports say what ReportBuilder says, message for message") {
    std::mt19937 rng(16);
    const char* texts[] = {"ok", "queued as 4F2A", "mailbox unavailable", "", "try again later"};
    const std::uint16_t rcpt_codes[] = {250, 250, 250, 251, 450, 550};
    const std::uint16_t end_codes[] = {250, 250, 250, 451, 554, 0};
    const std::vector<std::string> addresses = {"a@example.net", "somebody.long@example.org", "c@example.com"};
    std::size_t folded_somewhere = 0;
    for (int round = 0; round < 300; ++round) {
        Both both;
        const std::size_t messages = 1 + rng() % 40, in_flight = 1 + rng() % 3;
        const bool varied = rng() % 3 == 0;  // else every copy goes alike (the common case)
        const bool late_events = rng() % 2 == 0;
        std::vector<std::string_view> views;
        for (std::size_t i = 0, n = 1 + rng() % 3; i < n; ++i) views.push_back(addresses[i]);
        Envelope envelope;
        envelope.recipients = Span<const std::string_view>(views.data(), views.size());
        // Varied rounds: mostly the first choice, so equal neighbours and
        // single changes between them are both common.
        auto pick = [&](std::size_t n) { return varied && rng() % 4 == 0 ? rng() % n : 0; };
        auto status = [&](Event& ev) {
            if (!varied) ev.status = EnhancedStatus{std::uint8_t(ev.code / 100), 0, 0};
            else if (rng() % 4 == 0)
                ev.status = EnhancedStatus{std::uint8_t(ev.code / 100), std::uint16_t(rng() % 8), std::uint16_t(rng() % 12)};
        };
        std::size_t begun = 0, done = 0;
        while (done < messages) {
            if (begun < messages && begun - done < in_flight && (begun == done || rng() % 2 == 0)) {
                both.begin(envelope);
                ++begun;
                continue;
            }
            const auto number = static_cast<std::uint32_t>(++done);
            for (std::uint32_t r = 0; r < views.size(); ++r) {
                Event ev;
                ev.type = EventType::RecipientResult;
                ev.message = number;
                ev.recipient_index = r;
                ev.code = rcpt_codes[pick(6)];
                ev.text = texts[pick(5)];
                if (varied && rng() % 20 == 0) ev.message = 0;  // no number: the last message begun
                status(ev);
                if (!varied || rng() % 10 != 0) both.event(ev);  // now and then no reply
            }
            if (varied && rng() % 4 == 0) {  // LMTP: each recipient's own reply
                Event ev;
                ev.type = EventType::RecipientOutcome;
                ev.message = number;
                ev.recipient_index = static_cast<std::uint32_t>(rng() % (views.size() + 1));
                ev.code = end_codes[pick(5)];
                ev.text = texts[pick(5)];
                status(ev);
                both.event(ev);
            }
            Event outcome;
            outcome.message = number;
            outcome.code = end_codes[pick(6)];
            outcome.type = outcome.code == 0 ? (rng() % 2 ? EventType::MessageUnknown : EventType::MessageRejected)
                                             : outcome.code < 300 ? EventType::MessageAccepted : EventType::MessageRejected;
            outcome.temporary = outcome.code / 100 == 4;
            outcome.dsn_dropped = varied && rng() % 7 == 0;
            outcome.text = texts[pick(5)];
            status(outcome);
            if (!varied || rng() % 12 != 0) both.event(outcome);  // the session may end before it
            if (late_events && rng() % 8 == 0 && done > 1) {  // a late event, maybe for a message folded already
                Event late;
                late.type = EventType::RecipientResult;
                late.message = static_cast<std::uint32_t>(1 + rng() % done);
                late.recipient_index = 0;
                late.code = 550;
                late.text = "late";
                both.event(late);
            }
        }
        Event closed;
        closed.type = varied && rng() % 2 ? EventType::Error : EventType::Closed;
        closed.code = 221;
        closed.text = "bye";
        closed.error = Error{ErrorKind::ConnectionLost, "lost", "quit"};
        status(closed);
        both.event(closed);

        SessionSummary runs, reference;
        both.runs.finish(runs.messages, runs.repeats);
        reference.messages = both.builder.messages();
        const std::vector<MessageReport> mine = expanded(runs.messages, runs.repeats);
        REQUIRE(mine.size() == reference.messages.size());
        CHECK(both.runs.messages() == begun);
        CHECK(runs.message_count() == begun);
        for (std::size_t i = 0; i < mine.size(); ++i) check_same(mine[i], reference.messages[i]);
        CHECK(both.runs.last_text() == both.builder.last_text());
        CHECK(both.runs.last_code() == both.builder.last_code());
        CHECK(both.runs.error().kind == both.builder.error().kind);
        if (runs.messages.size() < begun) ++folded_somewhere;

        // The words on stderr and the exit code, verbose or not, are the same.
        runs.wanted = reference.wanted = static_cast<unsigned>(messages + rng() % 2);
        runs.quit_sent = reference.quit_sent = rng() % 2 == 0;
        for (const bool verbose : {false, true}) {
            int a = 0, b = 0;
            const std::string mine_out = stderr_of(runs, verbose, a);
            const std::string ref_out = stderr_of(reference, verbose, b);
            CHECK(mine_out == ref_out);
            CHECK(a == b);
        }
    }
    CHECK(folded_somewhere > 100);  // the runs did fold copies
}

TEST_CASE("--count reports: 20,000 copies that go alike are one report") {
    ReportRuns runs;
    const std::string_view to[] = {"b@example.net"};
    Envelope envelope;
    envelope.recipients = Span<const std::string_view>(to, 1);
    for (std::uint32_t m = 1; m <= 20000; ++m) {
        runs.begin(envelope);
        Event ev;
        ev.type = EventType::RecipientResult;
        ev.message = m;
        ev.code = 250;
        ev.status = EnhancedStatus{2, 1, 5};
        ev.text = "ok";
        runs.on_event(ev);
        ev.type = EventType::MessageAccepted;
        ev.status = EnhancedStatus{2, 0, 0};
        ev.text = "queued";
        runs.on_event(ev);
    }
    SessionSummary s;
    runs.finish(s.messages, s.repeats);
    REQUIRE(s.messages.size() == 1);
    CHECK(s.repeats[0] == 20000);
    CHECK(s.messages[0].text == "2.0.0 queued");
    CHECK(s.messages[0].recipients[0].text == "2.1.5 ok");
    CHECK(s.message_count() == 20000);
}
