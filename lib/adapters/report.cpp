// Engine events folded into per-message, per-recipient reports.
#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::adapters {

bool MessageReport::delivered() const {
    if (outcome != EventType::MessageAccepted) return false;
    for (const RecipientReport& r : recipients)
        if (!is_positive(r.code)) return false;
    return true;
}

void ReportBuilder::begin(const Envelope& envelope) {
    MessageReport report;
    for (const std::string_view address : envelope.recipients)
        report.recipients.push_back(RecipientReport{std::string(address), 0, ""});
    messages_.push_back(std::move(report));
}

void ReportBuilder::on_event(const Event& ev) {
    switch (ev.type) {
    case EventType::RecipientResult:
        if (!messages_.empty() && ev.recipient_index < messages_.back().recipients.size()) {
            RecipientReport& r = messages_.back().recipients[ev.recipient_index];
            r.code = ev.code;
            r.text = std::string(ev.text);
        }
        break;
    case EventType::MessageAccepted:
    case EventType::MessageRejected:
    case EventType::MessageUnknown:
        if (!messages_.empty()) {
            MessageReport& m = messages_.back();
            m.outcome = ev.type;
            m.code = ev.code;
            m.temporary = ev.temporary;
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
