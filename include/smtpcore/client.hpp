// smtpcore — the sans-I/O ESMTP client engine.
//
// The Client consumes the bytes a server sent and produces the bytes to send
// back, plus events. It owns no socket, reads no clock and never allocates:
// all its memory is the object itself plus the storage span handed to the
// constructor (StaticClient<N> bundles both).
//
// Methods come in families (like quinn-proto):
//   getters ........ state(), ok(), last_error(), capabilities(), secure(), want_*()
//   input .......... recv_buf()/recv_ack(), feed(), tls_established(),
//                    connection_closed(), handle_timeout()
//   output ......... next_event(), send_buf()/send_ack(), body_buf()/body_ack()/body_end()
//   commands ....... submit(), cancel(), quit(), abort()
//
// The host loop, in this order every time it wakes up (docs/architecture.md):
//   1. handle_timeout(now)                 — always; it is idempotent
//   2. while ((ev = next_event()).type != EventType::None) handle(ev)
//   3. write send_buf() to the socket, send_ack(bytes written)
//   4. during a body: fill body_buf() from your source, body_ack(n); body_end() at the end
//   5. read the socket into recv_buf(), recv_ack(n); on EOF connection_closed()
//   6. sleep until the socket is ready or deadline()
//
// Views (spans, string_views in events) stay valid until the next call into the
// same Client, with one exception stated at body_buf(). An event is a
// complete value: everything it says was copied into it when it was queued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/auth_options.hpp"
#include "smtpcore/capabilities.hpp"
#include "smtpcore/config.hpp"
#include "smtpcore/envelope.hpp"
#include "smtpcore/error.hpp"
#include "smtpcore/event.hpp"
#include "smtpcore/span.hpp"
#include "smtpcore/detail/command_queue.hpp"
#include "smtpcore/detail/message_record.hpp"
#include "smtpcore/detail/parsers.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

namespace detail {
class SaslOutput;  // lib/core/sasl_output.hpp
struct AuthArea;    // lib/core/auth_area.hpp
struct LmtpArea;    // lib/core/lmtp.hpp
}

/// RFC 5321 phases; docs/state-machine.md has the transition table.
enum class SessionState : std::uint8_t {
    AwaitTls,      ///< implicit TLS: waiting for tls_established() before anything
    Greeting,      ///< waiting for the server's 220
    Ehlo,          ///< EHLO sent
    Helo,          ///< HELO sent (the server refused EHLO; RFC 5321 §3.2)
    StartTls,      ///< STARTTLS sent
    TlsHandshake,  ///< the server said 220 to STARTTLS; the host runs the handshake
    Auth,          ///< AUTH exchange (RFC 4954)
    Ready,         ///< idle: submit() a message
    Envelope,      ///< MAIL FROM / RCPT TO / DATA outstanding
    Body,          ///< 354 received: message content flows through body_buf()
    DataEnd,       ///< end of data sent; waiting for the final reply
    Rset,          ///< RSET after a failed transaction
    Quit,          ///< QUIT sent
    Closed,        ///< the session ended in order
    Failed,        ///< a fatal error ended the session (last_error())
};

const char* to_string(SessionState state) noexcept;

namespace detail {
// The Client's state, a base of Client so that the constructor can
// value-initialize it: zero-initialized in one go (one memset), then only
// the members whose default is not zero are stored (docs/footprint.md).
struct ClientState {
    Config config_;

    // storage: [outstanding commands][reply text][receive window][send buffer][messages behind the oldest]
    char* text_ = nullptr;
    char* recv_ = nullptr;
    char* send_ = nullptr;
    std::uint16_t text_len_ = 0;    // reply text in use (held failure text + current reply)
    std::uint16_t text_start_ = 0;  // where the current reply's text starts
    std::uint16_t line_start_ = 0;  // where its current line starts
    EnhancedStatus status_;         // of the current reply (its first line)
    bool text_cut_ = false;         // the current reply's text did not fit
    bool hold_text_ = false;        // a failure's text is kept until its outcome is reported
    bool input_closed_ = false;     // connection_closed() was called
    bool close_pending_ = false;    // ... and waits behind input not yet parsed
    std::uint16_t recv_head_ = 0;
    std::uint16_t recv_tail_ = 0;
    std::uint32_t send_cap_ = 0;
    std::uint32_t send_head_ = 0;
    std::uint32_t send_tail_ = 0;
    std::uint32_t handed_out_ = 0;   // send_buf() has offered [send_head_, handed_out_)
    std::uint32_t body_window_ = 0;  // length of the window last handed out by body_buf()

