// A scripted SMTP server for the property tests: it reads what the client
// sent, line by line, and answers each command from a plan the test
// generated — any code, multi-line or not, with or without an enhanced
// status code — so RapidCheck can explore dialogues no recording holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "checked_session.hpp"

namespace smtpcore::test {

/// How the server words one reply.
struct ReplyPlan {
    std::uint16_t code = 250;
    int extra_lines = 0;         ///< continuation lines before the last one
    bool enhanced = false;       ///< prefix the text with an RFC 3463 code of the same class
};

/// The server's answers for one message's transaction.
struct MessagePlan {
    ReplyPlan mail;
    std::vector<ReplyPlan> rcpt;  ///< one per recipient
    ReplyPlan data{354};          ///< to DATA (not used with BDAT)
    ReplyPlan end;                ///< to the end of data, or to BDAT LAST (other BDATs get 250;
                                  ///< every BDAT 503 without an accepted MAIL and RCPT, as Postfix does)
    std::string body;             ///< what the application writes
};

/// What the server announces, and how it answers the session's commands.
struct ServerPlan {
    bool pipelining = true;
    bool eight_bit = false;
    bool enhanced_codes = false;
    bool chunking = false;         ///< offers CHUNKING (RFC 3030): the client sends BDAT
    int ehlo_filler = 0;           ///< extra, unknown EHLO keywords
};

class ModelServer {
public:
    explicit ModelServer(const ServerPlan& plan) : plan_(plan) {}
    /// The greeting, sent when the connection opens.
    std::string greeting() const;
    /// Reads the client's new bytes; returns the server's answer to every
    /// command they complete (pipelined commands are answered in order).
    std::string respond(const std::string& client_bytes);
    /// Queues the plan for the next transaction the client starts.
    void expect(const MessagePlan& m) { messages_.push_back(m); }
    /// Lines the server could not match to its plan (a test failure).
    const std::vector<std::string>& surprises() const { return surprises_; }

private:
    std::string answer(const std::string& line);
    std::string answer_chunk(const std::string& line);

    ServerPlan plan_;
    std::deque<MessagePlan> messages_;
    MessagePlan current_;  // the plan of the transaction MAIL started
    std::string pending_;
    bool in_body_ = false;
    std::size_t chunk_left_ = 0;  // BDAT content octets still to read
    bool chunk_last_ = false;
    std::size_t rcpt_ = 0;
    bool mail_ok_ = false;
    bool rcpt_ok_ = false;
    std::vector<std::string> surprises_;
};

/// Formats a reply: "250-..." continuation lines, then "250 ...".
std::string format_reply(const ReplyPlan& r, const std::string& text);

/// True when no message failed and the session went on to its QUIT: with
/// BDAT (RFC 3030) how much of a failed message's content left before the
/// failure arrived, and so whether its BDAT LAST was handed out, depends on
/// the host's timing; a clean session does not.
bool clean_session(const std::vector<std::string>& events);
/// The outcome events of two runs agree message by message: the same, or
/// with BDAT one MessageUnknown where the other is MessageRejected (temporary,
/// no code) after a broken reply that came before or after BDAT LAST left,
/// and one more message submitted ahead, rejected unsent, in either (with
/// several in flight, up to that many more, each unsent or unknown).
/// `in_flight`: Limits::messages_in_flight of both runs.
bool outcomes_agree(const std::vector<std::string>& a, const std::vector<std::string>& b, bool chunking,
                    std::size_t in_flight = 1);

/// How the host moves bytes: piece sizes for input and for output
/// acknowledgements (cycled; empty means all at once).
struct Chunking {
    std::vector<std::size_t> input;
    std::vector<std::size_t> acks;
    std::vector<std::size_t> body;
};

/// The host loop between a CheckedSession and a ModelServer on a virtual
/// network: bytes the client acknowledged reach the server at once, the
/// server's answers are fed back in the chunking's pieces.
class Dialogue {
public:
    Dialogue(CheckedSession& s, ModelServer& server, Chunking chunking)
        : s_(s), server_(server), chunking_(std::move(chunking)), outbox_(server.greeting()) {}

    /// Runs until the client waits for the application (a Ready event) or
    /// the session ended; writes `body` when the message in flight asks for
    /// it. Returns false when neither side can go on (a stall).
    bool run_until_idle(const std::string& body);

    /// Called right after body_end(): a test may submit the next message
    /// ahead there (Client::can_submit()).
    std::function<void()> after_body_end;
    /// When set, the body of message n (Event::message) is (*bodies)[n - 1]
    /// instead of run_until_idle's argument: with messages submitted ahead,
    /// several bodies are written in one run.
    const std::vector<std::string>* bodies = nullptr;

private:
    std::size_t piece(const std::vector<std::size_t>& sizes, std::size_t& turn, std::size_t left) const;

    CheckedSession& s_;
    ModelServer& server_;
    Chunking chunking_;
    std::string outbox_;     // server bytes not yet taken by the client
    std::size_t acked_ = 0;  // wire bytes already given to the server
    std::size_t input_turn_ = 0, ack_turn_ = 0, body_turn_ = 0;
};

}  // namespace smtpcore::test
