// LMTP (RFC 2033): the Local Mail Transfer Protocol, ESMTP's sibling for
// delivery into a mail store. What differs from SMTP is here; the rest of the
// session (greeting, STARTTLS, AUTH, MAIL, RCPT, DATA, PIPELINING) is shared.
//
// - §4.1: the greeting is LHLO, and there is no HELO fallback (an LMTP server
//   that refuses LHLO speaks no older dialect). client.cpp writes the verb,
//   session.cpp refuses the fallback.
// - §4.2: after the end of data the server sends one reply for every
//   recipient that RCPT accepted, in RCPT order. Each reply is that
//   recipient's outcome (EventType::RecipientOutcome); the message's outcome
//   follows the last one: accepted when at least one recipient took it,
//   rejected otherwise (temporary when a retry may help one of them).
//   The queue of outstanding commands gets one DataEnd record per accepted
//   recipient, so each reply finds its recipient, and a connection lost
//   between them leaves the message unknown (RFC 5321 §6.1: the recipients
//   not yet answered may have it); accepted_recipients then counts those
//   that did take it.
// - BDAT (RFC 3030) is not used under LMTP: Config::chunking Always is
//   refused at construction and Auto means DATA.
//
// The caller opts in with Config::protocol; nothing a server says turns it on.
// Compiled out with SMTPCORE_NO_LMTP (the lean microcontroller build).
#ifndef SMTPCORE_NO_LMTP

#include "lmtp.hpp"

#include <cstdint>

#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

using detail::LmtpArea;

namespace {
// One bit per recipient in LmtpArea::accepted.
constexpr std::size_t kMaxLmtpRecipients = 64;
static_assert(sizeof(LmtpArea) + alignof(LmtpArea) - 1 <= Client::kLmtpStorage, "Client::kLmtpStorage must hold the LmtpArea");

bool accepted_at_rcpt(const LmtpArea& area, std::uint32_t i) noexcept { return (area.accepted[i / 8] >> (i % 8) & 1) != 0; }
}  // namespace

LmtpArea& Client::lmtp_area() const noexcept {
    // At the end of the storage: behind the send buffer and the records of
    // messages in flight beyond the first (messages_storage(), alignment
    // slack included), aligned; init() left kLmtpStorage there.
    const auto end = reinterpret_cast<std::uintptr_t>(send_ + send_cap_ + messages_storage(config_));
    const std::uintptr_t aligned = (end + alignof(LmtpArea) - 1) / alignof(LmtpArea) * alignof(LmtpArea);
    return *reinterpret_cast<LmtpArea*>(aligned);
}

void Client::end_lmtp_message(detail::EventRecord& outcome) noexcept {
    // The message's outcome is being queued: it reports how many recipients
    // took it and, when it is unknown, how many accepted at RCPT got no reply
    // (each may have the message; RFC 5321 §6.1). That count rides in the
    // record's recipient_index, unused by outcomes (pop_event() moves it).
    // The next message starts from nothing (the recipients of a
    // RecipientOutcome still queued stay).
    LmtpArea& area = lmtp_area();
    outcome.accepted_recipients = area.delivered;
    if (outcome.type == EventType::MessageUnknown && area.replies < message_.accepted)
        outcome.recipient_index = static_cast<std::uint16_t>(message_.accepted - area.replies);
    const Span<const std::string_view> recipients = area.recipients;
    area = LmtpArea{};
    area.recipients = recipients;
}

const char* detail::check_lmtp_config(const Config& config) noexcept {
    if (config.protocol == Protocol::Lmtp && config.chunking == ChunkingPolicy::Always)
        return SMTPCORE_REASON("chunking Always under LMTP: BDAT is not built for LMTP (RFC 2033 with RFC 3030)");
    return nullptr;
}

const char* Client::check_lmtp_envelope(const Envelope& envelope) const noexcept {
    if (!lmtp()) return nullptr;
    // Every accepted recipient is owed a reply after the end of data, each a
    // record in the queue of outstanding commands, all pushed with the marker.
    const std::size_t n = envelope.recipients.size();
    if (n > kMaxLmtpRecipients || n > config_.limits.commands_in_flight)
        return SMTPCORE_REASON("LMTP takes at most 64 recipients, and no more than commands_in_flight");
    return nullptr;
}

void Client::note_lmtp_acceptance(std::uint32_t recipient) noexcept {
    lmtp_area().accepted[recipient / 8] |= static_cast<std::uint8_t>(1u << (recipient % 8));
}

void Client::push_lmtp_data_end_records() noexcept {
    // RFC 2033 §4.2: one reply per recipient accepted at RCPT, in RCPT order.
    // The queue is empty here (354 answered the last envelope line, and the
    // next message's lines follow the marker), and submit() kept the
    // recipients within its capacity. A server that said 354 although no
    // recipient was accepted (§4.2 wants 503) answers the lone marker once.
    const detail::MessageRecord& m = message_;
    if (m.accepted == 0) return push_command(detail::CommandKind::DataEnd, m.number);
    const LmtpArea& area = lmtp_area();
    const std::uint32_t n = static_cast<std::uint32_t>(m.envelope.recipients.size());
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!accepted_at_rcpt(area, i)) continue;
        if (commands_.full(config_.limits.commands_in_flight)) return;  // cannot happen: see above
        push_command(detail::CommandKind::DataEnd, m.number, i);
    }
}

void Client::on_lmtp_data_end_reply(detail::OutstandingCommand command) noexcept {
    detail::MessageRecord& m = message_;
    if (m.accepted == 0) return on_data_end_reply();  // the lone marker's one reply
    const std::uint16_t code = parsers_.reply.code();
    if (code >= 300 && code < 400)
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("a recipient's reply after the end of data has a 3xx code"), false);
    if (command.message != static_cast<std::uint8_t>(m.number))
        return fail(ErrorKind::Misuse, SMTPCORE_REASON("engine bug: a reply matched to another message's line"), false);
    LmtpArea& area = lmtp_area();
    const bool delivered = code < 300;
    ++area.replies;
    if (delivered) ++area.delivered;
    if (is_transient_failure(code)) area.any_temporary = true;
    // The outcome reports one of these replies: the first, or the first 2xx
    // once one came. Its text is held in front of later replies' (events.cpp).
    const bool first = area.replies == 1;
    if (first || (delivered && area.delivered == 1)) {
        const std::string_view text = reply_text();
        m.failure_text = text.data();
        m.failure_length = static_cast<std::uint16_t>(text.size());
        m.failure_code = code;
        m.failure_status = status_;
        hold_text_ = true;
    }
    area.recipients = m.envelope.recipients;
    queue_reply(EventType::RecipientOutcome, command.recipient_index());
    if (area.replies < m.accepted) return;  // more replies owed
    on_data_end_reply();                      // the last one: the outcome (queue_lmtp_outcome)
}

void Client::queue_lmtp_outcome() noexcept {
    // Called by decide_outcome() for the final reply, or for a 421 in place of one.
    const LmtpArea& area = lmtp_area();
    // 421: the rest may have it; their count goes where end_lmtp_message() puts it.
    if (area.replies < message_.accepted) return queue_reply(EventType::MessageUnknown, message_.accepted - area.replies);
    message_.failure_temporary = area.delivered == 0 && area.any_temporary;
    queue_stored_rejection(area.delivered > 0 ? EventType::MessageAccepted : EventType::MessageRejected);
}

}  // namespace smtpcore

#endif  // SMTPCORE_NO_LMTP
