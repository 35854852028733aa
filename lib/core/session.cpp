// The session state machine: what each reply means in each RFC 5321 phase,
// and the application's commands. This file owns every state transition
// (docs/state-machine.md shows the same table).
#include "smtpcore/client.hpp"

#include "address.hpp"
#include "sasl.hpp"
#include "reason.hpp"

namespace smtpcore {

using detail::PendingLine;
using detail::SaslKind;

namespace {

bool tls_required(const Config& c) noexcept {
    return c.tls == TlsMode::StartTlsRequired || c.tls == TlsMode::Implicit;
}

// Lost connections, timeouts and broken servers leave a message unsent but
// worth retrying; a refused body or an application's own stop do not.
bool retry_may_help(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::PeerViolation:
    case ErrorKind::LimitExceeded:
    case ErrorKind::Timeout:
    case ErrorKind::ConnectionLost:
        return true;
    default:
        return false;
    }
}

}  // namespace

const char* Client::phase() const noexcept {
    if (state_ == SessionState::Envelope) {
        const std::size_t n = envelope_.recipients.size();
        return answered_ == 0 ? "MAIL" : answered_ <= n ? "RCPT" : "DATA";
    }
    return to_string(state_);
}

Millis Client::current_timeout() const noexcept {
    const Timeouts& t = config_.timeouts;
    switch (state_) {
    case SessionState::AwaitTls:
    case SessionState::Greeting: return t.greeting;
    case SessionState::Envelope: {
        const std::size_t n = envelope_.recipients.size();
        return answered_ == 0 ? t.mail : answered_ <= n ? t.rcpt : t.data_init;
    }
    case SessionState::Body: return t.data_block;
    case SessionState::DataEnd: return terminator_flushed_ ? t.data_end : t.data_block;
    default: return t.command;
    }
}

// ---- replies -----------------------------------------------------------------

void Client::on_reply() noexcept {
    const std::uint16_t code = parts_.reply.code();
    if (!replies_outstanding()) {
        // RFC 5321 §3.8: a server may announce 421 and close at any time.
        if (code == 421) return close_on_421();
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("reply to no command (unsolicited or a second reply)"), false);
    }
    ++replies_;
    mark_progress();
    if (code == 421 && state_ != SessionState::Quit) return close_on_421();
    switch (state_) {
    case SessionState::Greeting: return on_greeting_reply();
    case SessionState::Ehlo: return on_ehlo_reply();
    case SessionState::Helo: return on_helo_reply();
    case SessionState::StartTls: return on_starttls_reply();
    case SessionState::Auth: return on_auth_reply();
    case SessionState::Envelope: return on_transaction_reply();
    case SessionState::DataEnd: return on_data_end_reply();
    case SessionState::Rset: return on_rset_reply();
    case SessionState::Quit:
        state_ = SessionState::Closed;
        return queue_reply(EventType::Closed);
    default:
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("reply in a state that expects none"), false);
    }
}

void Client::on_greeting_reply() noexcept {
    // RFC 5321 §3.1 / §4.3.2: 220 opens the session; 554 refuses it (the
    // client should still say QUIT); 421 means try later. Nothing else is valid.
    const std::uint16_t code = parts_.reply.code();
    if (code == 220) {
        queue_reply(EventType::Greeting);
        return begin_ehlo();
    }
    if (code >= 400) return fail(ErrorKind::Refused, SMTPCORE_REASON("server refused the session"), true, true);
    fail(ErrorKind::PeerViolation, SMTPCORE_REASON("greeting is not 220"), false);
}

void Client::begin_ehlo() noexcept {
    caps_ = Capabilities{};
    parts_.ehlo.begin_line();
    parts_.pending = PendingLine::Ehlo;
    state_ = SessionState::Ehlo;
}