    detail::Parsers parsers_;
    detail::SaslExchange sasl_;
    detail::PendingLine pending_ = detail::PendingLine::None;
    bool auth_area_ = false;  // storage begins with the AuthOptions state (fits in padding: no growth)
#ifndef SMTPCORE_NO_CHUNKING
    // BDAT: the chunk being filled sits behind send_tail_ (room for its
    // command line, then chunk_length_ octets of content) until its size is
    // fixed. It belongs to whichever message's body flows; only one does.
    // These fields sit in padding: Client does not grow (scripts/footprint).
    std::uint16_t chunk_length_ = 0;
#endif
    Capabilities caps_;
    SessionState state_ = SessionState::Greeting;
    bool secure_ = false;
    bool time_known_ = false;
    bool wait_unstarted_ = false;  // a wait begun by the application: starts at the next handle_timeout()
    bool quit_requested_ = false;
#ifndef SMTPCORE_NO_CHUNKING
    bool chunk_open_ = false;
    std::uint8_t behind_len_ = 0;  // messages in behind_slots(), oldest first
    // The session ended with messages behind the oldest: their outcomes are
    // reported from pop_event(), one at a time, before the Error or Closed
    // event, so the event queue never holds more than it did for one
    // message. Their reason is the end's (messages_in_flight.cpp).
    bool settling_ : 1;
    bool settle_ahead_ : 1;      // ... and then ahead_'s
    bool settle_temporary_ : 1;
#endif
    Error error_;


    Millis now_ = 0;             // the host's clock, see handle_timeout()
    Millis wait_start_ = kNever;

    detail::MessageRecord message_;
    detail::SubmittedAhead ahead_;

    // Events wait as complete records. One reply yields at most three
    // events; a fourth slot covers a local failure queued before they are pulled.
    static constexpr std::uint8_t kEventQueue = 4;
    detail::EventRecord events_[kEventQueue];
    std::uint8_t events_head_ = 0;
    std::uint8_t events_len_ = 0;

    // Every line the engine writes (a command, a SASL response, the end-of-data
    // marker) pushes a record; the reply that answers it pops the record, and
    // the record says what the reply means. The greeting answers the
    // connection itself, whose record is pushed at construction.
    detail::CommandQueue commands_;
};
}  // namespace detail

class Client : private detail::ClientState {
public:
    /// Storage below this size cannot hold a 512-octet command line plus the
    /// receive window, the reply text and the queue of outstanding commands; the Client then starts Failed with
    /// LimitExceeded and a reason that says so.
    static constexpr std::size_t min_storage(const Config& config) noexcept {
        return std::size_t(config.reply_text_capacity) + config.recv_capacity + kMinSendCapacity +
               kCommandRecord * config.limits.commands_in_flight + lmtp_storage(config) +
               messages_storage(config);
    }
    /// Bytes of storage LMTP's state takes, at the end (Config::protocol Lmtp
    /// only): the accepted recipients and the replies after the end of data.
    static constexpr std::size_t kLmtpStorage = 40;
    static constexpr std::size_t lmtp_storage(const Config& config) noexcept {
#ifdef SMTPCORE_NO_LMTP
        return (void)config, 0;
#else
        return config.protocol == Protocol::Lmtp ? kLmtpStorage : 0;
#endif
    }
#ifdef SMTPCORE_NO_CHUNKING
    static constexpr std::size_t messages_storage(const Config&) noexcept { return 0; }
#else
    /// Bytes of storage per message in flight beyond the first (Limits::messages_in_flight).
    static constexpr std::size_t kMessageRecord = sizeof(detail::MessageBehind);
    /// The storage those records take, alignment slack included (0 for one message).
    static constexpr std::size_t messages_storage(const Config& config) noexcept {
        return config.limits.messages_in_flight > 1
                   ? kMessageRecord * (config.limits.messages_in_flight - 1u) + alignof(detail::MessageBehind) - 1
                   : 0;
    }
#endif
    /// Bytes of storage per outstanding command (Limits::commands_in_flight).
    static constexpr std::size_t kCommandRecord = sizeof(detail::OutstandingCommand);
    static constexpr std::size_t kMinSendCapacity = 512;  ///< RFC 5321 §4.5.3.1.4 command line

