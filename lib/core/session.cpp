// The session: what each reply means outside a mail transaction (greeting,
// EHLO/HELO, STARTTLS, AUTH, RSET, QUIT), the application's session commands,
// and how a session ends. Transactions are in transaction.cpp and a message's
// outcome in outcome.cpp; docs/state-machine.md is the table of all three.
#include "smtpcore/client.hpp"

#include "reason.hpp"
#include "sasl.hpp"
#include "transitions.hpp"

namespace smtpcore {

using detail::PendingLine;
using detail::SaslKind;

namespace {

#if !defined(SMTPCORE_NO_HELO_FALLBACK)
bool tls_required(const Config& c) noexcept {
    return c.tls == TlsMode::StartTlsRequired || c.tls == TlsMode::Implicit;
}
#endif

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
        const std::size_t n = message_.envelope.recipients.size();
        const std::uint32_t answered = message_.lines_answered;
        return answered == 0 ? "MAIL" : answered <= n ? "RCPT" : "DATA";
    }
#if defined(SMTPCORE_NO_REASONS)
    // The state names (names.cpp) are texts for people like the reasons; the
    // state itself stays readable through state().
    return "";
#else
    return to_string(state_);
#endif
}

Millis Client::current_timeout() const noexcept {
    const Timeouts& t = config_.timeouts;
    switch (state_) {
    case SessionState::AwaitTls:
    case SessionState::Greeting: return t.greeting;
    case SessionState::Envelope: {
        const std::size_t n = message_.envelope.recipients.size();
        const std::uint32_t answered = message_.lines_answered;
        return answered == 0 ? t.mail : answered <= n ? t.rcpt : t.data_init;
    }
    case SessionState::Body: return t.data_block;
    case SessionState::DataEnd: return message_.marker_left ? t.data_end : t.data_block;
    default: return t.command;
    }
}

void Client::enter(SessionState next) noexcept {
    if (detail::transition_listed(state_, next)) {
        state_ = next;
    } else if (next == SessionState::Failed) {
        state_ = next;  // every state that can fail is listed; be safe regardless
    } else {
        fail(ErrorKind::Misuse, SMTPCORE_REASON("engine bug: a state change not in the transition table"), false);
    }
}

void Client::send_lockstep(PendingLine line, SessionState next) noexcept {
    pending_ = line;
    enter(next);
}

// ---- replies -----------------------------------------------------------------

void Client::on_reply() noexcept {
    const std::uint16_t code = parsers_.reply.code();
    if (commands_.handed == 0) {
        // RFC 5321 §3.8: a server may announce 421 and close at any time.
        if (code == 421) return close_on_421(true);
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("reply to no command (unsolicited or a second reply)"), false);
    }
    // Every reply pops exactly one record; the record, not a count of lines,
    // says what the reply answers (docs/architecture.md).
    const detail::OutstandingCommand command = commands_.pop(command_slots(), config_.limits.commands_in_flight);
    mark_progress();
    using detail::CommandKind;
    if (code == 421 && command.kind != CommandKind::Quit)
        return close_on_421(!kChunkingBuilt || command.kind == CommandKind::DataEnd || command.kind == CommandKind::BdatLast);
    switch (command.kind) {
    case CommandKind::Greeting: return on_greeting_reply();
    case CommandKind::Ehlo: return on_ehlo_reply();
#if !defined(SMTPCORE_NO_HELO_FALLBACK)
    case CommandKind::Helo: return on_helo_reply();
#else
    case CommandKind::Helo: return;  // never pushed
#endif
    case CommandKind::StartTls: return on_starttls_reply();
    case CommandKind::Auth:
    case CommandKind::SaslResponse: return on_auth_reply();
    case CommandKind::Mail:
    case CommandKind::Rcpt:
    case CommandKind::Data: return on_transaction_reply(command);
    case CommandKind::DataEnd:
#ifndef SMTPCORE_NO_LMTP
        if (lmtp()) return on_lmtp_data_end_reply(command);  // RFC 2033 §4.2, lmtp.cpp
#endif
        return on_data_end_reply();
#ifndef SMTPCORE_NO_CHUNKING
    case CommandKind::Bdat: return on_chunk_reply();
    case CommandKind::BdatLast: return on_last_chunk_reply();
#else
    case CommandKind::Bdat:
    case CommandKind::BdatLast: return;  // never pushed
#endif
    case CommandKind::Rset: return on_rset_reply();
    case CommandKind::Quit:
        enter(SessionState::Closed);
        return queue_reply(EventType::Closed);
    }
}

