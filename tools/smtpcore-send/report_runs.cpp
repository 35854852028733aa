// smtpcore-send: reports of --count copies as runs of equal ones (report_runs.hpp).
#include "report_runs.hpp"

#include <charconv>
#include <cstring>
#include <utility>

namespace smtpcore::cli {

using adapters::MessageReport;
using adapters::RecipientReport;

namespace {

bool same_text(const std::string& a, std::string_view b) { return std::string_view(a) == b; }

bool same_recipient(const RecipientReport& a, const RecipientReport& b) {
    return a.code == b.code && a.delivery_code == b.delivery_code && same_text(a.address, b.address) &&
           same_text(a.text, b.text) && same_text(a.delivery_text, b.delivery_text);
}

bool same_report(const MessageReport& a, const MessageReport& b) {
    if (a.outcome != b.outcome || a.code != b.code || a.temporary != b.temporary || a.dsn_dropped != b.dsn_dropped ||
        a.recipients.size() != b.recipients.size() || !same_text(a.text, b.text))
        return false;
    for (std::size_t i = 0; i < a.recipients.size(); ++i)
        if (!same_recipient(a.recipients[i], b.recipients[i])) return false;
    return true;
}

bool is_outcome(EventType t) {
    return t == EventType::MessageAccepted || t == EventType::MessageRejected || t == EventType::MessageUnknown;
}

char* put_number(char* at, char* end, unsigned v) {
    if (v < 10) {
        *at = static_cast<char>('0' + v);
        return at + 1;
    }
    return std::to_chars(at, end, v).ptr;
}

// Whether s == a[0..an) + b.
bool holds(const std::string& s, const char* a, std::size_t an, std::string_view b) {
    return s.size() == an + b.size() && std::memcmp(s.data(), a, an) == 0 &&
           (b.empty() || std::memcmp(s.data() + an, b.data(), b.size()) == 0);
}

}  // namespace

void assign_event_text(std::string& out, const Event& ev) {
    char code[3 * 20 + 3];
    char* end = code;
    if (ev.status.present() && ev.code != 0) {  // "k.s.d " (RFC 3463 §2)
        for (const unsigned part : {unsigned(ev.status.klass), unsigned(ev.status.subject), unsigned(ev.status.detail)}) {
            end = put_number(end, code + sizeof code - 1, part);
            *end++ = '.';
        }
        end[-1] = ' ';
    }
    const auto n = static_cast<std::size_t>(end - code);
    if (holds(out, code, n, ev.text)) return;  // the copy before said the same
    out.assign(code, n);
    out.append(ev.text.data(), ev.text.size());
}

void ReportRuns::grow_ring() {
    std::vector<Slot> bigger(ring_.size() * 2 + 2);
    const std::size_t open = started_ - sealed_;
    for (std::size_t i = 0; i < open; ++i) bigger[i] = std::move(ring_[(head_ + i) % ring_.size()]);
    ring_ = std::move(bigger);
    head_ = 0;
}

void ReportRuns::begin(const Envelope& envelope) {
    if (started_ - sealed_ == ring_.size()) grow_ring();
    ++started_;
    Slot& slot = open_slot(started_);
    MessageReport& report = slot.report;
    report.outcome = EventType::None;
    report.code = 0;
    report.temporary = report.dsn_dropped = false;
    slot.text_set = false;
    slot.set.assign(envelope.recipients.size(), 0);
    report.recipients.resize(envelope.recipients.size());
    for (std::size_t i = 0; i < envelope.recipients.size(); ++i) {
        RecipientReport& r = report.recipients[i];
        if (!same_text(r.address, envelope.recipients[i])) r.address.assign(envelope.recipients[i].data(), envelope.recipients[i].size());
        r.code = r.delivery_code = 0;
    }
}

// Gives message `message` (1-based, folded already) a run of its own.
MessageReport& ReportRuns::split_out(std::size_t message) {
    std::size_t first = 1, i = 0;
    while (first + runs_[i].count <= message) first += runs_[i++].count;
    const std::size_t before = message - first, after = first + runs_[i].count - 1 - message;
    if (before > 0) {
        runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(i), Run{runs_[i].report, static_cast<std::uint32_t>(before)});
        ++i;
    }
    if (after > 0)
        runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(i) + 1, Run{runs_[i].report, static_cast<std::uint32_t>(after)});
    runs_[i].count = 1;
    return runs_[i].report;
}

