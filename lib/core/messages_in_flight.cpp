// Several messages in flight (Limits::messages_in_flight > 1): with CHUNKING
// and PIPELINING, a message submitted ahead starts its content as soon as its
// MAIL and RCPT lines are written behind the previous BDAT LAST, so a batch
// of small messages leaves in one flight (RFC 2920 §3.1, RFC 3030 §4.2).
//
// Replies arrive in order, so every reply to message k comes before any
// reply to k+1: message_ stays the oldest open message, the one whose replies
// are read, and state_ stays its phase. The messages behind it need only what
// writing needs (detail::MessageBehind, in the caller's storage after the
// send buffer). Only one body flows at a time: the oldest's, or the newest
// one's behind it. When the oldest's outcome is queued, the next one becomes
// message_ in the phase its content has reached (promote_behind()).
//
// When the session ends with messages behind the oldest, their outcomes wait:
// pop_event() reports them one at a time before the Error or Closed event
// (settled_outcome()), so the four-slot event queue holds no more than it
// does for one message. Each is MessageUnknown if its BDAT LAST was handed out
// by send_buf() (RFC 5321 §6.1), MessageRejected (temporary) otherwise; after
// a 421 every one is rejected: the server closes without reading on.
//
// Only DATA-less transactions qualify: DATA needs its 354 before content, and
// RecipientPolicy::AllRequired waits for the RCPT replies before any content.
// Compiled out with SMTPCORE_NO_CHUNKING (the lean microcontroller build).
#ifndef SMTPCORE_NO_CHUNKING

#include <cstdint>

#include "envelope_extensions.hpp"
#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

using detail::MessageBehind;

bool Client::body_open() const noexcept {
    if (state_ == SessionState::Body && !message_.body_ended) return true;
    const MessageBehind* b = flowing_behind();
    return b != nullptr && !b->body_ended;
}

const Envelope& Client::flowing_envelope() const noexcept {
    const MessageBehind* b = flowing_behind();
    return b != nullptr ? b->envelope : message_.envelope;
}

std::uint32_t Client::flowing_number() const noexcept {
    return flowing_behind() != nullptr ? message_.number + behind_len_ : message_.number;
}

bool Client::flowing_failed() const noexcept {
    // A message behind the oldest has had no reply yet: nothing has failed it.
    return flowing_behind() == nullptr && message_.failed;
}

MessageBehind Client::take_behind() noexcept {
    MessageBehind* slots = behind_slots();
    const MessageBehind oldest = slots[0];
    for (std::uint8_t i = 1; i < behind_len_; ++i) slots[i - 1] = slots[i];
    --behind_len_;
    return oldest;
}

void Client::start_behind() noexcept {
    // generate_ahead() wrote MAIL and every RCPT of the message submitted
    // ahead behind the previous BDAT LAST (with PIPELINING only): with
    // AnyAccepted nothing waits for their replies, so its content may follow.
    // Its BodyWanted joins an empty event queue, which therefore never holds
    // more than one reply's events plus this.
    const std::uint32_t envelope_lines = static_cast<std::uint32_t>(ahead_.envelope.recipients.size()) + 1;
    if (!ahead_.open || ahead_.lines_written < envelope_lines || events_len_ != 0 || !chunked() ||
        config_.recipients != RecipientPolicy::AnyAccepted ||
        behind_len_ + 1u >= config_.limits.messages_in_flight)
        return;
    MessageBehind& b = behind_slots()[behind_len_++];
    b = MessageBehind{ahead_.envelope, ahead_.lines_written, false, false, false};
    ahead_ = detail::SubmittedAhead{};
    parsers_.stuffer.reset_without_dots();
    detail::EventRecord& r = push_event(EventType::BodyWanted);
    r.message = message_.number + behind_len_;  // push_event() stamped the oldest's number
    r.accepted_recipients = 0;
}

void Client::promote_behind() noexcept {
    // The oldest message's outcome was just queued (its final reply): the
    // next becomes current in the phase its content has reached. Its body is
    // flowing (Body) or its BDAT LAST is written (DataEnd); the stuffer and
    // the open chunk are its own already.
    const MessageBehind b = take_behind();
    const std::uint32_t number = message_.number + 1;
    message_ = detail::MessageRecord{};
    message_.envelope = b.envelope;
    message_.number = number;
    message_.open = true;
    message_.lines_written = b.lines_written;
    message_.data_allowed = true;  // PIPELINING and AnyAccepted, or it would not be behind
    message_.body_ended = b.body_ended;
    message_.marker_written = b.marker_written;
    message_.marker_left = b.marker_left;
    hold_text_ = false;
    if (!b.marker_written) enter(SessionState::Body);  // from DataEnd; else DataEnd stays
}

Event Client::settled_outcome() noexcept {
    // See the top of this file: called by pop_event() while the Error or
    // Closed event that ended the session waits at the head of the queue.
    Event e;
    bool unknown = false;
    Envelope envelope = ahead_.envelope;
    if (behind_len_ > 0) {
        const MessageBehind b = take_behind();
        envelope = b.envelope;
        // state_ is Closed only after a 421 here (an ended session with
        // messages in flight is otherwise Failed).
        unknown = b.marker_left && state_ != SessionState::Closed;
    } else {
        settle_ahead_ = false;
    }
#ifndef SMTPCORE_NO_DSN
    e.dsn_dropped = detail::dsn_dropped(envelope, caps_);
#else
    (void)envelope;
#endif
    settling_ = behind_len_ > 0 || settle_ahead_;
    e.type = unknown ? EventType::MessageUnknown : EventType::MessageRejected;
    e.message = ++message_.number;
    // The reason reject_ahead() was given: the Error's, or the 421's.
    e.text = state_ == SessionState::Closed ? SMTPCORE_REASON("server is closing the connection (421)") : error_.reason;
    e.temporary = !unknown && settle_temporary_;
    return e;
}

}  // namespace smtpcore

#endif  // SMTPCORE_NO_CHUNKING