void Client::on_greeting_reply() noexcept {
    // RFC 5321 §3.1 / §4.3.2: 220 opens the session; 554 refuses it (the
    // client should still say QUIT); 421 means try later. Nothing else is valid.
    const std::uint16_t code = parsers_.reply.code();
    if (code == 220) {
        queue_reply(EventType::Greeting);
        if (quit_requested_) return send_lockstep(PendingLine::Quit, SessionState::Quit);
        return begin_ehlo();
    }
    if (code >= 400) return fail(ErrorKind::Refused, SMTPCORE_REASON("server refused the session"), true, true);
    fail(ErrorKind::PeerViolation, SMTPCORE_REASON("greeting is not 220"), false);
}

void Client::begin_ehlo() noexcept {
    caps_ = Capabilities{};
    parsers_.ehlo.begin_line();
    send_lockstep(PendingLine::Ehlo, SessionState::Ehlo);
}

void Client::on_ehlo_reply() noexcept {
    // RFC 5321 §4.3.2: EHLO succeeds with 250 only.
    const std::uint16_t code = parsers_.reply.code();
    if (code == 250) {
        caps_.esmtp = true;
        return after_hello();
    }
    caps_ = Capabilities{};
    if (code < 400) return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("EHLO answered with a positive code other than 250"), false);
    // RFC 2033 §4.1: an LMTP server that refuses LHLO has no older dialect.
    if (lmtp()) return fail(ErrorKind::Refused, SMTPCORE_REASON("LHLO refused (RFC 2033 §4.1: no HELO fallback)"), true, true);
    if (code >= 500) {
#if defined(SMTPCORE_NO_HELO_FALLBACK)
        // Built without the HELO fallback (docs/footprint.md): a server that
        // predates ESMTP ends the session, said so rather than tried in HELO.
        return fail(ErrorKind::Unsupported, SMTPCORE_REASON("EHLO refused and this build has no HELO fallback"), true, true);
#else
        // §3.2: fall back to HELO for servers that predate ESMTP, unless TLS is
        // required and not up yet: HELO has no STARTTLS, so that is a downgrade.
        if (tls_required(config_) && !secure_)
            return fail(ErrorKind::TlsRequired, SMTPCORE_REASON("EHLO refused while TLS is required"), true, true);
        return send_lockstep(PendingLine::Helo, SessionState::Helo);
#endif
    }
    fail(ErrorKind::Refused, SMTPCORE_REASON("EHLO refused"), true, true);
}

void Client::on_helo_reply() noexcept {
    if (parsers_.reply.code() != 250) return fail(ErrorKind::Refused, SMTPCORE_REASON("HELO refused"), true, true);
    after_hello();
}

void Client::after_hello() noexcept {
    // quit() before Ready: QUIT takes the place of STARTTLS and AUTH, so no
    // credentials leave after the application asked to stop.
    if (quit_requested_) return send_lockstep(PendingLine::Quit, SessionState::Quit);
    const bool wants_starttls =
        config_.tls == TlsMode::StartTlsRequired || config_.tls == TlsMode::Opportunistic;
    if (!secure_ && wants_starttls) {
        if (caps_.has(Extension::StartTls)) return send_lockstep(PendingLine::StartTls, SessionState::StartTls);
        if (config_.tls == TlsMode::StartTlsRequired)
            return fail(ErrorKind::TlsRequired, SMTPCORE_REASON("server does not offer STARTTLS"), true);
    }
    if (!config_.username.empty()) return start_auth();
    enter_ready();
}