void ReportRuns::seal_front() {
    Slot& slot = ring_[head_];
    MessageReport& report = slot.report;
    // What no event wrote is empty, as in a fresh report.
    if (!slot.text_set) report.text.clear();
    for (std::size_t i = 0; i < report.recipients.size(); ++i) {
        if ((slot.set[i] & kTextSet) == 0) report.recipients[i].text.clear();
        if ((slot.set[i] & kDeliveryTextSet) == 0) report.recipients[i].delivery_text.clear();
    }
    if (!runs_.empty() && same_report(runs_.back().report, report)) ++runs_.back().count;
    else runs_.push_back(Run{report, 1});  // copied: the slot keeps its storage
    head_ = (head_ + 1) % ring_.size();
    ++sealed_;
}

void ReportRuns::on_recipient_event(const Event& ev) {
    const std::size_t n = ev.message >= 1 && ev.message <= started_ ? ev.message : started_;
    if (n == 0) return;
    MessageReport& report = n > sealed_ ? open_slot(n).report : split_out(n);
    if (ev.recipient_index >= report.recipients.size()) return;
    RecipientReport& r = report.recipients[ev.recipient_index];
    std::uint8_t unused = 0;
    std::uint8_t& set = n > sealed_ ? open_slot(n).set[ev.recipient_index] : unused;
    if (ev.type == EventType::RecipientResult) {
        r.code = ev.code;
        assign_event_text(r.text, ev);
        set |= kTextSet;
    } else {  // LMTP: the recipient's reply after the end of data
        r.delivery_code = ev.code;
        assign_event_text(r.delivery_text, ev);
        set |= kDeliveryTextSet;
    }
}

void ReportRuns::on_outcome(const Event& ev) {
    // ReportBuilder::report_for: with a message submitted ahead, the
    // previous one's outcome arrives after the next one began.
    const std::size_t n = ev.message >= 1 && ev.message <= started_ ? ev.message : started_;
    if (n == 0) return;
    MessageReport& report = n > sealed_ ? open_slot(n).report : split_out(n);
    if (n > sealed_) open_slot(n).text_set = true;
    report.outcome = ev.type;
    report.code = ev.code;
    report.temporary = ev.temporary;
    report.dsn_dropped = ev.dsn_dropped;
    assign_event_text(report.text, ev);
    // Folded in order, once every message before has its outcome too.
    while (started_ > sealed_ && is_outcome(ring_[head_].report.outcome)) seal_front();
}

void ReportRuns::on_event(const Event& ev) {
    switch (ev.type) {
    case EventType::RecipientResult:
    case EventType::RecipientOutcome: on_recipient_event(ev); break;
    case EventType::MessageAccepted:
    case EventType::MessageRejected:
    case EventType::MessageUnknown: on_outcome(ev); break;
    case EventType::Closed:
        assign_event_text(last_text_, ev);
        last_code_ = ev.code;
        break;
    case EventType::Error:
        if (!error_) error_ = ev.error;
        assign_event_text(last_text_, ev);
        if (ev.code != 0) last_code_ = ev.code;
        break;
    default:
        break;
    }
}

void ReportRuns::finish(std::vector<MessageReport>& reports, std::vector<std::uint32_t>& repeats) {
    while (started_ > sealed_) seal_front();
    reports.clear();
    repeats.clear();
    for (Run& run : runs_) {
        reports.push_back(std::move(run.report));
        repeats.push_back(run.count);
    }
    runs_.clear();
}

}  // namespace smtpcore::cli
