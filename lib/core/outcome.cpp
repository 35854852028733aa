// The outcome of a message: decided here, once, for every cause.
//
// RFC 5321 §6.1: once the end-of-data marker may have reached the server the
// message may have been delivered, so nothing then may report it "not sent";
// and nothing may report "sent" that the server did not take.
#include <cstring>

#include "envelope_extensions.hpp"
#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

void Client::decide_outcome(Cause cause, const char* reason, bool temporary) noexcept {
    detail::MessageRecord& m = message_;
    if (!m.open) return;  // no message in flight, or its outcome was reported
    m.open = false;
    hold_text_ = false;   // the stored text goes out with this event
    if (m.failed) return queue_stored_rejection();  // the first failure stands, whatever came after
    switch (cause) {
    case Cause::FinalReply:  // the reply to end of data, or a 421 in its place
#ifndef SMTPCORE_NO_LMTP
        if (lmtp() && m.accepted > 0) return queue_lmtp_outcome();  // RFC 2033 §4.2: from every recipient's reply
#endif
        return queue_reply(parsers_.reply.code() < 300 ? EventType::MessageAccepted : EventType::MessageRejected);
    case Cause::Drained:  // unreachable: a drained transaction has failed (cancel() marks it so)
        return queue_local(EventType::MessageRejected, "", false);
    case Cause::SessionEnded:
        if (m.marker_left) return queue_local(EventType::MessageUnknown, reason);
        return queue_local(EventType::MessageRejected, reason, temporary);
    }
}

void Client::reject_ahead(const char* reason, bool temporary) noexcept {
    // A message submitted ahead never had its end of data sent: whatever
    // ended the session, it was not delivered. Reported after the current one.
#ifndef SMTPCORE_NO_CHUNKING
    if (behind_len_ > 0) {  // reported one by one from pop_event() (messages_in_flight.cpp)
        settling_ = true;
        settle_ahead_ = ahead_.open;
        ahead_.open = false;
        settle_temporary_ = temporary;  // the reason is the Error's or the 421's (settled_outcome())
        (void)reason;
        return;
    }
#endif
    if (!ahead_.open) return;
    ahead_.open = false;
    detail::EventRecord& r = push_event(EventType::MessageRejected);
    r.message = message_.number + 1;
    r.accepted_recipients = 0;
    r.text = reason;
    r.text_length = static_cast<std::uint16_t>(detail::reason_length(reason));
    r.temporary = temporary;
#ifndef SMTPCORE_NO_DSN
    r.dsn_dropped = detail::dsn_dropped(ahead_.envelope, caps_);  // push_event() looked at the current message
#endif
}

}  // namespace smtpcore