    /// `config` is copied (its string_views are borrowed); `storage` is used
    /// for the receive window, the reply text and the send buffer, and must
    /// outlive the Client. Check ok() afterwards: a bad config (for example
    /// credentials with Opportunistic TLS, or a NUL in a PLAIN password) leaves
    /// the Client Failed with a Misuse error, credentials over TlsMode::None
    /// without allow_plaintext_auth with InsecureAuth; nothing is ever sent.
    Client(const Config& config, MutableBytes storage) noexcept;

#if SMTPCORE_SASL_EXTENSIONS
    /// Bytes of storage the AuthOptions constructor takes in addition (the
    /// mechanisms' state: SCRAM's keys and nonce, the OAuth status, the
    /// channel binding), alignment slack included.
    static constexpr std::size_t kAuthStorage = 384;
    static constexpr std::size_t min_storage(const Config& config, const AuthOptions&) noexcept {
        return min_storage(config) + kAuthStorage + 7;
    }
    /// The same with the mechanisms of AuthOptions (XOAUTH2, OAUTHBEARER,
    /// SCRAM-SHA-256(-PLUS), CRAM-MD5) available to AUTH. `auth` is copied
    /// (its views are borrowed). A forced mechanism without what it needs
    /// (a token, random octets), a token outside RFC 6750 b64token, or SCRAM
    /// forced with credentials outside printable ASCII (full SASLprep is not
    /// built) leaves the Client Failed with Misuse.
    Client(const Config& config, MutableBytes storage, const AuthOptions& auth) noexcept;
#endif

    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // ---- getters -----------------------------------------------------------
    SessionState state() const noexcept { return state_; }
    /// False once a fatal error happened (see last_error()).
    bool ok() const noexcept { return state_ != SessionState::Failed; }
    /// The sticky fatal error; kind None while ok().
    Error last_error() const noexcept { return error_; }
    /// Valid after the EHLO reply; reset by STARTTLS (RFC 3207 §4.2).
    const Capabilities& capabilities() const noexcept { return caps_; }
    /// True once TLS is established (STARTTLS or implicit).
    bool secure() const noexcept { return secure_; }
    /// The engine has bytes to send.
    bool want_write() const noexcept { return send_tail_ != send_head_; }
    /// The engine takes bytes from the server now: poll the socket for
    /// reading. True in Ready too, although no reply is expected there: a
    /// server may announce 421 or close at any time (RFC 5321 §3.8), and only
    /// reading sees it. False during the TLS handshake, after the end, and
    /// once connection_closed() was called.
    bool want_read() const noexcept { return takes_input() && !input_closed_; }

    // ---- input -------------------------------------------------------------
    /// The window to read server bytes into (zero-copy), then call recv_ack().
    /// Empty when !want_read(), and when the window is full of input not yet
    /// parsed (call next_event() first). While input waits it may be smaller
    /// than recv_capacity.
    MutableBytes recv_buf() noexcept;
    /// `n` bytes were written into the window from recv_buf(). n must not
    /// exceed that window (Misuse otherwise, nothing changes).
    Error recv_ack(std::size_t n) noexcept;
    /// Convenience: copies as much of `data` as fits into the receive window
    /// and returns how many bytes were taken; call next_event() and feed the
    /// rest. Any byte fed during the STARTTLS handshake is a fatal
    /// PeerViolation (response injection, CVE-2021-22947 and kin).
    std::size_t feed(Bytes data) noexcept;
    std::size_t feed(std::string_view data) noexcept { return feed(as_bytes(data)); }

