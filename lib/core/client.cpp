// The Client's byte windows, the clock, and output generation.
// What each reply means is in session.cpp and transaction.cpp; the reply text
// and the event queue are in events.cpp.
#include "smtpcore/client.hpp"

#include <cstring>

#include "address.hpp"
#include "auth_area.hpp"
#include "commands.hpp"
#include "lmtp.hpp"
#include "reason.hpp"
#include "sasl.hpp"
#include "smtpcore/codec/base64.hpp"
#include "smtpcore/codec/seven_bit.hpp"

// No body takes content now. The lean build keeps the test as it was
// spelled before several messages in flight: as an inline function it cost
// the Cortex-M0+ minimal build 16 bytes (scripts/footprint).
#ifdef SMTPCORE_NO_CHUNKING
#define SMTPCORE_BODY_CLOSED() (state_ != SessionState::Body || message_.body_ended)
#else
#define SMTPCORE_BODY_CLOSED() (!body_open())
#endif

namespace smtpcore {

using namespace std::string_view_literals;  // "EHLO"sv: no strlen() at run time (commands.cpp)

using detail::PendingLine;
using detail::ReplyParser;

namespace {
constexpr std::size_t kAuthPlainPrefix = 11;  // "AUTH PLAIN "
constexpr std::size_t kCommandLine = 512;     // RFC 5321 §4.5.3.1.4, with CRLF

const char* check_config(const Config& config, const AuthOptions* auth) noexcept {
    if (config.limits.reply_line < 64 || config.limits.reply_lines == 0)
        return SMTPCORE_REASON("reply limits below what any server needs (reply_line >= 64)");
    if (config.limits.commands_in_flight == 0)
        return SMTPCORE_REASON("commands_in_flight must be at least 1");
#ifndef SMTPCORE_NO_CHUNKING
    if (config.limits.messages_in_flight == 0)
        return SMTPCORE_REASON("messages_in_flight must be at least 1");
#endif
#ifdef SMTPCORE_NO_CHUNKING
    if (config.chunking == ChunkingPolicy::Always)
        return SMTPCORE_REASON("chunking Always, but BDAT is not built (SMTPCORE_NO_CHUNKING)");
#endif
#ifdef SMTPCORE_NO_ALL_REQUIRED
    if (config.recipients != RecipientPolicy::AnyAccepted)
        return SMTPCORE_REASON("RecipientPolicy::AllRequired, but it is not built (SMTPCORE_NO_ALL_REQUIRED)");
#endif
#ifdef SMTPCORE_NO_LMTP
    if (config.protocol == Protocol::Lmtp) return SMTPCORE_REASON("protocol Lmtp, but LMTP is not built (SMTPCORE_NO_LMTP)");
#else
    if (const char* why = detail::check_lmtp_config(config)) return why;
#endif
    if (const char* why = detail::check_client_name(config.client_name)) return why;
    if (config.username.empty()) return nullptr;
    if (config.tls == TlsMode::Opportunistic)
        return SMTPCORE_REASON("credentials need TLS that cannot be stripped: use StartTlsRequired or Implicit");
#if SMTPCORE_SASL_EXTENSIONS
    if (auth != nullptr) return detail::check_auth_options(config, *auth);
#else
    (void)auth;
#endif
    if (config.auth > AuthChoice::Login) return SMTPCORE_REASON("this AuthChoice needs the Client constructor with AuthOptions");
    return detail::check_plain_credentials(config.username, config.password);
}

// What a lock-step line is, in the queue of outstanding commands (indexed by PendingLine).
constexpr detail::CommandKind kCommandFor[] = {
    detail::CommandKind::Quit,     detail::CommandKind::Ehlo,         detail::CommandKind::Helo,
    detail::CommandKind::StartTls, detail::CommandKind::Auth,         detail::CommandKind::Auth,
    detail::CommandKind::SaslResponse, detail::CommandKind::SaslResponse, detail::CommandKind::Rset,
    detail::CommandKind::Quit,     detail::CommandKind::Auth,
};
static_assert(sizeof kCommandFor == std::size_t(PendingLine::AuthExtended) + 1, "one kind per PendingLine");

// Credentials that could only ever go out in plaintext, and that was not
// allowed: refused before anything is sent (InsecureAuth names the policy).
bool plaintext_credentials_refused(const Config& config) noexcept {
    return !config.username.empty() && config.tls == TlsMode::None && !config.allow_plaintext_auth;
}
}  // namespace

Client::Client(const Config& config, MutableBytes storage) noexcept : ClientState() {
    config_ = config;
    init(config, storage, nullptr);
}

#if SMTPCORE_SASL_EXTENSIONS
Client::Client(const Config& config, MutableBytes storage, const AuthOptions& auth) noexcept : ClientState() {
    config_ = config;
    // The mechanisms' state goes first in the storage (auth_area.hpp).
    const MutableBytes rest = detail::place_auth_area(storage, auth);
    auth_area_ = rest.data() != nullptr;
    init(config, rest, &auth);
}
#endif

void Client::init(const Config& config, MutableBytes storage, const AuthOptions* auth) noexcept {
#ifndef SMTPCORE_NO_CHUNKING
    settling_ = settle_ahead_ = settle_temporary_ = false;  // bit-fields: no default member initializers in C++17
#endif
    parsers_.reply.configure(config.limits, config.accept_bare_lf_in_replies);
    state_ = config.tls == TlsMode::Implicit ? SessionState::AwaitTls : SessionState::Greeting;

    const char* problem = nullptr;
    ErrorKind kind = ErrorKind::Misuse;
    if (storage.size() < min_storage(config) || config.reply_text_capacity < 16 ||
        config.recv_capacity < 8) {
        problem = SMTPCORE_REASON("storage too small: give at least Client::min_storage(config) bytes");
        kind = ErrorKind::LimitExceeded;
    } else if (plaintext_credentials_refused(config)) {
        problem = SMTPCORE_REASON("credentials without TLS need allow_plaintext_auth");
        kind = ErrorKind::InsecureAuth;
    } else {
        problem = check_config(config, auth);
    }
    if (problem == nullptr) {
        const std::size_t queue = kCommandRecord * config.limits.commands_in_flight;
        text_ = storage.data() + queue;
        recv_ = text_ + config.reply_text_capacity;
        send_ = recv_ + config.recv_capacity;
        // The records of messages behind the oldest, then LMTP's state, if any,
        // end the storage (behind_slots(), lmtp_area()).
        const std::size_t send = storage.size() - queue - config.reply_text_capacity - config.recv_capacity -
                                 messages_storage(config) - lmtp_storage(config);
        send_cap_ = send > 0x7fffffffu ? 0x7fffffffu : static_cast<std::uint32_t>(send);
#ifndef SMTPCORE_NO_CHUNKING
        // The records of messages behind the oldest follow the send buffer
        // (messages_storage() holds their alignment slack). A record is
        // trivially copyable: copying its bytes makes the object.
        const detail::MessageBehind fresh{};
        for (std::uint32_t i = 0; i + 1u < config.limits.messages_in_flight; ++i)
            std::memcpy(behind_slots() + i, &fresh, sizeof fresh);
#endif
        std::size_t first_line = config.username.empty() ? 0 : detail::plain_response_size(config.username, config.password) + 2;
#if SMTPCORE_SASL_EXTENSIONS
        if (auth != nullptr && !config.username.empty()) first_line = detail::auth_line_size(config, *auth);
#endif
        if (first_line > send_cap_) {
            problem = SMTPCORE_REASON("storage too small for a SASL response with these credentials");
            kind = ErrorKind::LimitExceeded;
        }
    }
    if (problem == nullptr) {
#ifndef SMTPCORE_NO_LMTP
        if (lmtp()) lmtp_area() = detail::LmtpArea{};
#endif
        push_command(detail::CommandKind::Greeting);  // the connection itself is answered
        commands_.handed = 1;
    } else {
        error_ = Error{kind, problem, "configuration"};
        state_ = SessionState::Failed;
        queue_local(EventType::Error, problem);
    }
}

bool Client::takes_input() const noexcept {
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
    ReplyParser& parser = parsers_.reply;
    // Input is parsed only while no event waits: an event's text stays in
    // place until the application has pulled it.
    while (events_len_ == 0 && takes_input() && recv_head_ < recv_tail_) {
        if (parser.idle()) begin_reply_text();
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
            if (ehlo && parser.line() > 0) parsers_.ehlo.text(caps_, piece);
            append_text(piece);
            break;
        case ReplyParser::Step::LineEnd:  // line() now counts the lines ended
            if (ehlo && parser.line() > 1) parsers_.ehlo.end_line(caps_);
            end_reply_line(false);
            break;
        case ReplyParser::Step::ReplyEnd:  // line() is the last line's index
            if (ehlo && parser.line() > 0) parsers_.ehlo.end_line(caps_);
            end_reply_line(true);
            on_reply();
            break;
        case ReplyParser::Step::Error:
            fail(parser.error().kind, parser.error().reason, false);
            break;
        }
    }
    // End of file waits behind the input received before it (defect: a 554
    // fed just before the close was once reported as a lost connection).
    if (close_pending_ && events_len_ == 0 && (recv_head_ == recv_tail_ || !takes_input())) close_input();
    write_output();
    return pop_event();
}

