// The model's side of the model-based test: what the engine must report for
// a transaction, predicted from the server's plan alone (RFC 5321 §4.1.1,
// RFC 2920 §3.1, docs/contributing.md I1). Written from the RFCs and the
// documented API, not from the engine's code.
#pragma once

#include <cstdint>

#include "model_server.hpp"
#include "smtpcore/config.hpp"
#include "smtpcore/event.hpp"

namespace smtpcore::test {

enum class SessionEnd : std::uint8_t { GoesOn, Closed, Error };

struct Prediction {
    EventType outcome = EventType::None;
    std::uint16_t code = 0;      ///< the reply code the outcome carries (0: a local reason)
    bool temporary = false;
    std::uint32_t accepted = 0;  ///< recipients accepted
    SessionEnd end = SessionEnd::GoesOn;
    /// BDAT pipelined behind the envelope: a broken reply to MAIL or RCPT may
    /// come after BDAT LAST was handed out (the host's timing decides), and
    /// then the message may have been delivered: MessageUnknown is right too.
    bool or_unknown = false;
};

/// `chunking`: the server offers CHUNKING, so the content goes out with BDAT
/// (RFC 3030): no DATA line, and the reply to BDAT LAST is the final reply.
Prediction predict(const MessagePlan& m, RecipientPolicy policy, bool pipelining, bool chunking = false);

}  // namespace smtpcore::test
