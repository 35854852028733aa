// The reply text the engine keeps, and the queue of events.
//
// The reply text area holds the current reply's text and, while a failed
// transaction drains, the text of its first failure in front of it, so that
// a later reply (a 421, say) keeps its own text too. Every event is a
// complete record, copied when queued: its meaning never depends on what the
// engine does after it was queued.
#include <cstring>
#include <string_view>

#include "enhanced_status.hpp"
#include "envelope_extensions.hpp"
#include "lmtp.hpp"
#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

using namespace std::string_view_literals;  // "EHLO"sv: no strlen() at run time (commands.cpp)

void Client::begin_reply_text() noexcept {
    const detail::MessageRecord& m = message_;
    text_start_ = hold_text_ ? static_cast<std::uint16_t>(m.failure_text + m.failure_length - text_) : 0;
    text_len_ = line_start_ = text_start_;
    text_cut_ = false;
    status_ = EnhancedStatus{};
}

void Client::append_text(std::string_view piece) noexcept {
    const std::size_t room = config_.reply_text_capacity - text_len_;
    const std::size_t n = piece.size() < room ? piece.size() : room;
    if (n < piece.size()) text_cut_ = true;
    if (n > 0) std::memcpy(text_ + text_len_, piece.data(), n);
    text_len_ = static_cast<std::uint16_t>(text_len_ + n);
}

void Client::end_reply_line(bool last) noexcept {
    // RFC 2034 §4 puts the enhanced code at the start of every line; the
    // first line's is the reply's, and every line loses it in the text.
    EnhancedStatus status;
    char* line = text_ + line_start_;
    const std::size_t length = text_len_ - line_start_;
    const std::size_t skip =
        detail::parse_enhanced_status(std::string_view(line, length), parsers_.reply.code(), status);
    if (line_start_ == text_start_) status_ = status;
    if (skip > 0) {
        std::memmove(line, line + skip, length - skip);
        text_len_ = static_cast<std::uint16_t>(text_len_ - skip);
    }
    if (last) return;
    append_text("\n"sv);
    line_start_ = text_len_;
}

std::string_view Client::reply_text() const noexcept {
    return std::string_view(text_ + text_start_, text_len_ - text_start_);
}

detail::EventRecord& Client::push_event(EventType type) noexcept {
    // Cannot overflow: input is parsed only into an empty queue and one reply
    // yields at most three events (see kEventQueue); should it ever, the
    // newest record is overwritten rather than memory outside the queue.
    const std::uint8_t slot = static_cast<std::uint8_t>(
        (events_head_ + (events_len_ < kEventQueue ? events_len_ : kEventQueue - 1)) % kEventQueue);
    if (events_len_ < kEventQueue) ++events_len_;
    detail::EventRecord& r = events_[slot];
    r = detail::EventRecord{"", message_.number, 0, static_cast<std::uint16_t>(message_.accepted), 0, 0,
                            EnhancedStatus{}, type, false
#ifndef SMTPCORE_NO_DSN
                            , false  // dsn_dropped, set below
#endif
    };
#if !defined(SMTPCORE_NO_DSN) || !defined(SMTPCORE_NO_LMTP)
    const bool outcome = type == EventType::MessageAccepted || type == EventType::MessageRejected || type == EventType::MessageUnknown;
#endif
#ifndef SMTPCORE_NO_DSN
    r.dsn_dropped = outcome && detail::dsn_dropped(message_.envelope, caps_);
#endif
#ifndef SMTPCORE_NO_LMTP
    if (outcome && lmtp()) end_lmtp_message(r);  // RFC 2033 §4.2: how many took it, how many are unknown
#endif
    return r;
}

void Client::queue_reply(EventType type, std::uint32_t recipient) noexcept {
    detail::EventRecord& r = push_event(type);
    const std::string_view text = reply_text();
    r.text = text.data();
    r.text_length = static_cast<std::uint16_t>(text.size());
    r.code = parsers_.reply.code();
    r.status = status_;
    r.temporary = is_transient_failure(r.code);
    r.recipient_index = static_cast<std::uint16_t>(recipient);
}

void Client::queue_local(EventType type, const char* text, bool temporary) noexcept {
    detail::EventRecord& r = push_event(type);
    r.text = text;
    r.text_length = static_cast<std::uint16_t>(detail::reason_length(text));
    r.temporary = temporary;
}

void Client::queue_stored_rejection(EventType type) noexcept {
    // The stored reply: a failed transaction's first failure, or (LMTP) the
    // per-recipient reply that the outcome reports.
    const detail::MessageRecord& m = message_;
    detail::EventRecord& r = push_event(type);
    r.text = m.failure_text;
    r.text_length = m.failure_length;
    r.code = m.failure_code;
    r.status = m.failure_status;
    r.temporary = m.failure_temporary;
}

Event Client::pop_event() noexcept {
    // One named result on every path, so it is built in the caller's slot
    // (no copy of the Event on return; next_event() asks after every reply).
    Event e;
    if (events_len_ == 0) return e;
#ifndef SMTPCORE_NO_CHUNKING
    // Outcomes of messages behind the one that ended the session come before
    // the event that says it ended (lib/core/messages_in_flight.cpp).
    const EventType head = events_[events_head_].type;
    if (settling_ && (head == EventType::Error || head == EventType::Closed)) return settled_outcome();
#endif
    const detail::EventRecord& r = events_[events_head_];
    events_head_ = static_cast<std::uint8_t>((events_head_ + 1) % kEventQueue);
    --events_len_;
    e.type = r.type;
    e.code = r.code;
    e.status = r.status;
    e.temporary = r.temporary;
#ifndef SMTPCORE_NO_DSN
    e.dsn_dropped = r.dsn_dropped;
#endif
    e.message = r.message;
    e.recipient_index = r.recipient_index;
    e.accepted_recipients = r.accepted_recipients;
    e.text = std::string_view(r.text, r.text_length);
    // The envelope is the application's until the message's outcome, and a
    // new message cannot be submitted before every event was pulled.
    if (r.type == EventType::RecipientResult) e.recipient = message_.envelope.recipients[r.recipient_index];
#ifndef SMTPCORE_NO_LMTP
    if (r.type == EventType::RecipientOutcome) e.recipient = lmtp_area().recipients[r.recipient_index];
    if (lmtp() && r.type >= EventType::MessageAccepted && r.type <= EventType::MessageUnknown)
        e.unknown_recipients = r.recipient_index, e.recipient_index = 0;  // end_lmtp_message() put it there
#endif
    if (r.type == EventType::Error) e.error = error_;
    return e;
}

}  // namespace smtpcore