// ---- time --------------------------------------------------------------------

void Client::mark_progress() noexcept {
    if (!wait_unstarted_) wait_start_ = time_known_ ? now_ : kNever;
}

void Client::start_wait_at_next_clock() noexcept {
    // The application may call long after the last handle_timeout(): now_ is
    // stale, so the wait starts at the next clock the host hands in.
    // deadline() meanwhile estimates from now_, which at worst wakes the host early.
    wait_unstarted_ = true;
    wait_start_ = time_known_ ? now_ : kNever;
}

Millis Client::deadline() const noexcept {
    if (wait_start_ == kNever) return kNever;
    switch (state_) {
    case SessionState::Ready:
    case SessionState::Closed:
    case SessionState::Failed:
        return kNever;
    case SessionState::Body:
        // Waiting for the application, not the network (unless BDAT replies are owed).
        if (!want_write() && (!kChunkingBuilt || commands_.length == 0)) return kNever;
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
    if (wait_start_ == kNever || wait_unstarted_) {  // a wait begun before this clock reading
        wait_start_ = now;
        wait_unstarted_ = false;
    }
    if (now >= deadline()) fail(ErrorKind::Timeout, SMTPCORE_REASON("no progress in time (RFC 5321 §4.5.3.2)"), false);
}

// ---- output ------------------------------------------------------------------

Bytes Client::send_buf() noexcept {
    if (handed_out_ < send_tail_) {
        count_handed_out();
        handed_out_ = send_tail_;
    }
    return Bytes(send_ + send_head_, send_tail_ - send_head_);
}

void Client::count_handed_out() noexcept {
    // send_buf() hands out every byte written so far, so every line written
    // so far has left: each command, each BDAT chunk and the end-of-data
    // marker, whose line ends body bytes cannot be told from. Once the marker
    // (or BDAT LAST) has left, the server may have the message (RFC 5321 §6.1).
    commands_.handed = commands_.length;
    if (message_.marker_written) message_.marker_left = true;
#ifndef SMTPCORE_NO_CHUNKING
    for (std::uint8_t i = 0; i < behind_len_; ++i)
        if (behind_slots()[i].marker_written) behind_slots()[i].marker_left = true;
#endif
}

Error Client::send_ack(std::size_t n) noexcept {
    body_window_ = 0;
    if (n > std::size_t(handed_out_ - send_head_))
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("send_ack() larger than what send_buf() handed out"), "output"};
    if (n == 0) return {};
    send_head_ += static_cast<std::uint32_t>(n);
    // All written: start again at the front (unless a BDAT chunk being filled sits behind send_tail_).
    if (send_head_ == send_tail_ && open_chunk_bytes() == 0) send_head_ = send_tail_ = handed_out_ = 0;
    mark_progress();
    write_output();
    return {};
}

