// The Client's byte windows, input parsing and output generation.
// The state machine itself (what each reply means) is in session.cpp.
#include "smtpcore/client.hpp"

#include <cstring>

#include "address.hpp"
#include "commands.hpp"
#include "enhanced_status.hpp"
#include "sasl.hpp"
#include "smtpcore/codec/base64.hpp"
#include "reason.hpp"

namespace smtpcore {

using detail::PendingLine;
using detail::ReplyParser;

namespace {
constexpr std::size_t kAuthPlainPrefix = 11;  // "AUTH PLAIN "
constexpr std::size_t kCommandLine = 512;     // RFC 5321 §4.5.3.1.4, with CRLF
}  // namespace

Client::Client(const Config& config, MutableBytes storage) noexcept : config_(config) {
    parts_.reply.configure(config.limits, config.accept_bare_lf_in_replies);
    state_ = config.tls == TlsMode::Implicit ? SessionState::AwaitTls : SessionState::Greeting;

    const char* problem = nullptr;
    ErrorKind kind = ErrorKind::Misuse;
    if (storage.size() < min_storage(config) || config.reply_text_capacity < 16 ||
        config.recv_capacity < 8) {
        problem = SMTPCORE_REASON("storage too small: give at least Client::min_storage(config) bytes");
        kind = ErrorKind::LimitExceeded;
    } else if (config.limits.reply_line < 64 || config.limits.reply_lines == 0) {
        problem = SMTPCORE_REASON("reply limits below what any server needs (reply_line >= 64)");
    } else if ((problem = detail::check_client_name(config.client_name)) != nullptr) {
    } else if (!config.username.empty()) {
        if (config.tls == TlsMode::Opportunistic)
            problem = SMTPCORE_REASON("credentials need TLS that cannot be stripped: use StartTlsRequired or Implicit");
        else
            problem = detail::check_plain_credentials(config.username, config.password);
    }
    if (problem == nullptr) {
        text_ = storage.data();
        recv_ = text_ + config.reply_text_capacity;
        send_ = recv_ + config.recv_capacity;
        const std::size_t send = storage.size() - config.reply_text_capacity - config.recv_capacity;
        send_cap_ = send > 0x7fffffffu ? 0x7fffffffu : static_cast<std::uint32_t>(send);
        if (!config.username.empty() &&
            detail::plain_response_size(config.username, config.password) + 2 > send_cap_) {
            problem = SMTPCORE_REASON("storage too small for a SASL response with these credentials");
            kind = ErrorKind::LimitExceeded;
        }
    }
    if (problem != nullptr) {
        error_ = Error{kind, problem, "configuration"};
        state_ = SessionState::Failed;
        queue_local(EventType::Error, problem);
    }
}

bool Client::want_read() const noexcept {
    switch (state_) {
    case SessionState::AwaitTls:
    case SessionState::TlsHandshake:
    case SessionState::Closed:
    case SessionState::Failed:
        return false;
    default:
        return true;
    }
}

// ---- input -----------------------------------------------------------------

MutableBytes Client::recv_buf() noexcept {
    body_window_ = 0;
    if (!want_read()) return {};
    if (recv_head_ > 0) {
        std::memmove(recv_, recv_ + recv_head_, recv_tail_ - recv_head_);
        recv_tail_ = static_cast<std::uint16_t>(recv_tail_ - recv_head_);
        recv_head_ = 0;
    }
    return MutableBytes(recv_ + recv_tail_, config_.recv_capacity - recv_tail_);
}

Error Client::recv_ack(std::size_t n) noexcept {
    body_window_ = 0;
    if (n == 0) return {};
    if (state_ == SessionState::TlsHandshake) {
        // RFC 3207 §4.2 / CVE-2021-22947: nothing may arrive in plaintext
        // between the 220 to STARTTLS and the handshake.
        fail(ErrorKind::PeerViolation, SMTPCORE_REASON("data after the STARTTLS reply before TLS (response injection)"), false);
        return error_;
    }
    if (!want_read() || n > std::size_t(config_.recv_capacity - recv_tail_))
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("recv_ack() larger than the window from recv_buf()"), "input"};
    recv_tail_ = static_cast<std::uint16_t>(recv_tail_ + n);
    return {};
}

std::size_t Client::feed(Bytes data) noexcept {
    if (data.empty()) return 0;
    if (state_ == SessionState::TlsHandshake) {
        recv_ack(data.size());  // fails the session: response injection
        return data.size();
    }
    const MutableBytes window = recv_buf();
    // An empty window has no storage behind it: memcpy to a null pointer is
    // undefined even for 0 bytes (found by fuzz/fuzz_session, UBSan).
    if (window.empty()) return 0;
    const std::size_t n = data.size() < window.size() ? data.size() : window.size();
    std::memcpy(window.data(), data.data(), n);
    recv_ack(n);
    return n;
}

