#include "prediction.hpp"

namespace smtpcore::test {
namespace {

bool temporary(std::uint16_t code) { return code >= 400 && code < 500; }

// A fatal peer violation while the message is open: rejected, worth a retry
// (the message never reached its end of data).
Prediction violation(std::uint32_t accepted) {
    return Prediction{EventType::MessageRejected, 0, true, accepted, SessionEnd::Error};
}

// 421: the server is closing (§3.8); the open message is rejected, temporarily.
Prediction closing(std::uint32_t accepted) {
    return Prediction{EventType::MessageRejected, 0, true, accepted, SessionEnd::Closed};
}

Prediction ended(Prediction p, SessionEnd end) {
    p.end = end;
    return p;
}

}  // namespace

Prediction predict(const MessagePlan& m, RecipientPolicy policy, bool pipelining, bool chunking) {
    // BDAT with PIPELINING and AnyAccepted: the body starts with the envelope.
    const bool early_body = chunking && pipelining && policy == RecipientPolicy::AnyAccepted;
    auto violation = [early_body](std::uint32_t accepted) {
        Prediction p = smtpcore::test::violation(accepted);
        p.or_unknown = early_body;
        return p;
    };
    const std::uint16_t mail = m.mail.code;
    if (mail == 421) return closing(0);
    // RFC 5321 §4.2: the first digit decides; a 3xx answers no question asked.
    const bool positive_not_2xx = mail >= 300 && mail < 400;
    if (positive_not_2xx) return violation(0);
    // With PIPELINING, RCPT and DATA went out with MAIL (§3.1 of RFC 2920)
    // and their replies are still read; without it nothing follows a refusal.
    const bool mail_ok = mail >= 200 && mail < 300;
    Prediction stored{EventType::MessageRejected, mail, temporary(mail), 0, SessionEnd::GoesOn};

    std::uint32_t accepted = 0;
    bool any_temporary = false, any_permanent = false, failed = !mail_ok;
    if (mail_ok || pipelining) {
        for (const ReplyPlan& r : m.rcpt) {
            // After a refused MAIL the stored refusal is what gets reported.
            if (r.code == 421) return failed ? ended(stored, SessionEnd::Closed) : closing(accepted);
            if (r.code >= 300 && r.code < 400)
                return failed ? ended(stored, SessionEnd::Error) : violation(accepted);
            if (!mail_ok) continue;
            if (r.code < 300) {
                ++accepted;
            } else if (temporary(r.code)) {
                any_temporary = true;
            } else {
                any_permanent = true;
            }
        }
    }
    if (!mail_ok) {
        stored.accepted = 0;
        if (!pipelining) return stored;
    } else if (accepted == 0) {
        failed = true;
        stored = Prediction{EventType::MessageRejected, 0, any_temporary, accepted, SessionEnd::GoesOn};
    } else if (policy == RecipientPolicy::AllRequired && accepted < m.rcpt.size()) {
        // One permanent refusal makes the message as submitted undeliverable.
        failed = true;
        stored = Prediction{EventType::MessageRejected, 0, !any_permanent, accepted, SessionEnd::GoesOn};
    }
    // DATA goes out when pipelined with AnyAccepted (in the same flight),
    // otherwise only once the recipients allow it.
    const bool data_sent = (pipelining && policy == RecipientPolicy::AnyAccepted) || !failed;
    if (!data_sent) return stored;
    // BDAT has no DATA and no 354: the body follows the envelope as if DATA
    // had been answered 354; a failure learnt meanwhile drops the rest of the
    // body, RSET follows (answered 250 by the model), and the stored refusal stands.
    const std::uint16_t data = chunking ? 354 : m.data.code;
    if (data == 421) {
        return failed ? ended(stored, SessionEnd::Closed) : closing(accepted);
    }
    if (data < 400 && data != 354) {
        return failed ? ended(stored, SessionEnd::Error) : violation(accepted);
    }
    if (data != 354) {
        if (failed) return stored;
        return Prediction{EventType::MessageRejected, data, temporary(data), accepted, SessionEnd::GoesOn};
    }
    // 354. With no valid recipient a lone "." follows (RFC 2920 §3.1; with
    // BDAT the body's BDAT LAST): the stored refusal stands whatever the server says to it.
    const std::uint16_t end = m.end.code;
    // BDAT after a failure: the model server answers every BDAT 503 when it
    // has no valid transaction (and the client sent none when it knew first):
    // RSET, the stored refusal.
    if (failed && chunking) return stored;
    if (failed) {
        if (end >= 300 && end < 400) return ended(stored, SessionEnd::Error);
        return ended(stored, end == 421 ? SessionEnd::Closed : SessionEnd::GoesOn);
    }
    if (end >= 200 && end < 300) return Prediction{EventType::MessageAccepted, end, false, accepted, SessionEnd::GoesOn};
    if (end < 400) return Prediction{EventType::MessageUnknown, 0, false, accepted, SessionEnd::Error};
    return Prediction{EventType::MessageRejected, end, temporary(end), accepted,
                      end == 421 ? SessionEnd::Closed : SessionEnd::GoesOn};
}

}  // namespace smtpcore::test
