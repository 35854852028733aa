// Mail transactions (RFC 5321 §3.3): submit(), the envelope lines MAIL, RCPT
// and DATA (pipelined per RFC 2920 when offered), their replies, cancel(),
// and the end-of-data reply. The outcome itself is decided in outcome.cpp.
#include <cstring>

#include "address.hpp"
#include "commands.hpp"
#include "envelope_extensions.hpp"
#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

using namespace std::string_view_literals;  // "EHLO"sv: no strlen() at run time (commands.cpp)

using detail::MessageRecord;
using detail::PendingLine;

namespace {
constexpr std::size_t kMaxRecipients = 65535;  // event records count them in 16 bits

// RecipientPolicy::AnyAccepted, the default; a build with
// SMTPCORE_NO_ALL_REQUIRED refuses AllRequired at construction (client.cpp),
// so the policy is known at compile time there.
#if defined(SMTPCORE_NO_ALL_REQUIRED)
constexpr bool any_accepted_policy(const Config&) noexcept { return true; }
#else
bool any_accepted_policy(const Config& c) noexcept { return c.recipients == RecipientPolicy::AnyAccepted; }
#endif
}  // namespace

Error Client::submit(const Envelope& envelope) noexcept {
    body_window_ = 0;
    auto refuse = [](ErrorKind kind, const char* reason, const char* where, std::int32_t index = -1) {
        return Error{kind, reason, where, index};
    };
#ifdef SMTPCORE_NO_SUBMIT_AHEAD
    constexpr bool ahead = false;
    if (state_ != SessionState::Ready)
#else
    const bool ahead = state_ != SessionState::Ready;
    if (ahead && !can_submit())
#endif
        return refuse(ErrorKind::Misuse, SMTPCORE_REASON("submit() needs Ready, or the body of the message in flight ended"), phase());
    if (!ahead && events_len_ != 0)
        return refuse(ErrorKind::Misuse, SMTPCORE_REASON("submit() before every event was pulled"), phase());
#if defined(SMTPCORE_NO_8BITMIME)
    // Built without 8BITMIME, SMTPUTF8 and BINARYMIME (docs/footprint.md):
    // only 7-bit bodies and ASCII addresses, never an 8-bit body sent unasked.
    if (envelope.body != BodyType::SevenBit || envelope.smtputf8)
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("8-bit body or SMTPUTF8, but this build has neither (SMTPCORE_NO_8BITMIME)"), "MAIL FROM");
    constexpr bool utf8 = false;
#else
    const bool utf8 = envelope.smtputf8;
#endif
    if (envelope.recipients.empty()) return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("no recipients"), "RCPT");
    if (envelope.recipients.size() > kMaxRecipients)  // RFC 5321 §4.5.3.1.8 asks servers for 100
        return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("more than 65535 recipients"), "RCPT");
    if (!envelope.from.empty()) {
        if (const char* why = detail::check_mailbox(envelope.from, utf8, false))
            return refuse(ErrorKind::InvalidInput, why, "MAIL FROM");
    }
    for (std::size_t i = 0; i < envelope.recipients.size(); ++i) {
        if (const char* why = detail::check_mailbox(envelope.recipients[i], utf8, true))
            return refuse(ErrorKind::InvalidInput, why, "RCPT TO", static_cast<std::int32_t>(i));
    }
#if !defined(SMTPCORE_NO_8BITMIME)
    if (envelope.body == BodyType::EightBitMime && !caps_.has(Extension::EightBitMime))
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer 8BITMIME"), "MAIL FROM");
    if (utf8 && !caps_.has(Extension::SmtpUtf8))
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer SMTPUTF8"), "MAIL FROM");
#endif
#ifndef SMTPCORE_NO_CHUNKING
    if (const char* why = check_chunking(envelope)) return refuse(ErrorKind::Unsupported, why, "MAIL FROM");
#endif
    if (caps_.has(Extension::Size) && caps_.size_limit > 0 && envelope.size_hint > caps_.size_limit)
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("message is larger than the server's SIZE limit"), "MAIL FROM");
#ifndef SMTPCORE_NO_LMTP
    if (const char* why = check_lmtp_envelope(envelope)) return refuse(ErrorKind::InvalidInput, why, "RCPT");