void Client::compact_send_buffer() noexcept {
    // Keeps the octet before the first unwritten one when it ends no line, so
    // that discard_output() can still tell a line is half written.
    const std::uint32_t keep = line_begun() ? 1 : 0;
    const std::uint32_t shift = send_head_ - keep;
    if (shift == 0) return;
    // The BDAT chunk being filled sits behind send_tail_ and moves with it.
    std::memmove(send_, send_ + shift, send_tail_ + open_chunk_bytes() - shift);
    send_tail_ -= shift;
    handed_out_ -= shift;
    send_head_ = keep;
}

char* Client::reserve(std::size_t n) noexcept {
    // Every reserve() is for a line that will wait for a reply: a full queue
    // stops new lines until replies pop records (Limits::commands_in_flight);
    // the host keeps reading meanwhile, so neither side can deadlock.
    if (commands_.full(config_.limits.commands_in_flight)) return nullptr;
    if (send_cap_ - send_tail_ < n) compact_send_buffer();
    return send_cap_ - send_tail_ >= n ? send_ + send_tail_ : nullptr;
}

void Client::push_command(detail::CommandKind kind, std::uint32_t message, std::uint32_t recipient) noexcept {
    commands_.push(command_slots(), config_.limits.commands_in_flight,
                   detail::OutstandingCommand::make(kind, message, recipient));
}