void Client::on_starttls_reply() noexcept {
    if (parsers_.reply.code() == 220) {
        enter(SessionState::TlsHandshake);
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
        enter(SessionState::Greeting);
        start_wait_at_next_clock();  // the handshake took an unknown time
        return {};
    }
    if (state_ != SessionState::TlsHandshake)
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("tls_established() outside a TLS handshake"), phase()};
    // RFC 3207 §4.2: forget everything learned before TLS and greet again.
    secure_ = true;
    parsers_.reply.reset();
    if (quit_requested_) {
        send_lockstep(PendingLine::Quit, SessionState::Quit);
    } else {
        begin_ehlo();
    }
    start_wait_at_next_clock();
    write_output();
    return {};
}

void Client::start_auth() noexcept {
    if (!secure_ && !config_.allow_plaintext_auth)
        return fail(ErrorKind::InsecureAuth, SMTPCORE_REASON("refusing to send credentials without TLS"), true);
    if (!caps_.has(Extension::Auth))
        return fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("server does not offer AUTH"), true);
#if SMTPCORE_SASL_EXTENSIONS
    if (start_extended_auth()) return;  // OAuth, SCRAM, CRAM-MD5 (auth_extended.cpp)
#endif
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
    default:  // the others were started above (or refused at construction)
        return fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("SASL mechanism not available"), true);
    }
    sasl_ = detail::SaslExchange{kind, 0, 0, false};
    send_lockstep(kind == SaslKind::Plain ? PendingLine::AuthPlain : PendingLine::AuthLogin, SessionState::Auth);
}

void Client::on_auth_reply() noexcept {
    const std::uint16_t code = parsers_.reply.code();
    if (sasl_.cancelled) {
        // RFC 4954 §4: after "*" the server must answer 501. Neither success
        // nor another challenge may follow; either ends the exchange.
        if (code == 235)
            return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("235 after the client cancelled AUTH (RFC 4954 §4)"), false, true);
        if (code == 334)
            return fail(ErrorKind::AuthFailed, SMTPCORE_REASON("server kept challenging after AUTH was cancelled"), true, true);
        if (quit_requested_) return send_lockstep(PendingLine::Quit, SessionState::Quit);
        return fail(ErrorKind::AuthFailed, SMTPCORE_REASON("invalid SASL challenge; AUTH cancelled"), true, true);
    }
#if SMTPCORE_SASL_EXTENSIONS
    if (sasl_.kind > SaslKind::Login && on_extended_outcome(code)) return;
#endif
    if (code == 235) {  // RFC 4954 §6
        queue_reply(EventType::Authenticated);
        return enter_ready();
    }
    if (code != 334) return fail(ErrorKind::AuthFailed, SMTPCORE_REASON("authentication failed"), true, true);
    // A challenge (RFC 4954 §4). Answer it, or cancel with "*" when it is not
    // base64, is cut off, is more than the mechanism can use or passes the
    // bound, or when the application has asked to quit.
    const bool valid = !text_cut_ && ++sasl_.challenges <= config_.limits.sasl_challenges &&
                       detail::challenge_is_valid(reply_text());
#if SMTPCORE_SASL_EXTENSIONS
    if (sasl_.kind > SaslKind::Login) return on_extended_challenge(valid);
#endif
    const std::uint8_t max_steps = sasl_.kind == SaslKind::Plain ? 1 : 2;
    // PLAIN answers only the empty challenge that follows "AUTH PLAIN" without an initial response.
    const bool usable = sasl_.kind == SaslKind::Login || reply_text().empty();
    if (valid && usable && sasl_.step < max_steps && !quit_requested_) {
        ++sasl_.step;
        pending_ = PendingLine::SaslResponse;
    } else {
        sasl_.cancelled = true;
        pending_ = PendingLine::SaslCancel;
    }
}

void Client::on_rset_reply() noexcept {
    // RFC 5321 §4.1.1.5: RSET is answered 250; act on the first digit.
    const std::uint16_t code = parsers_.reply.code();
    if (code < 200 || code >= 300)
        return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("RSET refused"), false);
    decide_outcome(Cause::Drained);
    if (kChunkingBuilt && ahead_open()) return promote_ahead();  // submitted after a refused BDAT LAST
    enter_ready();
}