void Client::on_ehlo_reply() noexcept {
    const std::uint16_t code = parts_.reply.code();
    if (code == 250) {
        caps_.esmtp = true;
        return after_hello();
    }
    caps_ = Capabilities{};
    if (code >= 500) {
        // §3.2: fall back to HELO for servers that predate ESMTP, unless TLS is
        // required and not up yet: HELO has no STARTTLS, so that is a downgrade.
        if (tls_required(config_) && !secure_)
            return fail(ErrorKind::TlsRequired, SMTPCORE_REASON("EHLO refused while TLS is required"), true, true);
        parts_.pending = PendingLine::Helo;
        state_ = SessionState::Helo;
        return;
    }
    fail(ErrorKind::Refused, SMTPCORE_REASON("EHLO refused"), true, true);
}

void Client::on_helo_reply() noexcept {
    if (parts_.reply.code() != 250) return fail(ErrorKind::Refused, SMTPCORE_REASON("HELO refused"), true, true);
    after_hello();
}

void Client::after_hello() noexcept {
    const bool wants_starttls =
        config_.tls == TlsMode::StartTlsRequired || config_.tls == TlsMode::Opportunistic;
    if (!secure_ && wants_starttls) {
        if (caps_.has(Extension::StartTls)) {
            parts_.pending = PendingLine::StartTls;
            state_ = SessionState::StartTls;
            return;
        }
        if (config_.tls == TlsMode::StartTlsRequired)
            return fail(ErrorKind::TlsRequired, SMTPCORE_REASON("server does not offer STARTTLS"), true);
    }
    if (!config_.username.empty()) return start_auth();
    enter_ready();
}

void Client::on_starttls_reply() noexcept {
    if (parts_.reply.code() == 220) {
        state_ = SessionState::TlsHandshake;
        // Anything after this reply, even part of a line, came in plaintext
        // and would be read as if it came through TLS (CVE-2021-22947).
        if (recv_tail_ != recv_head_)
            return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("data after the STARTTLS reply before TLS (response injection)"), false);
        return queue_reply(EventType::StartTls);
    }
    if (config_.tls == TlsMode::StartTlsRequired)
        return fail(ErrorKind::TlsRequired, SMTPCORE_REASON("server refused STARTTLS"), true, true);
    // Opportunistic: go on in plaintext (no credentials are configured).
    enter_ready();
}

Error Client::tls_established() noexcept {
    body_window_ = 0;
    if (state_ == SessionState::AwaitTls) {
        secure_ = true;
        state_ = SessionState::Greeting;
        mark_progress();
        return {};
    }
    if (state_ != SessionState::TlsHandshake)
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("tls_established() outside a TLS handshake"), phase()};
    // RFC 3207 §4.2: forget everything learned before TLS and greet again.
    secure_ = true;
    parts_.reply.reset();
    begin_ehlo();
    mark_progress();
    pump();
    return {};
}

void Client::start_auth() noexcept {
    if (!secure_ && !config_.allow_plaintext_auth)
        return fail(ErrorKind::InsecureAuth, SMTPCORE_REASON("refusing to send credentials without TLS"), true);
    if (!caps_.has(Extension::Auth))
        return fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("server does not offer AUTH"), true);
    SaslKind kind = SaslKind::Plain;
    switch (config_.auth) {
    case AuthChoice::Plain: kind = SaslKind::Plain; break;
    case AuthChoice::Login: kind = SaslKind::Login; break;
    case AuthChoice::Auto:
        if (caps_.offers(SaslMechanism::Plain)) {
            kind = SaslKind::Plain;
        } else if (caps_.offers(SaslMechanism::Login)) {
            kind = SaslKind::Login;
        } else {
            return fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("server offers neither PLAIN nor LOGIN"), true);
        }
        break;
    }
    parts_.sasl = kind;
    parts_.sasl_step = 0;
    parts_.sasl_challenges = 0;
    parts_.sasl_cancelled = false;
    parts_.pending = kind == SaslKind::Plain ? PendingLine::AuthPlain : PendingLine::AuthLogin;
    state_ = SessionState::Auth;
}

