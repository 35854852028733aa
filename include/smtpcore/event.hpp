// smtpcore — what the engine tells the application, one event at a time.
//
// Events are pulled with Client::next_event() (docs/contributing.md §3); a flat tagged struct
// that maps 1:1 to C. Views in an event stay valid until the next call into
// the same Client.
#pragma once

#include <cstdint>
#include <string_view>

#include "smtpcore/error.hpp"
#include "smtpcore/reply.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

enum class EventType : std::uint8_t {
    None,             ///< nothing to report: do I/O (send_buf, body_buf, recv_buf) and wait
    Greeting,         ///< the server's 220 arrived
    StartTls,         ///< start the TLS handshake now, then call tls_established()
    Authenticated,    ///< 235: AUTH succeeded
    Ready,            ///< the session is established (or the last message ended): submit() now
    RecipientResult,  ///< the reply to one RCPT TO (index, recipient, code)
    BodyWanted,       ///< 354 (code 0 with BDAT, RFC 3030): write the body through body_buf()/body_ack(), then body_end()
    MessageAccepted,  ///< 2xx to end of data: the server took responsibility
    MessageRejected,  ///< 4xx/5xx (code != 0) or refused locally before end of data (code == 0)
    MessageUnknown,   ///< the connection died after end of data: it may have been delivered
    Closed,           ///< the session ended in order (221, 421, a refused greeting); flush and close
    Error,            ///< fatal error (see `error`); flush send_buf() if you like, then close
    /// LMTP (RFC 2033 §4.2): the server's reply for one recipient after the
    /// end of data (index, recipient, code, text): 2xx it took the message,
    /// 4xx/5xx it did not (`temporary` says which). One per recipient accepted
    /// at RCPT, in RCPT order, before the message's outcome.
    RecipientOutcome,
};

struct Event {
    EventType type = EventType::None;
    std::uint16_t code = 0;           ///< reply code, 0 for a local event
    EnhancedStatus status;            ///< RFC 3463 code when the reply had one
    bool temporary = false;           ///< for rejections: retrying later may succeed
    /// For outcomes: the message asked for DSN (Envelope::dsn), the server
    /// does not offer it, and the parameters were left out (DsnUnoffered::Drop):
    /// no delivery report was requested (RFC 3461). Always false with SMTPCORE_NO_DSN.
    bool dsn_dropped = false;
    std::uint32_t message = 0;        ///< 1-based number of the message in this session
    std::uint32_t recipient_index = 0;///< for RecipientResult and RecipientOutcome: index into Envelope::recipients
    /// For outcomes: how many RCPTs got a 2xx. Under LMTP: how many recipients
    /// took the message (a 2xx reply after the end of data).
    std::uint32_t accepted_recipients = 0;
#ifndef SMTPCORE_NO_LMTP
    /// For MessageUnknown under LMTP (RFC 2033 §4.2): how many recipients
    /// accepted at RCPT got no reply after the end of data (the session ended
    /// between the replies): each may have the message. They are the accepted
    /// recipients (RecipientResult 2xx) without a RecipientOutcome. 0 otherwise.
    std::uint32_t unknown_recipients = 0;
#endif
    std::string_view recipient;       ///< for RecipientResult and RecipientOutcome: the address
    /// The server's text (multi-line replies joined by '\n', the enhanced code
    /// removed, cut at Config::reply_text_capacity), or a static local reason.
    std::string_view text;
    Error error;                      ///< for Error events

    /// The reply code is 2xx or 3xx (334 and 354 included). Not the fate of a
    /// message: that is the event type (MessageAccepted and the others).
    constexpr bool positive() const noexcept { return is_positive(code); }
};

/// The enumerator's name, e.g. "message-accepted".
const char* to_string(EventType type) noexcept;

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
