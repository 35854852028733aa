// A Client driven by a test or a fuzzer, with every invariant of docs/contributing.md
// checked on every step ("Invariants the tests hold"):
//
//  1. every submitted message ends in exactly one outcome — accepted (a 2xx
//     after its end of data went out), rejected, or unknown (only once its
//     end of data went out) — and nothing follows a fatal Error or Closed;
//  2. the wire never holds a bare CR or bare LF; each body on the wire is the
//     application's body with line ends made CRLF and leading dots doubled,
//     then ".", or a prefix of it with nothing after when the message was cut
//     off; with BDAT (RFC 3030) the content of its chunks, each exactly the
//     size its BDAT line names, is the body with line ends made CRLF and no
//     dot doubled, ending with BDAT LAST, or a prefix of it when the message
//     failed (then commands may follow) or was cut off; command lines are well formed and carry exactly the submitted
//     addresses (no injection);
//  3. with TLS required, nothing but EHLO/STARTTLS/QUIT goes out in
//     plaintext; credentials only with TLS or allow_plaintext_auth;
//  5. per-recipient results come in order and name the submitted recipients;
//  and the engine allocates nothing; refused calls change nothing.
//
// The first broken invariant is kept in violation(); the owner decides what
// to do (a fuzz target aborts, a property test fails).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "smtpcore/client.hpp"

namespace smtpcore::test {

class CheckedSession {
public:
    /// `allocations` returns the process's allocation count (the counter
    /// differs between sanitizer and plain builds).
    CheckedSession(const Config& config, std::size_t storage, std::size_t (*allocations)());
    /// With AuthOptions (the mechanisms beyond PLAIN and LOGIN); `storage` must include Client::kAuthStorage.
    CheckedSession(const Config& config, const AuthOptions& auth, std::size_t storage, std::size_t (*allocations)());

    CheckedSession(const CheckedSession&) = delete;
    CheckedSession& operator=(const CheckedSession&) = delete;

    // ---- the host's side of the loop (client.hpp) -----------------------------
    /// Hands server bytes to the engine; returns how many it took.
    std::size_t feed(std::string_view bytes);
    /// Writes up to `n` bytes of send_buf() to the "socket" and acknowledges them.
    void ack(std::size_t n);
    /// send_buf() without a write completion: an asynchronous host handed
    /// the bytes to the kernel and its read completion may come first.
    void hand_out() { offer(); }
    /// Pulls one event and checks it; EventType::None when there is none.
    Event pull_event();
    /// Pulls every event, checking each.
    void drain();
    void advance_time(Millis step);
    void connection_closed();
    /// With a channel binding (RFC 9266) when `channel_binding` is not empty.
    Error tls_established(Bytes channel_binding = {});

    // ---- the application's commands ------------------------------------------
    struct Submission {
        std::string from;
        std::vector<std::string> recipients;
        std::uint64_t size_hint = 0;
        bool eight_bit = false;
        bool smtputf8 = false;
        // DSN (RFC 3461) and REQUIRETLS (RFC 8689): on the wire only as submitted.
        bool dsn = false;
        DsnReturn ret = DsnReturn::Default;
        std::string envid = {};
        std::uint8_t notify = 0;
        std::vector<std::string> orcpt = {};  // empty, or one per recipient
        std::vector<std::uint8_t> notify_each = {};  // empty, or one per recipient (0: notify)
        bool require_tls = false;
    };
    Error submit(const Submission& s);
    Error cancel();
    Error quit();
    void abort();
    /// Writes as much of `piece` as the body window takes; returns bytes taken.
    std::size_t body(std::string_view piece);
    Error body_end();
    void body_fail();

    /// Flushes output, pulls events, closes the connection and checks that
    /// every message got its outcome. Call once, last.
    void finish();