void Client::commit(std::size_t n) noexcept { send_tail_ += static_cast<std::uint32_t>(n); }

void Client::discard_output() noexcept {
    send_head_ = send_tail_ = handed_out_ = 0;
    commands_.clear();
    pending_ = PendingLine::None;
    body_window_ = 0;
}

MutableBytes Client::body_buf() noexcept {
    body_window_ = 0;
    if (SMTPCORE_BODY_CLOSED()) return {};
#ifndef SMTPCORE_NO_CHUNKING
    if (chunked()) return chunk_window();  // compacts only when it must (chunking.cpp)
#endif
    compact_send_buffer();
    // The window is the upper part of the free space; stuffing writes forward
    // from send_tail_ and, at most doubling, never overtakes unread input
    // (DotStuffer's overlap contract): free >= 2 * window + 2.
    const std::uint32_t free = send_cap_ - send_tail_;
    if (free < 4) return {};
    body_window_ = (free - 2) / 2;
    return MutableBytes(send_ + send_cap_ - body_window_, body_window_);
}

Error Client::body_ack(std::size_t n) noexcept {
    if (SMTPCORE_BODY_CLOSED() || n > body_window_) {
        body_window_ = 0;
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("body_ack() without a window from body_buf()"), SMTPCORE_REASON("message body")};
    }
    const char* in = send_ + send_cap_ - body_window_;
    body_window_ = 0;
    if (n == 0) return {};
#ifdef SMTPCORE_NO_8BITMIME
    constexpr bool seven_bit_body = true;  // submit() refused every other body type
#else
    const bool seven_bit_body = flowing_envelope().body == BodyType::SevenBit;
#endif
    if (seven_bit_body && !codec::is_seven_bit(in, n)) {
        fail(ErrorKind::InvalidInput, SMTPCORE_REASON("8-bit octet or NUL in a 7-bit body (RFC 6152 §3)"), false);
        return error_;
    }
#ifndef SMTPCORE_NO_CHUNKING
    if (chunked()) {
        if (!write_chunk(in, n)) return error_;
        mark_progress();
        return {};
    }
#endif
    commit(parsers_.stuffer.stuff(in, n, send_ + send_tail_));
    if (parsers_.stuffer.line_too_long()) {
        fail(ErrorKind::InvalidInput, SMTPCORE_REASON("body line longer than 998 octets (RFC 5321 §4.5.3.1.6)"), false);
        return error_;
    }
    mark_progress();
    return {};
}

Error Client::body_end() noexcept {
    body_window_ = 0;
    if (SMTPCORE_BODY_CLOSED())
        return Error{ErrorKind::Misuse, SMTPCORE_REASON("body_end() outside the message body"), SMTPCORE_REASON("message body")};
#ifndef SMTPCORE_NO_CHUNKING
    if (detail::MessageBehind* b = flowing_behind()) {
        b->body_ended = true;
        write_output();
        return {};
    }
#endif
    message_.body_ended = true;
    write_output();
    return {};
}

void Client::body_fail() noexcept {
    if (in_body())
        fail(ErrorKind::BodyFailed, SMTPCORE_REASON("body source failed; message cut off before end of data"), false);
}