    /// The TLS handshake finished (after a StartTls event, or first thing with
    /// TlsMode::Implicit). The host verified the certificate and host name.
    /// The engine forgets the capabilities and sends EHLO again (RFC 3207 §4.2).
    Error tls_established() noexcept;
#if SMTPCORE_SASL_EXTENSIONS
    /// The same, with the channel binding the TLS library exported for this
    /// connection: 32 octets of the TLS 1.3 exporter, label
    /// "EXPORTER-Channel-Binding", no context (RFC 9266 §2). It makes
    /// SCRAM-SHA-256-PLUS possible, and plain SCRAM-SHA-256 is then refused
    /// while the server offers -PLUS (a downgrade). Any other size, or a
    /// Client without AuthOptions: treated as no binding.
    Error tls_established(Bytes channel_binding) noexcept;
#endif
    /// The transport reached end of file or failed. Input already received is
    /// parsed first (its events come before the consequences of the close);
    /// then a message whose end-of-data marker was handed out by send_buf()
    /// ends MessageUnknown (RFC 5321 §6.1), one before that MessageRejected
    /// (temporary, never delivered).
    void connection_closed() noexcept;

    /// When the engine wants handle_timeout() called, on the host's clock;
    /// kNever when it waits for nothing.
    Millis deadline() const noexcept;
    /// Tells the engine the time. Call it whenever the loop wakes up: it starts
    /// the clock of any wait begun since the last call (a wait that submit(),
    /// quit() or tls_established() began starts here, not at the last clock
    /// the engine saw) and fails the session with Timeout when
    /// now >= deadline(). Idempotent.
    void handle_timeout(Millis now) noexcept;

    // ---- output ------------------------------------------------------------
    /// The next event, or EventType::None when there is nothing to report.
    /// Parses buffered input, so call it until None after every recv_ack().
    Event next_event() noexcept;
    /// Bytes to write to the transport (empty: nothing to send). Handing the
    /// bytes out counts them as sent: an asynchronous host may complete the
    /// read of their replies before it calls send_ack().
    Bytes send_buf() noexcept;
    /// `n` bytes of send_buf() were written; n may be less than offered.
    Error send_ack(std::size_t n) noexcept;

    /// During the Body state (or, with several messages in flight, after a
    /// BodyWanted for a message behind the current one): the window to
    /// write message content into.
    /// Content is plain text with any line endings: the engine converts bare
    /// CR and LF to CRLF and dot-stuffs (RFC 5321 §4.5.2); with BDAT (RFC 3030)
    /// it fixes line ends but doubles no dot, and BODY=BINARYMIME content goes
    /// out verbatim. Empty when the send buffer is full (drain send_buf()
    /// first; with BDAT also while the chunk being filled must move to the
    /// front of the buffer and output waits in front of it), outside Body,
    /// and with BDAT while the queue of outstanding
    /// commands is full or, without PIPELINING, while a BDAT awaits its reply
    /// (read the socket). After a refused BDAT the window still takes the rest
    /// of the body, which is dropped (RFC 3030 §2: no more BDAT); the outcome
    /// follows body_end(). The view stays valid until body_ack() or any other
    /// call except send_buf().
    MutableBytes body_buf() noexcept;
    /// `n` bytes were written into the window from body_buf(). A line longer
    /// than 998 octets, or (for BodyType::SevenBit) an octet over 127 or a NUL
    /// (RFC 6152 §3), fails the message (InvalidInput); the session then ends
    /// without the end-of-data marker.
    Error body_ack(std::size_t n) noexcept;
    /// The body is complete: the engine adds the end-of-data marker (with BDAT,
    /// the rest of the content goes out as "BDAT n LAST").
    Error body_end() noexcept;
    /// The body source failed: the message is cut off without the end-of-data
    /// marker (so the server discards it), MessageRejected is reported and the
    /// session ends with BodyFailed (RFC 5321 has no way to cancel DATA).
    void body_fail() noexcept;