void Client::on_auth_reply() noexcept {
    const std::uint16_t code = parts_.reply.code();
    if (code == 235) {  // RFC 4954 §6
        queue_reply(EventType::Authenticated);
        return enter_ready();
    }
    if (code != 334) {
        return fail(ErrorKind::AuthFailed,
                    parts_.sasl_cancelled ? SMTPCORE_REASON("invalid SASL challenge; AUTH cancelled") : SMTPCORE_REASON("authentication failed"),
                    true, true);
    }
    // A challenge (RFC 4954 §4). Answer it, or cancel with "*" when it is not
    // base64, is cut off, or is more than the mechanism can use.
    const bool valid = !text_cut_ && !parts_.sasl_cancelled &&
                       ++parts_.sasl_challenges <= config_.limits.sasl_challenges &&
                       detail::challenge_is_valid(reply_text());
    const std::uint8_t max_steps = parts_.sasl == SaslKind::Plain ? 1 : 2;
    // PLAIN answers only the empty challenge that follows "AUTH PLAIN" without an initial response.
    const bool usable = parts_.sasl == SaslKind::Login || reply_text().empty();
    if (valid && usable && parts_.sasl_step < max_steps) {
        ++parts_.sasl_step;
        parts_.pending = PendingLine::SaslResponse;
    } else {
        parts_.sasl_cancelled = true;
        parts_.pending = PendingLine::SaslCancel;
    }
}

void Client::enter_ready() noexcept {
    state_ = SessionState::Ready;
    hold_text_ = false;
    if (quit_requested_) {
        parts_.pending = PendingLine::Quit;
        state_ = SessionState::Quit;
        return;
    }
    queue_local(EventType::Ready, "ready");
}

// ---- transactions --------------------------------------------------------------

Error Client::submit(const Envelope& envelope) noexcept {
    body_window_ = 0;
    auto refuse = [](ErrorKind kind, const char* reason, const char* where, std::int32_t index = -1) {
        return Error{kind, reason, where, index};
    };
    if (state_ != SessionState::Ready)
        return refuse(ErrorKind::Misuse, SMTPCORE_REASON("submit() needs the Ready state"), phase());
    if (queue_len_ != 0)
        return refuse(ErrorKind::Misuse, SMTPCORE_REASON("submit() before every event was pulled"), phase());
    const bool utf8 = envelope.smtputf8;
    if (envelope.recipients.empty()) return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("no recipients"), "RCPT");
    if (!envelope.from.empty()) {
        if (const char* why = detail::check_mailbox(envelope.from, utf8, false))
            return refuse(ErrorKind::InvalidInput, why, "MAIL FROM");
    }
    for (std::size_t i = 0; i < envelope.recipients.size(); ++i) {
        if (const char* why = detail::check_mailbox(envelope.recipients[i], utf8, true))
            return refuse(ErrorKind::InvalidInput, why, "RCPT TO", static_cast<std::int32_t>(i));
    }
    if (envelope.body == BodyType::EightBitMime && !caps_.has(Extension::EightBitMime))
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer 8BITMIME"), "MAIL FROM");
    if (utf8 && !caps_.has(Extension::SmtpUtf8))
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer SMTPUTF8"), "MAIL FROM");
    if (caps_.has(Extension::Size) && caps_.size_limit > 0 && envelope.size_hint > caps_.size_limit)
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("message is larger than the server's SIZE limit"), "MAIL FROM");

    envelope_ = envelope;
    ++message_;
    generated_ = answered_ = accepted_ = 0;
    failure_code_ = 0;
    failure_status_ = EnhancedStatus{};
    failure_text_ = nullptr;
    failure_temporary_ = false;
    any_rcpt_temporary_ = false;
    mail_accepted_ = transaction_failed_ = cancel_requested_ = false;
    body_ended_ = terminator_written_ = terminator_flushed_ = false;
    terminator_left_ = 0;
    parts_.stuffer.reset();
    // RFC 2920 §3.1: MAIL, every RCPT and DATA go in one flight. DATA waits for
    // the RCPT replies only when every recipient is required, because a DATA
    // already answered with 354 cannot be withdrawn.
    data_allowed_ = caps_.has(Extension::Pipelining) && config_.recipients == RecipientPolicy::AnyAccepted;
    state_ = SessionState::Envelope;
    mark_progress();
    pump();
    return {};
}