Event Client::next_event() noexcept {
    body_window_ = 0;
    ReplyParser& parser = parts_.reply;
    while (queue_len_ == 0 && want_read() && recv_head_ < recv_tail_) {
        if (parser.idle()) {  // a new reply starts: keep its text unless an older one is held
            captured_ = !hold_text_;
            if (captured_) text_len_ = text_skip_ = 0;
            text_cut_ = false;
        }
        std::size_t used = 0;
        std::string_view piece;
        const ReplyParser::Step step =
            parser.parse(recv_ + recv_head_, recv_tail_ - recv_head_, used, piece);
        recv_head_ = static_cast<std::uint16_t>(recv_head_ + used);
        if (recv_head_ == recv_tail_) recv_head_ = recv_tail_ = 0;

        // EHLO keywords are on every line after the first (the greeting line).
        const bool ehlo = state_ == SessionState::Ehlo;
        switch (step) {
        case ReplyParser::Step::NeedMore:
            break;
        case ReplyParser::Step::Text:
            if (ehlo && parser.line() > 0) parts_.ehlo.text(caps_, piece);
            append_text(piece);
            break;
        case ReplyParser::Step::LineEnd:  // line() now counts the lines ended
            if (ehlo && parser.line() > 1) parts_.ehlo.end_line(caps_);
            append_text("\n");
            break;
        case ReplyParser::Step::ReplyEnd:  // line() is the last line's index
            if (ehlo && parser.line() > 0) parts_.ehlo.end_line(caps_);
            if (captured_) {
                text_skip_ = static_cast<std::uint16_t>(detail::parse_enhanced_status(
                    std::string_view(text_, text_len_), parser.code(), status_));
            }
            on_reply();
            break;
        case ReplyParser::Step::Error:
            fail(parser.error().kind, parser.error().reason, false);
            break;
        }
    }
    pump();
    if (queue_len_ == 0) return Event{};
    const Queued& q = queue_[queue_head_];
    queue_head_ = static_cast<std::uint8_t>((queue_head_ + 1) % kQueue);
    --queue_len_;
    return materialize(q);
}

void Client::append_text(std::string_view piece) noexcept {
    if (!captured_) return;
    const std::size_t room = config_.reply_text_capacity - text_len_;
    const std::size_t n = piece.size() < room ? piece.size() : room;
    if (n < piece.size()) text_cut_ = true;
    std::memcpy(text_ + text_len_, piece.data(), n);
    text_len_ = static_cast<std::uint16_t>(text_len_ + n);
}

std::string_view Client::reply_text() const noexcept {
    if (!captured_) return {};
    return std::string_view(text_ + text_skip_, text_len_ - text_skip_);
}

// ---- time --------------------------------------------------------------------

void Client::mark_progress() noexcept { wait_start_ = time_known_ ? now_ : kNever; }

Millis Client::deadline() const noexcept {
    if (wait_start_ == kNever) return kNever;
    switch (state_) {
    case SessionState::Ready:
    case SessionState::Closed:
    case SessionState::Failed:
        return kNever;
    case SessionState::Body:
        if (!want_write()) return kNever;  // waiting for the application, not the network
        break;
    default:
        break;
    }
    const Millis timeout = current_timeout();
    return timeout > kNever - wait_start_ ? kNever : wait_start_ + timeout;
}

void Client::handle_timeout(Millis now) noexcept {
    now_ = now;
    time_known_ = true;
    if (wait_start_ == kNever) wait_start_ = now;  // a wait begun before the clock was known
    if (now >= deadline()) fail(ErrorKind::Timeout, SMTPCORE_REASON("no progress in time (RFC 5321 §4.5.3.2)"), false);
}

// ---- output ------------------------------------------------------------------

Error Client::send_ack(std::size_t n) noexcept {
    body_window_ = 0;
    if (n > std::size_t(send_tail_ - send_head_))
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("send_ack() larger than send_buf()"), "output"};
    if (n == 0) return {};
    if (terminator_written_ && !terminator_flushed_) {
        // Body bytes have line ends too: only the end-of-data marker counts.
        terminator_left_ -= static_cast<std::uint32_t>(n < terminator_left_ ? n : terminator_left_);
        if (terminator_left_ == 0) {
            terminator_flushed_ = true;
            ++flushed_;
        }
    } else if (state_ != SessionState::Body) {
        count_flushed(send_head_, n);
    }
    send_head_ += static_cast<std::uint32_t>(n);
    if (send_head_ == send_tail_) send_head_ = send_tail_ = 0;
    mark_progress();
    pump();
    return {};
}