    // ---- commands ----------------------------------------------------------
    /// Starts a transaction. Needs state() == Ready and every event pulled
    /// (next_event() returned None) — or, to send ahead, a message whose body
    /// has ended (body_end() called) and no other message already waiting:
    /// then, with PIPELINING, its MAIL, RCPT and DATA go out right behind the
    /// previous end-of-data marker, in the same flight (RFC 2920 §3.1), and it
    /// starts (BodyWanted) once the previous message's outcome is reported;
    /// no Ready event comes in between. With BDAT, PIPELINING,
    /// RecipientPolicy::AnyAccepted and Limits::messages_in_flight > 1 it
    /// starts at once instead (BodyWanted with its own Event::message, while
    /// state() stays DataEnd), up to that many messages with content out.
    /// Outcomes arrive in order, one per
    /// message. can_submit() says whether submit() may be called now.
    /// Every address is checked
    /// (RFC 5321 §4.1.2, no CR/LF/NUL/controls, length §4.5.3.1) before
    /// anything is sent; on error nothing changes and the error says which
    /// field (and which recipient) is wrong. The envelope's views must stay
    /// valid until the message's outcome event.
    Error submit(const Envelope& envelope) noexcept;
    /// submit() would be taken now (Ready with every event pulled, or the
    /// newest body has ended and no message waits with its envelope only).
    bool can_submit() const noexcept;
    /// Cancels the current message (not one submitted ahead); its outcome is MessageRejected with code 0.
    /// Lines not yet handed out by send_buf() are dropped; if MAIL had left,
    /// RSET clears the server's transaction (RFC 5321 §4.1.1.5) and the
    /// session goes on. Once DATA has left and the server may answer 354
    /// (or the body is flowing), RFC 5321 has no way back: the session ends
    /// with ErrorKind::Cancelled, without the end-of-data marker.
    /// Not in a build with SMTPCORE_NO_CANCEL (docs/footprint.md): there a
    /// message is stopped with body_fail() in its body, or abort().
#ifndef SMTPCORE_NO_CANCEL
    Error cancel() noexcept;
#endif
    /// Ends the session with QUIT: at once in Ready; after the current message
    /// otherwise; before Ready, in place of the next step (STARTTLS, AUTH),
    /// so no credentials go out once quit() was called. A Closed event
    /// follows the server's reply.
    Error quit() noexcept;
    /// Stops at once: nothing more is sent, the outcome of a message in flight
    /// is reported (MessageUnknown if its end of data was handed out), then Error.
    void abort() noexcept;

private:
    void init(const Config& config, MutableBytes storage, const AuthOptions* auth) noexcept;

    // AUTH mechanisms beyond PLAIN and LOGIN (lib/core/auth_extended.cpp)
    detail::AuthArea& auth_area() const noexcept;
    bool start_extended_auth() noexcept;
    bool write_extended_auth_line() noexcept;
    void on_extended_challenge(bool usable) noexcept;
    bool on_extended_outcome(std::uint16_t code) noexcept;
    using SaslWrite = const char* (*)(Client&, detail::SaslOutput&, std::string_view input);
    bool write_sasl_line(std::string_view prefix, SaslWrite write, std::string_view input, const char** problem) noexcept;
    void cancel_sasl() noexcept;

    // session replies and commands (lib/core/session.cpp)
    void on_reply() noexcept;
    void on_greeting_reply() noexcept;
    void on_ehlo_reply() noexcept;
    void on_helo_reply() noexcept;
    void on_starttls_reply() noexcept;
    void on_auth_reply() noexcept;
    void on_rset_reply() noexcept;
    void begin_ehlo() noexcept;
    void after_hello() noexcept;
    void start_auth() noexcept;
    void enter_ready() noexcept;
    void enter(SessionState next) noexcept;  // every change checked against lib/core/transitions.cpp
    void send_lockstep(detail::PendingLine line, SessionState next) noexcept;
    void close_on_421(bool final_reply) noexcept;  // final_reply: the 421 answers the end of data
    void close_input() noexcept;
    void fail(ErrorKind kind, const char* reason, bool polite_quit, bool with_reply = false) noexcept;
    const char* phase() const noexcept;
    Millis current_timeout() const noexcept;
    bool takes_input() const noexcept;

