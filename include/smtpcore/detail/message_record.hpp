// smtpcore — what the engine knows about the message in flight, and the
// events it has queued. Internal: not a stable API.
#pragma once

#include <cstdint>

#include "smtpcore/envelope.hpp"
#include "smtpcore/event.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::detail {

/// One message from submit() to its outcome. Its outcome is decided in one
/// place (Client::decide_outcome, lib/core/outcome.cpp) from this record.
/// Line indexes: 0 MAIL, 1..n RCPT, n+1 DATA (with BDAT there is no DATA line:
/// the content starts once n+1 may be written).
struct MessageRecord {
    Envelope envelope;                 // borrowed from the application until the outcome
    std::uint32_t number = 0;          // 1-based in this session
    std::uint32_t lines_written = 0;   // envelope lines written into the send buffer
    std::uint32_t lines_answered = 0;
    std::uint32_t accepted = 0;        // RCPTs answered 2xx
    // The first failure, kept until the transaction ends (RSET answered, or
    // every pipelined line answered).
    const char* failure_text = nullptr;
    std::uint16_t failure_length = 0;
    std::uint16_t failure_code = 0;    // 0: a local reason
    // (Under LMTP, after the end of data, failure_* hold the per-recipient
    // reply the outcome reports, which may be a success: lib/core/lmtp.cpp.)
    EnhancedStatus failure_status;
    bool open = false;                 // submitted and no outcome yet
    bool failed = false;               // the transaction failed; the rest is draining it
    bool failure_temporary = false;
    bool any_rcpt_temporary = false;   // some RCPT got 4xx
    bool any_rcpt_permanent = false;   // some RCPT got 5xx
    bool mail_accepted = false;
    bool data_allowed = false;         // DATA may be written
#ifdef SMTPCORE_NO_CANCEL
    static constexpr bool cancel_requested = false;  // no cancel() in this build: its paths fold
    bool unused = false;  // the flag's byte: every build's session has one size (scripts/footprint)
#else
    bool cancel_requested = false;
#endif
    bool body_ended = false;           // body_end() called
    bool marker_written = false;       // the end-of-data marker is in the send buffer
    bool marker_left = false;          // ... and send_buf() has handed all of it out
};

/// A message submitted while the previous one is still in flight (its body
/// ended): its envelope lines go out behind the previous end-of-data marker
/// (RFC 2920 §3.1), and it becomes the MessageRecord once the previous
/// message's final reply arrives. At most one waits (a bounded queue of one).
struct SubmittedAhead {
    Envelope envelope;
    std::uint32_t lines_written = 0;  // envelope lines already in the send buffer
    bool open = false;
};

#ifndef SMTPCORE_NO_CHUNKING
/// A message behind the oldest one whose content already flows or has gone
/// out (Limits::messages_in_flight > 1, BDAT with PIPELINING): only what
/// writing needs, since replies arrive in order and every reply to it comes
/// after the oldest message's outcome, when it becomes the MessageRecord.
/// These records live in the caller's storage, beside the command slots.
struct MessageBehind {
    Envelope envelope;
    std::uint32_t lines_written = 0;  // MAIL and every RCPT
    bool body_ended = false;          // body_end() called
    bool marker_written = false;      // BDAT LAST is in the send buffer
    bool marker_left = false;         // ... and send_buf() has handed it out
};
#endif

/// A queued event: a complete value, copied when queued (docs/architecture.md
/// states its size). The recipient is kept as an index into the envelope,
/// which the application keeps alive until the message's outcome.
struct EventRecord {
    const char* text;
    std::uint32_t message;
    std::uint16_t recipient_index;      // submit() refuses more than 65535 recipients
    std::uint16_t accepted_recipients;
    std::uint16_t text_length;
    std::uint16_t code;
    EnhancedStatus status;
    EventType type;
#ifdef SMTPCORE_NO_DSN
    bool temporary;
#else
    bool temporary : 1;
    bool dsn_dropped : 1;               // outcomes: Event::dsn_dropped (in the same octet: still 24 B)
#endif
};

}  // namespace smtpcore::detail
SMTPCORE_END_PUBLIC
