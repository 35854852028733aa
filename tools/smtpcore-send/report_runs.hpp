// smtpcore-send: engine events folded into per-message reports, as
// adapters::ReportBuilder folds them, but with --count in mind: consecutive
// messages whose reports are equal (the usual case for copies of one message)
// share one report and a repeat count, and the reports of messages still in
// flight are recycled, so a copy that goes as the one before it costs no
// allocation and no string copy.
//
// The result is the same as ReportBuilder's, message for message
// (tests/adapters/test_report_runs.cpp feeds both the same events): a report
// is folded once its outcome arrived (RecipientResult and RecipientOutcome
// come before it, smtpcore/event.hpp), and an event for a message folded already
// splits that message out of its run again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::cli {

class ReportRuns {
public:
    /// Starts the report of a message just submitted.
    void begin(const Envelope& envelope);
    /// The event's text carries the enhanced status code ("2.1.5 ok"), as the
    /// CLI prints it (RFC 3463).
    void on_event(const Event& ev);
    /// Folds the messages still open (the session ended before their outcome)
    /// and moves the reports out: reports[i] stands for repeats[i] messages.
    void finish(std::vector<adapters::MessageReport>& reports, std::vector<std::uint32_t>& repeats);

    std::size_t messages() const { return started_; }
    const Error& error() const { return error_; }
    const std::string& last_text() const { return last_text_; }
    std::uint16_t last_code() const { return last_code_; }

private:
    struct Run {
        adapters::MessageReport report;
        std::uint32_t count;
    };
    // A message in flight. Slots are reused round the ring, so their strings
    // keep their storage; a text is written only when it differs from the
    // slot's last one, and those no event set are cleared when it is folded.
    struct Slot {
        adapters::MessageReport report;
        std::vector<std::uint8_t> set;  // per recipient: kTextSet, kDeliveryTextSet
        bool text_set = false;
    };
    static constexpr std::uint8_t kTextSet = 1, kDeliveryTextSet = 2;

    Slot& open_slot(std::size_t message) { return ring_[(head_ + (message - sealed_ - 1)) % ring_.size()]; }
    void grow_ring();
    adapters::MessageReport& split_out(std::size_t message);
    void seal_front();
    void on_recipient_event(const Event& ev);
    void on_outcome(const Event& ev);

    std::vector<Run> runs_;   // messages 1..sealed_, in order
    std::vector<Slot> ring_;  // messages sealed_+1..started_ from ring_[head_] on
    std::size_t head_ = 0;
    std::size_t sealed_ = 0;
    std::size_t started_ = 0;
    Error error_;
    std::string last_text_;
    std::uint16_t last_code_ = 0;
};

/// `ev`'s text as the CLI keeps it: "k.s.d text" when the reply had an
/// enhanced status code (RFC 3463), else the text; into `out`, reusing its
/// storage, and not written at all when `out` holds it already.
void assign_event_text(std::string& out, const Event& ev);

}  // namespace smtpcore::cli