    // transactions (lib/core/transaction.cpp) and their outcome (outcome.cpp)
    void on_transaction_reply(detail::OutstandingCommand command) noexcept;
    void on_envelope_reply_checked(std::uint16_t code, std::uint32_t index) noexcept;
    void on_data_end_reply() noexcept;
    // LMTP (RFC 2033, lib/core/lmtp.cpp); compiled out with SMTPCORE_NO_LMTP
#ifdef SMTPCORE_NO_LMTP
    static constexpr bool lmtp() noexcept { return false; }
#else
    bool lmtp() const noexcept { return config_.protocol == Protocol::Lmtp; }
    const char* check_lmtp_envelope(const Envelope& envelope) const noexcept;
    detail::LmtpArea& lmtp_area() const noexcept;  // at the end of the storage
    void note_lmtp_acceptance(std::uint32_t recipient) noexcept;
    void end_lmtp_message(detail::EventRecord& outcome) noexcept;  // at its outcome: how many took it, how many unknown
    void push_lmtp_data_end_records() noexcept;
    void on_lmtp_data_end_reply(detail::OutstandingCommand command) noexcept;
    void queue_lmtp_outcome() noexcept;
#endif
    // CHUNKING (RFC 3030, lib/core/chunking.cpp); compiled out with SMTPCORE_NO_CHUNKING
#ifdef SMTPCORE_NO_CHUNKING
    static constexpr bool kChunkingBuilt = false;
    bool chunked() const noexcept { return false; }
    std::uint32_t open_chunk_bytes() const noexcept { return 0; }
    bool in_body() const noexcept { return state_ == SessionState::Body; }
    const Envelope& flowing_envelope() const noexcept { return message_.envelope; }
    bool behind_waiting() const noexcept { return false; }
#else
    static constexpr bool kChunkingBuilt = true;
    /// This session's messages go out with BDAT.
    bool chunked() const noexcept {  // not under LMTP (lib/core/lmtp.cpp)
        return config_.chunking != ChunkingPolicy::Never && caps_.has(Extension::Chunking) && !lmtp();
    }
    std::uint32_t open_chunk_bytes() const noexcept;  // the chunk being filled, behind send_tail_
    bool chunk_completes_in_place() const noexcept;  // compacting the send buffer may wait
    std::uint32_t chunk_size() const noexcept;
    const char* check_chunking(const Envelope& envelope) const noexcept;
    void start_chunks() noexcept;
    MutableBytes chunk_window() noexcept;
    bool write_chunk(const char* in, std::size_t n) noexcept;
    void close_chunk(std::uint32_t size, bool last) noexcept;
    void write_last_chunk() noexcept;
    void settle_failed_chunks() noexcept;
    void on_chunk_reply() noexcept;
    void on_last_chunk_reply() noexcept;
    bool next_message_pipelined() const noexcept;
    // several messages in flight (Limits::messages_in_flight, lib/core/messages_in_flight.cpp)
    // behind_slots() and flowing_behind() are asked on every write_output()
    // and body call, mostly to learn that no message is behind: inline.
    detail::MessageBehind* behind_slots() const noexcept {  // at the end of the storage, after the send buffer
        constexpr std::uintptr_t align = alignof(detail::MessageBehind);
        const auto end = reinterpret_cast<std::uintptr_t>(send_ + send_cap_);
        return reinterpret_cast<detail::MessageBehind*>((end + align - 1) & ~(align - 1));
    }
    bool behind_waiting() const noexcept { return behind_len_ > 0; }
    detail::MessageBehind* flowing_behind() const noexcept {  // the newest behind, its body still to be written
        // Each message behind starts its body only once the one before it
        // wrote BDAT LAST, so only the newest may still be writing.
        if (behind_len_ == 0 || settling_) return nullptr;
        detail::MessageBehind& newest = behind_slots()[behind_len_ - 1];
        return newest.marker_written ? nullptr : &newest;
    }
    detail::MessageBehind take_behind() noexcept;            // the oldest behind, removed
    bool body_open() const noexcept;      // body_buf() may give a window: some message's content flows
    bool in_body() const noexcept { return state_ == SessionState::Body || flowing_behind() != nullptr; }
    const Envelope& flowing_envelope() const noexcept;
    std::uint32_t flowing_number() const noexcept;
    bool flowing_failed() const noexcept;
    void start_behind() noexcept;
    void promote_behind() noexcept;
    Event settled_outcome() noexcept;
#endif
    // A message submitted ahead (its envelope while the previous body ends,
    // RFC 2920 §3.1); SMTPCORE_NO_SUBMIT_AHEAD compiles it out: can_submit()
    // is then false until Ready, so a second message is refused, never lost.
#ifdef SMTPCORE_NO_SUBMIT_AHEAD
    static constexpr bool ahead_open() noexcept { return false; }
#else
    bool ahead_open() const noexcept { return ahead_.open; }
#endif
    void fail_transaction(const char* local_reason, bool temporary) noexcept;
    void finish_failed_transaction() noexcept;
#ifndef SMTPCORE_NO_CANCEL
    void drop_unsent_lines() noexcept;
#endif
    void generate_transaction() noexcept;
    void generate_ahead() noexcept;
    void promote_ahead() noexcept;
    void reject_ahead(const char* reason, bool temporary) noexcept;
    bool write_transaction_command(const Envelope& envelope, std::uint32_t index, std::uint32_t message) noexcept;
    enum class Cause : std::uint8_t {
        FinalReply,    // the reply to the end-of-data marker (or a 421 in its place)
        Drained,       // a failed or cancelled transaction was cleared
        SessionEnded,  // 421, EOF, timeout, abort, body failure, violation
    };
    void decide_outcome(Cause cause, const char* reason = "", bool temporary = false) noexcept;