void Client::count_flushed(std::size_t from, std::size_t n) noexcept {
    // Every command line ends in exactly one LF (arguments cannot hold one).
    const char* p = send_ + from;
    const char* end = p + n;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr) {
        ++flushed_;
        ++p;
    }
}

char* Client::reserve(std::size_t n) noexcept {
    if (send_cap_ - send_tail_ < n && send_head_ > 0) {
        std::memmove(send_, send_ + send_head_, send_tail_ - send_head_);
        send_tail_ -= send_head_;
        send_head_ = 0;
    }
    return send_cap_ - send_tail_ >= n ? send_ + send_tail_ : nullptr;
}

void Client::commit(std::size_t n) noexcept { send_tail_ += static_cast<std::uint32_t>(n); }

void Client::discard_output() noexcept {
    send_head_ = send_tail_ = 0;
    parts_.pending = PendingLine::None;
    body_window_ = 0;
}

MutableBytes Client::body_buf() noexcept {
    body_window_ = 0;
    if (state_ != SessionState::Body || body_ended_) return {};
    if (send_head_ > 0) {
        std::memmove(send_, send_ + send_head_, send_tail_ - send_head_);
        send_tail_ -= send_head_;
        send_head_ = 0;
    }
    // The window is the upper part of the free space; stuffing writes forward
    // from send_tail_ and, at most doubling, never overtakes unread input
    // (DotStuffer's overlap contract): free >= 2 * window + 2.
    const std::uint32_t free = send_cap_ - send_tail_;
    if (free < 4) return {};
    body_window_ = (free - 2) / 2;
    return MutableBytes(send_ + send_cap_ - body_window_, body_window_);
}

Error Client::body_ack(std::size_t n) noexcept {
    if (state_ != SessionState::Body || body_ended_ || n > body_window_) {
        body_window_ = 0;
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("body_ack() without a window from body_buf()"), SMTPCORE_REASON("message body")};
    }
    const char* in = send_ + send_cap_ - body_window_;
    body_window_ = 0;
    if (n == 0) return {};
    commit(parts_.stuffer.stuff(in, n, send_ + send_tail_));
    if (parts_.stuffer.line_too_long()) {
        fail(ErrorKind::InvalidInput, SMTPCORE_REASON("body line longer than 998 octets (RFC 5321 §4.5.3.1.6)"), false);
        return error_;
    }
    mark_progress();
    return {};
}

Error Client::body_end() noexcept {
    body_window_ = 0;
    if (state_ != SessionState::Body || body_ended_)
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("body_end() outside the message body"), SMTPCORE_REASON("message body")};
    body_ended_ = true;
    pump();
    return {};
}

void Client::body_fail() noexcept {
    if (state_ == SessionState::Body)
        fail(ErrorKind::BodyFailed, SMTPCORE_REASON("body source failed; message cut off before end of data"), false);
}

void Client::pump() noexcept {
    if (parts_.pending != PendingLine::None && write_pending_command()) parts_.pending = PendingLine::None;
    if (state_ == SessionState::Envelope) generate_transaction();
    if (state_ == SessionState::Body && body_ended_ && !terminator_written_) {
        if (char* p = reserve(detail::DotStuffer::kFinishMax)) {
            commit(parts_.stuffer.finish(p));
            terminator_written_ = true;
            terminator_left_ = send_tail_ - send_head_;
            state_ = SessionState::DataEnd;
        }
    }
}