void Client::enter_ready() noexcept {
    enter(SessionState::Ready);
    hold_text_ = false;
    if (quit_requested_) return send_lockstep(PendingLine::Quit, SessionState::Quit);
    queue_local(EventType::Ready, SMTPCORE_REASON("ready"));
}

// ---- session commands ------------------------------------------------------------

Error Client::quit() noexcept {
    body_window_ = 0;
    switch (state_) {
    case SessionState::Ready:
        send_lockstep(PendingLine::Quit, SessionState::Quit);
        start_wait_at_next_clock();
        write_output();
        return {};
    case SessionState::Quit:
    case SessionState::Closed:
    case SessionState::Failed:
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("quit() after the session ended"), phase()};
    default:
        quit_requested_ = true;  // in place of the next step, or after the current message
        return {};
    }
}

void Client::abort() noexcept { fail(ErrorKind::Aborted, SMTPCORE_REASON("aborted by the application"), false); }

void Client::connection_closed() noexcept {
    body_window_ = 0;
    if (state_ == SessionState::Closed || state_ == SessionState::Failed || input_closed_) return;
    input_closed_ = true;
    // Replies received before the end of file are parsed first (h11 and
    // nghttp2 do the same): next_event() closes once they are consumed.
    if (recv_head_ < recv_tail_ || events_len_ > 0) {
        close_pending_ = true;
        return;
    }
    close_input();
}

void Client::close_input() noexcept {
    close_pending_ = false;
    switch (state_) {
    case SessionState::Closed:
    case SessionState::Failed:
        return;
    case SessionState::Quit:
    case SessionState::Ready:
        enter(SessionState::Closed);
        discard_output();
        return queue_local(EventType::Closed, SMTPCORE_REASON("connection closed"));
    default:
        return fail(ErrorKind::ConnectionLost, SMTPCORE_REASON("connection lost"), false);
    }
}

// ---- ends ------------------------------------------------------------------------

void Client::close_on_421(bool final_reply) noexcept {
    // §3.8 / §4.2.3: 421 Service not available, closing transmission channel.
    // In place of the reply to end of data it is that reply: the message was refused.
    // A 421 to an earlier line (BDAT LAST pipelined behind MAIL, RCPT or a
    // chunk): the server closes without reading on, so BDAT LAST was not
    // taken either, and the message is rejected like one whose marker never left.
    if (!final_reply) message_.marker_left = false;
    if (state_ == SessionState::DataEnd && message_.marker_left) {
        decide_outcome(Cause::FinalReply);
    } else {
        decide_outcome(Cause::SessionEnded, SMTPCORE_REASON("server is closing the connection (421)"), true);
    }
    // (reject_ahead() also settles the BDAT messages behind the oldest.)
    if (ahead_open() || kChunkingBuilt) reject_ahead(SMTPCORE_REASON("server is closing the connection (421)"), true);
    enter(SessionState::Closed);
    discard_output();
    queue_reply(EventType::Closed);
}

void Client::fail(ErrorKind kind, const char* reason, bool polite_quit, bool with_reply) noexcept {
    if (state_ == SessionState::Failed || state_ == SessionState::Closed) return;
    decide_outcome(Cause::SessionEnded, reason, retry_may_help(kind));
    if (ahead_open() || kChunkingBuilt) reject_ahead(reason, retry_may_help(kind));
    error_ = Error{kind, reason, phase()};
    // A QUIT behind a line the host has only begun to write would join it
    // into one line no command of ours produced ("HELO cQUIT", found by
    // fuzz/fuzz_session): then the host just closes.
    const bool begun = line_begun();
    discard_output();
    if (polite_quit && !begun) {
        // The server behaved; the session cannot go on (policy or refusal):
        // leave a QUIT for the host to flush before it closes.
        pending_ = PendingLine::Quit;
        write_pending_command();
        pending_ = PendingLine::None;
    }
    enter(SessionState::Failed);
    if (with_reply) {
        queue_reply(EventType::Error);
    } else {
        queue_local(EventType::Error, reason);
    }
}

}  // namespace smtpcore