    bool ok() const { return violation_.empty(); }
    const std::string& violation() const { return violation_; }
    Client& client() { return client_; }
    const std::string& wire() const { return wire_; }
    /// One line per event, for comparing runs (split invariance).
    const std::vector<std::string>& events() const { return events_; }
    /// Messages the engine took so far (their Event::message numbers are 1..n).
    std::uint32_t submitted() const { return static_cast<std::uint32_t>(messages_.size()); }
    /// True when a message's body flows (the current one's, or with several
    /// in flight one behind it) or the current one is in its body phase.
    bool in_body() const;
    bool ended() const { return ended_; }

    /// How a message ended, as its outcome event said (type None: not yet).
    struct Outcome {
        EventType type = EventType::None;
        std::uint16_t code = 0;
        EnhancedStatus status;
        bool temporary = false;
        std::uint32_t accepted = 0;
    };
    /// The outcome of the message numbered `number` (1-based, as in events).
    Outcome outcome(std::uint32_t number) const;

private:
    Bytes offer();  // client_.send_buf(), remembering what it handed out
    struct Message {
        std::string from;
        std::vector<std::string> recipients;
        std::vector<std::string_view> views;
        Envelope envelope;
        Submission submitted;  // its DSN request's strings; messages_ is a deque: they never move
        DsnRequest dsn;
        std::vector<std::string_view> orcpt_views;
        std::uint32_t number = 0;
        int outcomes = 0;
        Outcome outcome;
        std::uint32_t results = 0;
        std::uint32_t accepted = 0;
        bool body_started = false;
        std::size_t body_start = 0;  // wire offset of the first body byte
        std::string body_input;      // what the application wrote
        bool body_ended = false;
        bool terminated_on_wire = false;
        bool terminator_handed_out = false;  // send_buf() offered the whole end-of-data marker
        bool chunked = false;                // BDAT: BodyWanted came without a 354
        // LMTP (RFC 2033 §4.2): the recipients accepted at RCPT, in order, and
        // the per-recipient replies after the end of data so far.
        std::vector<std::uint32_t> accepted_indices;
        std::uint32_t recipient_outcomes = 0;
        std::uint32_t delivered = 0;
    };

    template <class F>
    auto engine(F&& f);
    void violate(const std::string& what);
    void check_event(const Event& e);
    void check_outcome(const Event& e);
    void check_recipient_outcome(const Event& e);
    void check_lmtp_outcome(const Event& e, const Message& m);
    void check_wire();
    /// BDAT chunks from wire offset `at`: their content, where they end, whether
    /// the last was BDAT LAST; false when a chunk is malformed or cut off.
    struct Chunks {
        std::string content;
        std::size_t end = 0;
        bool last = false;
        bool complete = true;
        bool malformed = false;
    };
    Chunks read_chunks(const std::string& wire, std::size_t at) const;
    /// Sets terminator_handed_out once send_buf() has offered the message's
    /// whole end of data (the "." line, or BDAT LAST with all the content).
    void note_end_handed_out(Message& m);
    void check_commands(std::size_t from, std::size_t to);
    void check_command_line(const std::string& line, bool plaintext);
    void check_unchanged(const char* call, const Error& err, SessionState before, std::size_t pending_before);
    Message* current();
    Message* writer();  // the message whose body flows, or nullptr

    Config config_;
    std::vector<char> storage_;
    Client client_;
    std::size_t (*allocations_)();

    std::string wire_;
    std::deque<Message> messages_;
    std::vector<std::string> events_;
    std::string violation_;
    Millis now_ = 0;
    bool wait_begun_by_application_ = false;
    std::string handed_out_;  // wire_ plus what send_buf() last offered beyond it  // since the last advance_time()
    bool ended_ = false;             // an Error or Closed event was seen
    std::size_t wire_limit_ = ~std::size_t(0);  // after Error: wire + pending at that time
    std::size_t tls_offset_ = ~std::size_t(0);  // wire offset where TLS began
    bool greeted_ = false;

    // command-line context while scanning the wire
    std::size_t mail_seen_ = 0;     // MAIL lines so far (message index + 1)
    std::size_t rcpt_seen_ = 0;     // RCPT lines of the current MAIL
    bool after_auth_ = false;       // SASL responses may follow
    bool after_data_ = false;       // a lone "." may follow
};

}  // namespace smtpcore::test