void Client::fail_transaction(const char* local_reason, bool temporary) noexcept {
    transaction_failed_ = true;
    failure_temporary_ = temporary;
    failure_text_ = local_reason;
    if (local_reason == nullptr) {  // the current reply is the reason: keep its text
        failure_code_ = parts_.reply.code();
        failure_status_ = captured_ ? status_ : EnhancedStatus{};
        hold_text_ = captured_;
        if (!captured_) failure_text_ = "rejected";
    }
}

void Client::on_transaction_reply() noexcept {
    const std::uint16_t code = parts_.reply.code();
    const std::uint32_t index = answered_;
    const std::uint32_t n = static_cast<std::uint32_t>(envelope_.recipients.size());
    // A positive code that is not this command's success (354 to MAIL, 220 to
    // RCPT) answers no question we asked: a broken server, not a rejection
    // that would make the application bounce the message (found by fuzzing).
    if (index <= n && code < 400 && code != 250 && !(index > 0 && code == 251))
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("MAIL or RCPT answered with an unexpected positive code"),
                    false);
    ++answered_;
    if (index == 0) {  // MAIL
        if (code == 250) {
            mail_accepted_ = true;
        } else {
            fail_transaction(nullptr, is_transient_failure(code));
        }
    } else if (index <= n) {  // RCPT, §4.1.1.3: 250 or 251 accept the recipient
        if (mail_accepted_) {
            if (code == 250 || code == 251) {
                ++accepted_;
            } else {
                any_rcpt_temporary_ = any_rcpt_temporary_ || is_transient_failure(code);
            }
            queue_reply(EventType::RecipientResult, index - 1);
        }
        if (index == n && mail_accepted_ && !transaction_failed_) {
            if (cancel_requested_) {
                fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
            } else if (accepted_ == 0) {
                fail_transaction(SMTPCORE_REASON("no recipient was accepted"), any_rcpt_temporary_);
            } else if (config_.recipients == RecipientPolicy::AllRequired && accepted_ < n) {
                fail_transaction(SMTPCORE_REASON("a recipient was refused and all are required"), any_rcpt_temporary_);
            } else {
                data_allowed_ = true;
            }
        }
    } else {  // DATA
        if (code == 354) {
            if (!transaction_failed_ && !cancel_requested_) {
                state_ = SessionState::Body;
                return queue_reply(EventType::BodyWanted);
            }
            if (accepted_ > 0)  // only reachable when reset() raced a pipelined DATA
                return fail(ErrorKind::BodyFailed, SMTPCORE_REASON("message cancelled after DATA was accepted"), false);
            // RFC 2920 §3.1: DATA accepted with no valid recipient: send a lone
            // "." (it delivers nothing) and report the stored failure.
            state_ = SessionState::Body;
            body_ended_ = true;
            return;
        }
        if (code < 400) return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("DATA answered with neither 354 nor an error"), false);
        if (!transaction_failed_) fail_transaction(nullptr, is_transient_failure(code));
    }
    if (cancel_requested_ && !transaction_failed_ && index == 0)
        fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
    if ((transaction_failed_ || cancel_requested_) && answered_ == generated_) finish_failed_transaction();
}

void Client::finish_failed_transaction() noexcept {
    if (!transaction_failed_) fail_transaction(SMTPCORE_REASON("cancelled by the application"), false);
    if (mail_accepted_) {  // §4.1.1.5: clear the server's half-open transaction
        parts_.pending = PendingLine::Rset;
        state_ = SessionState::Rset;
        return;
    }
    queue_stored_rejection();
    enter_ready();
}

void Client::queue_stored_rejection() noexcept {
    queue(EventType::MessageRejected, Source::Stored, failure_text_, failure_temporary_);
}