#endif
#ifdef SMTPCORE_ENVELOPE_EXTENSIONS
    if (const Error e = detail::check_envelope_extensions(envelope, caps_, secure_, send_cap_)) return e;  // DSN, REQUIRETLS
#endif

    if (ahead) {
        ahead_ = detail::SubmittedAhead{envelope, 0, true};
        write_output();
        return {};
    }
    const std::uint32_t number = message_.number + 1;
    message_ = MessageRecord{};
    message_.envelope = envelope;
    message_.number = number;
    message_.open = true;
    // RFC 2920 §3.1: MAIL, every RCPT and DATA go in one flight. DATA waits for
    // the RCPT replies only when every recipient is required, because a DATA
    // already answered with 354 cannot be withdrawn.
    message_.data_allowed = caps_.has(Extension::Pipelining) && any_accepted_policy(config_);
    parsers_.stuffer.reset();
    enter(SessionState::Envelope);
    start_wait_at_next_clock();
    write_output();
    return {};
}

bool Client::can_submit() const noexcept {
    if (state_ == SessionState::Ready) return events_len_ == 0;
#ifdef SMTPCORE_NO_SUBMIT_AHEAD
    return false;  // no message submitted ahead in this build
#else
    bool body_over = state_ == SessionState::DataEnd || (state_ == SessionState::Body && message_.body_ended);
#ifndef SMTPCORE_NO_CHUNKING
    if (const detail::MessageBehind* b = flowing_behind()) body_over = body_over && b->body_ended;
#endif
    return body_over && !ahead_.open && !quit_requested_;
#endif
}

void Client::generate_transaction() noexcept {
    MessageRecord& m = message_;
    const std::uint32_t data_index = static_cast<std::uint32_t>(m.envelope.recipients.size()) + 1;
    const bool pipelining = caps_.has(Extension::Pipelining);
    while (m.lines_written <= data_index) {
        if (m.failed || m.cancel_requested) break;
        if (!pipelining && m.lines_written > m.lines_answered) break;  // lock-step: wait for the reply
        if (m.lines_written == data_index && !m.data_allowed) break;
        if (m.lines_written == data_index && chunked()) {
#ifndef SMTPCORE_NO_CHUNKING
            start_chunks();  // BDAT: no DATA line
#endif
            return;
        }
        if (!write_transaction_command(m.envelope, m.lines_written, m.number)) break;  // no room until send_ack() or replies
        ++m.lines_written;
    }
}

void Client::generate_ahead() noexcept {
#ifndef SMTPCORE_NO_SUBMIT_AHEAD
    // RFC 2920 §3.1: the previous message's content and end of data may open
    // a group that this message's MAIL, RCPT... and DATA continue. DATA only
    // when it may be pipelined at all (AnyAccepted); the rest waits for the
    // replies once this message is the current one.
#ifdef SMTPCORE_NO_CHUNKING
    const bool previous_marker = message_.marker_written;
    constexpr std::uint32_t behind = 0;
#else
    // It follows the newest message behind the oldest, if any.
    const std::uint32_t behind = behind_len_;
    const bool previous_marker = behind > 0 ? behind_slots()[behind - 1].marker_written : message_.marker_written;
#endif
    if (!ahead_.open || !previous_marker || !caps_.has(Extension::Pipelining)) return;
    const std::uint32_t data_index = static_cast<std::uint32_t>(ahead_.envelope.recipients.size()) + 1;
    const bool data_ahead = any_accepted_policy(config_) && !chunked();  // BDAT has no DATA line
    const std::uint32_t last = data_ahead ? data_index : data_index - 1;
    while (ahead_.lines_written <= last &&
           write_transaction_command(ahead_.envelope, ahead_.lines_written, message_.number + 1 + behind))
        ++ahead_.lines_written;
#endif
}