void Client::write_output() noexcept {
#ifndef SMTPCORE_NO_CHUNKING
    settle_failed_chunks();  // may leave an RSET pending: it is written just below
#endif
    if (pending_ != PendingLine::None && write_pending_command()) {
        push_command(kCommandFor[static_cast<std::size_t>(pending_)]);
        pending_ = PendingLine::None;
    }
    if (state_ == SessionState::Envelope) generate_transaction();
    detail::MessageRecord& m = message_;
    if (state_ == SessionState::Body && m.body_ended && !m.marker_written) {
        if (chunked()) {
#ifndef SMTPCORE_NO_CHUNKING
            write_last_chunk();  // BDAT LAST (none after a failure)
#endif
        } else if (char* p = reserve(detail::DotStuffer::kFinishMax)) {
            commit(parsers_.stuffer.finish(p));
#ifndef SMTPCORE_NO_LMTP
            if (lmtp()) {
                push_lmtp_data_end_records();  // one per accepted recipient (RFC 2033 §4.2)
            } else
#endif
            push_command(detail::CommandKind::DataEnd, m.number);
            m.marker_written = true;
            enter(SessionState::DataEnd);
        }
    }
#ifndef SMTPCORE_NO_CHUNKING
    if (const detail::MessageBehind* b = flowing_behind())
        if (b->body_ended) write_last_chunk();  // a message behind the oldest: its BDAT LAST
#endif
    // Most calls find no message submitted ahead: both would return at once.
    if (!ahead_open()) return;
    generate_ahead();
#ifndef SMTPCORE_NO_CHUNKING
    start_behind();
#endif
}

bool Client::write_pending_command() noexcept {
    const std::string_view user = config_.username;
    const std::string_view pass = config_.password;
    // Every lock-step line is a verb and its argument, or one unwrapped
    // base64 line (RFC 4954 §4), "AUTH PLAIN " before the first: one writer
    // of each kind, reached from every case.
    std::string_view verb;
    std::string_view argument;
    std::size_t prefix = 0;  // "AUTH PLAIN " before the initial response
    switch (pending_) {
    case PendingLine::None: return true;
    case PendingLine::Ehlo:
        verb = lmtp() ? "LHLO"sv : "EHLO"sv;  // RFC 2033 §4.1
        argument = config_.client_name;
        break;
#if !defined(SMTPCORE_NO_HELO_FALLBACK)
    case PendingLine::Helo:
        verb = "HELO"sv;
        argument = config_.client_name;
        break;
#else
    case PendingLine::Helo: return true;  // never pending
#endif
    case PendingLine::StartTls: verb = "STARTTLS"sv; break;
    case PendingLine::AuthLogin:
        verb = "AUTH"sv;
        argument = "LOGIN"sv;
        break;
    case PendingLine::Rset: verb = "RSET"sv; break;
    case PendingLine::Quit: verb = "QUIT"sv; break;
    case PendingLine::SaslCancel: verb = "*"sv; break;  // RFC 4954 §4: cancel the exchange
#if SMTPCORE_SASL_EXTENSIONS
    case PendingLine::AuthExtended: return write_extended_auth_line();
#else
    case PendingLine::AuthExtended: return true;
#endif
    case PendingLine::AuthPlain:
        if (kAuthPlainPrefix + detail::plain_response_size(user, pass) + 2 > kCommandLine) {
            verb = "AUTH"sv;  // §4: no initial response
            argument = "PLAIN"sv;
            break;
        }
        sasl_.step = 1;
        prefix = kAuthPlainPrefix;
        [[fallthrough]];
    case PendingLine::SaslResponse: {
        // PLAIN: base64(NUL user NUL password), RFC 4616 §2; LOGIN: the
        // user, then the password, each alone. One encoder for both.
        const bool plain = prefix > 0 || sasl_.kind == detail::SaslKind::Plain;
        const std::string_view item = plain || sasl_.step != 1 ? pass : user;
        const std::size_t raw = (plain ? user.size() + 2 : 0) + item.size();
        char* p = reserve(prefix + codec::base64_encoded_size(raw) + 2);
        if (p == nullptr) return false;
        std::memcpy(p, "AUTH PLAIN ", prefix);
        codec::Base64Encoder enc;
        std::size_t n = prefix;
        if (plain) {
            const char nul = '\0';
            n += enc.update(&nul, 1, p + n);
            n += enc.update(user.data(), user.size(), p + n);
            n += enc.update(&nul, 1, p + n);
        }
        n += enc.update(item.data(), item.size(), p + n);
        n += enc.finish(p + n);
        p[n] = '\r';
        p[n + 1] = '\n';
        commit(n + 2);
        return true;
    }
    }
    char* p = reserve(detail::simple_command(verb, argument, nullptr));
    if (p == nullptr) return false;
    commit(detail::simple_command(verb, argument, p));
    return true;
}

}  // namespace smtpcore