void Client::on_data_end_reply() noexcept {
    // §4.1.1.4: the reply to end of data completes the transaction either way.
    const std::uint16_t code = parts_.reply.code();
    if (code >= 300 && code < 400)  // neither taken nor refused: the outcome is unknown
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("end of data answered with a 3xx code"), false);
    if (transaction_failed_) {
        queue_stored_rejection();
    } else {
        queue_reply(code >= 200 && code < 300 ? EventType::MessageAccepted : EventType::MessageRejected);
    }
    enter_ready();
}

void Client::on_rset_reply() noexcept {
    if (parts_.reply.code() != 250) return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("RSET refused"), false);
    queue_stored_rejection();
    enter_ready();
}

Error Client::reset() noexcept {
    body_window_ = 0;
    if (state_ == SessionState::Body) {
        fail(ErrorKind::BodyFailed, SMTPCORE_REASON("message cancelled by the application during the body"), false);
        return {};
    }
    if (state_ != SessionState::Envelope)
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("reset() without a message before its body"), phase()};
    cancel_requested_ = true;
    if (answered_ == generated_) finish_failed_transaction();
    return {};
}

Error Client::quit() noexcept {
    body_window_ = 0;
    switch (state_) {
    case SessionState::Ready:
        parts_.pending = PendingLine::Quit;
        state_ = SessionState::Quit;
        pump();
        return {};
    case SessionState::Quit:
    case SessionState::Closed:
    case SessionState::Failed:
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("quit() after the session ended"), phase()};
    default:
        quit_requested_ = true;  // after the current exchange or message
        return {};
    }
}

void Client::abort() noexcept { fail(ErrorKind::Aborted, SMTPCORE_REASON("aborted by the application"), false); }

void Client::connection_closed() noexcept {
    body_window_ = 0;
    switch (state_) {
    case SessionState::Closed:
    case SessionState::Failed:
        return;
    case SessionState::Quit:
    case SessionState::Ready:
        state_ = SessionState::Closed;
        discard_output();
        return queue_local(EventType::Closed, SMTPCORE_REASON("connection closed"));
    default:
        return fail(ErrorKind::ConnectionLost, SMTPCORE_REASON("connection lost"), false);
    }
}

// ---- ends ------------------------------------------------------------------------

void Client::report_in_flight(const char* reason, bool temporary) noexcept {
    switch (state_) {
    case SessionState::Envelope:
    case SessionState::Body:
    case SessionState::Rset:
        break;
    case SessionState::DataEnd:
        // RFC 5321 §6.1: once the end of data was sent the server may have
        // taken the message; say so rather than guess.
        if (terminator_flushed_ && !transaction_failed_)
            return queue_local(EventType::MessageUnknown, reason);
        break;
    default:
        return;
    }
    if (transaction_failed_) return queue_stored_rejection();
    queue_local(EventType::MessageRejected, reason, temporary);
}

void Client::close_on_421() noexcept {
    // §3.8 / §4.2.3: 421 Service not available, closing transmission channel.
    const bool in_body_flow = state_ == SessionState::DataEnd && terminator_flushed_;
    if (in_body_flow && !transaction_failed_) {
        queue_reply(EventType::MessageRejected);  // the final reply itself says no
    } else {
        report_in_flight(SMTPCORE_REASON("server is closing the connection (421)"), true);
    }
    state_ = SessionState::Closed;
    discard_output();
    queue_reply(EventType::Closed);
}

void Client::fail(ErrorKind kind, const char* reason, bool polite_quit, bool with_reply) noexcept {
    if (state_ == SessionState::Failed || state_ == SessionState::Closed) return;
    report_in_flight(reason, retry_may_help(kind));
    error_ = Error{kind, reason, phase()};
    discard_output();
    if (polite_quit) {
        // The server behaved; the session cannot go on (policy or refusal):
        // leave a QUIT for the host to flush before it closes.
        parts_.pending = PendingLine::Quit;
        write_pending_command();
        parts_.pending = PendingLine::None;
    }
    state_ = SessionState::Failed;
    if (with_reply) {
        queue_reply(EventType::Error);
    } else {
        queue_local(EventType::Error, reason);
    }
}

}  // namespace smtpcore