void Client::promote_ahead() noexcept {
    // The previous message's outcome was just queued: this one is current now.
#ifndef SMTPCORE_NO_CHUNKING
    if (behind_len_ > 0) return promote_behind();  // the next one's content already went out
#endif
    const std::uint32_t number = message_.number + 1;
    message_ = MessageRecord{};
    message_.envelope = ahead_.envelope;
    message_.number = number;
    message_.open = true;
    message_.lines_written = ahead_.lines_written;
    message_.data_allowed = caps_.has(Extension::Pipelining) && any_accepted_policy(config_);
    ahead_ = detail::SubmittedAhead{};
    parsers_.stuffer.reset();
    hold_text_ = false;
    enter(SessionState::Envelope);
}

bool Client::write_transaction_command(const Envelope& env, std::uint32_t index, std::uint32_t message) noexcept {
    const std::uint32_t data_index = static_cast<std::uint32_t>(env.recipients.size()) + 1;
    auto write = [&](detail::LineBuilder& line) {
        if (index == 0) return detail::put_mail_command(line, env, caps_);
        if (index < data_index) return detail::put_rcpt_command(line, env, index - 1, caps_);
        line.put("DATA\r\n");
    };
    // Usually the line fits behind the output as it stands (the octets past
    // send_tail_ are free here, as they are for reserve()): one pass writes
    // and measures it. Otherwise it is written again where reserve() made room.
    // A SMALL_CODE build always measures first: two passes, less code.
    if (commands_.full(config_.limits.commands_in_flight)) return false;
#if defined(SMTPCORE_SMALL_CODE)
    detail::LineBuilder line(nullptr);
#else
    detail::LineBuilder line(send_ + send_tail_, send_cap_ - send_tail_);
#endif
    write(line);
    if (!line.written()) {
        char* p = reserve(line.size());
        if (p == nullptr) return false;
        line = detail::LineBuilder(p);
        write(line);
    }
    commit(line.size());
    using detail::CommandKind;
    const CommandKind kind = index == 0 ? CommandKind::Mail : index < data_index ? CommandKind::Rcpt : CommandKind::Data;
    push_command(kind, message, index - 1);  // the recipient index matters for RCPT only
    return true;
}

void Client::fail_transaction(const char* local_reason, bool temporary) noexcept {
    MessageRecord& m = message_;
    m.failed = true;
    m.failure_temporary = temporary;
    if (local_reason != nullptr) {
        m.failure_text = local_reason;
        m.failure_length = static_cast<std::uint16_t>(detail::reason_length(local_reason));
        return;
    }
    // The current reply is the reason: keep its text in front of later replies.
    const std::string_view text = reply_text();
    m.failure_text = text.data();
    m.failure_length = static_cast<std::uint16_t>(text.size());
    m.failure_code = parsers_.reply.code();
    m.failure_status = status_;
    hold_text_ = true;
}