bool Client::write_pending_command() noexcept {
    const std::string_view user = config_.username;
    const std::string_view pass = config_.password;
    auto simple = [this](std::string_view verb, std::string_view arg) {
        const std::size_t n = detail::simple_command(verb, arg, nullptr);
        char* p = reserve(n);
        if (p != nullptr) commit(detail::simple_command(verb, arg, p));
        return p != nullptr;
    };
    auto base64_line = [this](std::size_t size, auto&& write) {  // one unwrapped line, RFC 4954 §4
        char* p = reserve(size + 2);
        if (p == nullptr) return false;
        std::size_t n = write(p);
        p[n++] = '\r';
        p[n++] = '\n';
        commit(n);
        return true;
    };
    switch (parts_.pending) {
    case PendingLine::None: return true;
    case PendingLine::Ehlo: return simple("EHLO", config_.client_name);
    case PendingLine::Helo: return simple("HELO", config_.client_name);
    case PendingLine::StartTls: return simple("STARTTLS", {});
    case PendingLine::AuthLogin: return simple("AUTH", "LOGIN");
    case PendingLine::Rset: return simple("RSET", {});
    case PendingLine::Quit: return simple("QUIT", {});
    case PendingLine::SaslCancel: return simple("*", {});  // RFC 4954 §4: cancel the exchange
    case PendingLine::AuthPlain: {
        const std::size_t size = detail::plain_response_size(user, pass);
        if (kAuthPlainPrefix + size + 2 > kCommandLine) return simple("AUTH", "PLAIN");  // §4: no initial response
        parts_.sasl_step = 1;
        return base64_line(kAuthPlainPrefix + size, [&](char* p) {
            std::memcpy(p, "AUTH PLAIN ", kAuthPlainPrefix);
            return kAuthPlainPrefix + detail::write_plain_response(user, pass, p + kAuthPlainPrefix);
        });
    }
    case PendingLine::SaslResponse: {
        if (parts_.sasl == detail::SaslKind::Plain)
            return base64_line(detail::plain_response_size(user, pass),
                               [&](char* p) { return detail::write_plain_response(user, pass, p); });
        const std::string_view item = parts_.sasl_step == 1 ? user : pass;  // LOGIN: user, then password
        return base64_line(codec::base64_encoded_size(item.size()),
                           [&](char* p) { return codec::base64_encode(item.data(), item.size(), p); });
    }
    }
    return true;
}

void Client::generate_transaction() noexcept {
    const std::uint32_t data_index = static_cast<std::uint32_t>(envelope_.recipients.size()) + 1;
    const bool pipelining = caps_.has(Extension::Pipelining);
    while (generated_ <= data_index) {
        if (transaction_failed_ || cancel_requested_) break;
        if (!pipelining && generated_ > answered_) break;  // lock-step: wait for the reply
        if (generated_ == data_index && !data_allowed_) break;
        if (!write_transaction_command(generated_)) break;  // no room until send_ack()
        ++generated_;
    }
}

bool Client::write_transaction_command(std::uint32_t index) noexcept {
    const std::uint32_t data_index = static_cast<std::uint32_t>(envelope_.recipients.size()) + 1;
    const bool with_size = caps_.has(Extension::Size);
    std::size_t n = 0;
    if (index == 0) {
        n = detail::mail_command(envelope_, with_size, nullptr);
    } else if (index < data_index) {
        n = detail::rcpt_command(envelope_.recipients[index - 1], nullptr);
    } else {
        n = detail::simple_command("DATA", {}, nullptr);
    }
    char* p = reserve(n);
    if (p == nullptr) return false;
    if (index == 0) {
        detail::mail_command(envelope_, with_size, p);
    } else if (index < data_index) {
        detail::rcpt_command(envelope_.recipients[index - 1], p);
    } else {
        detail::simple_command("DATA", {}, p);
    }
    commit(n);
    return true;
}

// ---- events ------------------------------------------------------------------

void Client::queue(EventType type, Source source, const char* text, bool temporary,
                   std::uint32_t index) noexcept {
    if (queue_len_ == kQueue) return;  // cannot happen: see kQueue
    Queued& q = queue_[(queue_head_ + queue_len_) % kQueue];
    q.type = type;
    q.source = source;
    q.text = text;
    q.index = index;
    q.code = source == Source::Reply ? parts_.reply.code() : source == Source::Stored ? failure_code_ : 0;
    q.temporary = source == Source::Reply ? is_transient_failure(q.code) : temporary;
    ++queue_len_;
}

Event Client::materialize(const Queued& q) const noexcept {
    Event e;
    e.type = q.type;
    e.code = q.code;
    e.temporary = q.temporary;
    // submit() waits until the queue is drained, so these still describe the
    // message the event belongs to.
    e.message = message_;
    e.accepted_recipients = accepted_;
    if (q.text != nullptr) e.text = q.text;
    switch (q.source) {
    case Source::Local:
        break;
    case Source::Reply:
        e.text = reply_text();
        if (captured_) e.status = status_;
        break;
    case Source::Stored:  // a failure kept until the transaction ended
        e.status = failure_status_;
        if (q.text == nullptr) e.text = std::string_view(text_ + text_skip_, text_len_ - text_skip_);
        break;
    }
    if (q.type == EventType::RecipientResult) {
        e.recipient_index = q.index;
        e.recipient = envelope_.recipients[q.index];
    }
    if (q.type == EventType::Error) e.error = error_;
    return e;
}

}  // namespace smtpcore