    // byte windows and output generation (lib/core/client.cpp)
    void write_output() noexcept;
    bool write_pending_command() noexcept;
    char* reserve(std::size_t n) noexcept;  // room for one more line awaiting a reply
    void push_command(detail::CommandKind kind, std::uint32_t message = 0, std::uint32_t recipient = 0) noexcept;
    void commit(std::size_t n) noexcept;
    void compact_send_buffer() noexcept;
    void count_handed_out() noexcept;
    void mark_progress() noexcept;
    void start_wait_at_next_clock() noexcept;
    void discard_output() noexcept;
    /// The host has written part of a line but not its end.
    bool line_begun() const noexcept { return send_head_ > 0 && send_[send_head_ - 1] != '\n'; }

    // reply text and the event queue (lib/core/events.cpp)
    void begin_reply_text() noexcept;
    void append_text(std::string_view piece) noexcept;
    void end_reply_line(bool last) noexcept;
    std::string_view reply_text() const noexcept;
    void queue_reply(EventType type, std::uint32_t recipient = 0) noexcept;
    void queue_local(EventType type, const char* text, bool temporary = false) noexcept;
    void queue_stored_rejection(EventType type = EventType::MessageRejected) noexcept;
    detail::EventRecord& push_event(EventType type) noexcept;
    Event pop_event() noexcept;
    char* command_slots() const noexcept { return text_ - kCommandRecord * config_.limits.commands_in_flight; }

};

/// A Client with its storage inside: `StaticClient<1024> c(config);`.
/// N is the storage in bytes (min_storage() with the default Config is 960).
template <std::size_t N>
class StaticClient : private detail::StorageHolder<N>, public Client {
public:
    explicit StaticClient(const Config& config) noexcept
        : Client(config, MutableBytes(this->storage_, N)) {}
#if SMTPCORE_SASL_EXTENSIONS
    /// With AuthOptions: N must also hold Client::kAuthStorage (+7).
    StaticClient(const Config& config, const AuthOptions& auth) noexcept
        : Client(config, MutableBytes(this->storage_, N), auth) {}
#endif
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
