// Engine events folded into per-message, per-recipient reports.
#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::adapters {

bool MessageReport::delivered() const {
    if (outcome != EventType::MessageAccepted) return false;
    for (const RecipientReport& r : recipients)
        if (!r.took()) return false;
    return true;
}

void ReportBuilder::begin(const Envelope& envelope) {
    MessageReport report;
    for (const std::string_view address : envelope.recipients)
        report.recipients.push_back(RecipientReport{std::string(address), 0, ""});
    messages_.push_back(std::move(report));
}

// The report of the message an event is about: with a message submitted
// ahead, the previous one's outcome arrives after the next one began.
MessageReport* ReportBuilder::report_for(const Event& ev) {
    if (ev.message >= 1 && ev.message <= messages_.size()) return &messages_[ev.message - 1];
    return messages_.empty() ? nullptr : &messages_.back();
}

void ReportBuilder::on_event(const Event& ev) {
    MessageReport* report = report_for(ev);
    switch (ev.type) {
    case EventType::RecipientResult:
        if (report != nullptr && ev.recipient_index < report->recipients.size()) {
            RecipientReport& r = report->recipients[ev.recipient_index];
            r.code = ev.code;
            r.text = std::string(ev.text);
        }
        break;
    case EventType::RecipientOutcome:  // LMTP: the recipient's reply after the end of data
        if (report != nullptr && ev.recipient_index < report->recipients.size()) {
            RecipientReport& r = report->recipients[ev.recipient_index];
            r.delivery_code = ev.code;
            r.delivery_text = std::string(ev.text);
        }
        break;
    case EventType::MessageAccepted:
    case EventType::MessageRejected:
    case EventType::MessageUnknown:
        if (report != nullptr) {
            MessageReport& m = *report;
            m.outcome = ev.type;
            m.code = ev.code;
            m.temporary = ev.temporary;
            m.dsn_dropped = ev.dsn_dropped;
            m.text = std::string(ev.text);
        }
        break;
    case EventType::Closed:
        last_text_ = std::string(ev.text);
        last_code_ = ev.code;
        break;
    case EventType::Error:
        if (!error_) error_ = ev.error;
        last_text_ = std::string(ev.text);
        if (ev.code != 0) last_code_ = ev.code;
        break;
    default:
        break;
    }
}

}  // namespace smtpcore::adapters