void Client::on_transaction_reply(detail::OutstandingCommand command) noexcept {
    MessageRecord& m = message_;
    const std::uint16_t code = parsers_.reply.code();
    const std::uint32_t n = static_cast<std::uint32_t>(m.envelope.recipients.size());
    // The popped record says which line this reply answers: 0 MAIL, 1..n RCPT, n+1 DATA.
    using detail::CommandKind;
    const std::uint32_t index = command.kind == CommandKind::Mail   ? 0
                                : command.kind == CommandKind::Rcpt ? command.recipient_index() + 1
                                                                    : n + 1;
    if (command.message != static_cast<std::uint8_t>(m.number))
        return fail(ErrorKind::Misuse, SMTPCORE_REASON("engine bug: a reply matched to another message's line"), false);
    const bool success = code >= 200 && code < 300;  // RFC 5321 §4.2: act on the first digit (250, 251, 252)
    // A 3xx to MAIL or RCPT answers no question we asked: a broken server,
    // not a rejection that would make the application bounce the message.
    if (index <= n && code >= 300 && code < 400)
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("MAIL or RCPT answered with a 3xx code"), false);
    ++m.lines_answered;
    if (index == 0) {  // MAIL
        if (success) {
            m.mail_accepted = true;
        } else {
            fail_transaction(nullptr, is_transient_failure(code));
        }
    } else if (index <= n) {  // RCPT
        if (m.mail_accepted) {
            if (success) {
                ++m.accepted;
#ifndef SMTPCORE_NO_LMTP
                if (lmtp()) note_lmtp_acceptance(index - 1);  // it is owed a reply after the end of data
#endif
            } else if (is_transient_failure(code)) {
                m.any_rcpt_temporary = true;
            } else {
                m.any_rcpt_permanent = true;
            }
            queue_reply(EventType::RecipientResult, index - 1);
        }
        if (index == n && m.mail_accepted && !m.failed) {
            if (m.cancel_requested) {
                fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
            } else if (m.accepted == 0) {
                fail_transaction(SMTPCORE_REASON("no recipient was accepted"), m.any_rcpt_temporary);
            } else if (!any_accepted_policy(config_) && m.accepted < n) {
                // One permanent refusal makes the message as submitted undeliverable.
                fail_transaction(SMTPCORE_REASON("a recipient was refused and all are required"), !m.any_rcpt_permanent);
            } else {
                m.data_allowed = true;
            }
        }
    } else {  // DATA
        if (code == 354) {
            if (!m.failed && !m.cancel_requested) {
                enter(SessionState::Body);
                return queue_reply(EventType::BodyWanted);
            }
            if (m.accepted > 0)  // cancel() raced a pipelined DATA: the body cannot be taken back
                return fail(ErrorKind::Cancelled, SMTPCORE_REASON("message cancelled after DATA was accepted"), false);
            // RFC 2920 §3.1: DATA accepted with no valid recipient: send a lone
            // "." (it delivers nothing) and report the stored failure.
            enter(SessionState::Body);
            m.body_ended = true;
            return;
        }
        if (code < 400) return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("DATA answered with neither 354 nor an error"), false);
        if (!m.failed) fail_transaction(nullptr, is_transient_failure(code));
    }
    if (m.cancel_requested && !m.failed && index == 0)
        fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
    // With BDAT a transaction that fails during its body ends in settle_failed_chunks().
    if ((m.failed || m.cancel_requested) && m.lines_answered == m.lines_written && state_ == SessionState::Envelope)
        finish_failed_transaction();
}

void Client::finish_failed_transaction() noexcept {
    if (!message_.failed) fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
    // §4.1.1.5: clear the server's half-open transaction.
    if (message_.mail_accepted) return send_lockstep(PendingLine::Rset, SessionState::Rset);
    decide_outcome(Cause::Drained);
    if (kChunkingBuilt && ahead_open()) return promote_ahead();  // a BDAT body ended before the failure was known
    enter_ready();
}

void Client::on_data_end_reply() noexcept {
    // §4.1.1.4: the reply to end of data completes the transaction either way.
    const std::uint16_t code = parsers_.reply.code();
    if (code >= 300 && code < 400)  // neither taken nor refused: the outcome is unknown
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("end of data answered with a 3xx code"), false);
    decide_outcome(Cause::FinalReply);
    if (ahead_open() || behind_waiting()) return promote_ahead();
    enter_ready();
}

#ifndef SMTPCORE_NO_CANCEL  // docs/footprint.md
void Client::drop_unsent_lines() noexcept {
    // Envelope lines not yet handed out by send_buf() never reach the server:
    // take them back, with their records in the queue of outstanding commands.
    send_tail_ = handed_out_;
    message_.lines_written -= commands_.drop_unhanded();
}

Error Client::cancel() noexcept {
    body_window_ = 0;
    if (in_body()) {
        fail(ErrorKind::Cancelled, SMTPCORE_REASON("message cancelled by the application during the body"), false);
        return {};
    }
    if (state_ != SessionState::Envelope)
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("cancel() without a message before its body"), phase()};
    message_.cancel_requested = true;
    drop_unsent_lines();
    if (message_.lines_answered == message_.lines_written) finish_failed_transaction();
    return {};
}
#endif

}  // namespace smtpcore
