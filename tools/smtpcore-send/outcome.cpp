// Exit codes follow sysexits(3) as promised in docs/cli.md. Once QUIT went out
// the messages alone decide. Before that, the worst thing that happened
// decides: a session-level failure (TLS, protocol, auth) first, then any
// permanent refusal (69), then anything temporary or unknown (75).
#include "outcome.hpp"

#include <cstdio>

#include "options.hpp"

namespace smtpcore::cli {
namespace {

int code_for_error(const Error& e, std::uint16_t closing_code) {
    switch (e.kind) {
    case ErrorKind::None: return kDelivered;
    case ErrorKind::InvalidInput: return kDataError;
    case ErrorKind::Misuse: return kUsage;
    case ErrorKind::PeerViolation:
    case ErrorKind::LimitExceeded:
    case ErrorKind::TlsRequired: return kProtocol;
    case ErrorKind::InsecureAuth:
    case ErrorKind::AuthUnavailable:
    case ErrorKind::AuthFailed: return kNoPerm;
    case ErrorKind::Unsupported: return kUnavailable;
    case ErrorKind::Refused: return is_transient_failure(closing_code) ? kTempFail : kUnavailable;
    case ErrorKind::Timeout:
    case ErrorKind::ConnectionLost:
    case ErrorKind::BodyFailed:
    case ErrorKind::Aborted:
    case ErrorKind::Cancelled: return kTempFail;
    }
    return kTempFail;
}

std::string prefix(const SessionSummary& s, std::size_t i) {
    return s.wanted > 1 ? "message " + std::to_string(i + 1) + ": " : "";
}

// One recipient that did not take the message: refused at RCPT, or (LMTP,
// RFC 2033 §4.2) refused by its own reply after the end of data, or left
// without that reply. Returns whether a retry may help it.
bool print_untaken(const adapters::RecipientReport& r) {
    if (r.code == 0) {
        std::fprintf(stderr, "  %s: no answer\n", r.address.c_str());
        return true;
    }
    if (!is_positive(r.code)) {
        std::fprintf(stderr, "  %s: %u %s\n", r.address.c_str(), r.code, r.text.c_str());
        return is_transient_failure(r.code);
    }
    std::fprintf(stderr, "  %s: after the end of data: %u %s\n", r.address.c_str(), r.delivery_code,
                 r.delivery_text.c_str());
    return is_transient_failure(r.delivery_code);
}

// The report of message i (0-based) on stderr; sets `permanent` or
// `temporary` when it was not delivered to everyone.
void report_message(const SessionSummary& s, std::size_t i, const adapters::MessageReport& m, bool verbose,
                    bool& permanent, bool& temporary) {
    std::size_t refused = 0;
    for (const auto& r : m.recipients) refused += r.took() ? 0 : 1;
    switch (m.outcome) {
    case EventType::MessageAccepted:
        if (verbose || refused > 0)
            std::fprintf(stderr, "%saccepted for %zu of %zu recipients: %u %s\n", prefix(s, i).c_str(),
                         m.recipients.size() - refused, m.recipients.size(), m.code, m.text.c_str());
        break;
    case EventType::MessageRejected:
        if (m.code != 0)
            std::fprintf(stderr, "%snot sent: %s failure: %u %s\n", prefix(s, i).c_str(),
                         m.temporary ? "temporary" : "permanent", m.code, m.text.c_str());
        else  // refused locally, before the end of data: the server discards a cut-off message
            std::fprintf(stderr, "%snot sent (%s failure): %s\n", prefix(s, i).c_str(),
                         m.temporary ? "temporary" : "permanent", m.text.c_str());
        (m.temporary ? temporary : permanent) = true;
        break;
    case EventType::MessageUnknown:
        std::fprintf(stderr, "%soutcome unknown: the connection ended after the end of data was sent; "
                             "the message may have been delivered (%s)\n", prefix(s, i).c_str(), m.text.c_str());
        temporary = true;
        break;
    default:
        std::fprintf(stderr, "%snot sent: the session ended before the message started\n", prefix(s, i).c_str());
        temporary = true;
        break;
    }
    // Per-recipient report on partial failure (the message itself may have been taken).
    if (m.outcome != EventType::MessageRejected && m.outcome != EventType::MessageUnknown) {
        for (const auto& r : m.recipients) {
            if (!r.took()) (print_untaken(r) ? temporary : permanent) = true;
            else if (verbose && r.delivery_code != 0)  // LMTP: each recipient's own reply
                std::fprintf(stderr, "  %s: after the end of data: %u %s\n", r.address.c_str(), r.delivery_code,
                             r.delivery_text.c_str());
        }
    } else if (m.outcome == EventType::MessageUnknown) {
        for (const auto& r : m.recipients) {
            if (is_positive(r.code) && r.delivery_code == 0) continue;  // the outcome line covers it
            if (r.took()) std::fprintf(stderr, "  %s: after the end of data: %u %s\n", r.address.c_str(),
                                       r.delivery_code, r.delivery_text.c_str());
            else (print_untaken(r) ? temporary : permanent) = true;
        }
    } else if (m.outcome == EventType::MessageRejected) {
        for (const auto& r : m.recipients)
            if (r.code != 0 && !r.took()) print_untaken(r);
    }
}

}  // namespace

std::size_t SessionSummary::message_count() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) n += repeats_of(i);
    return n;
}

int report_and_exit_code(const SessionSummary& s, bool verbose) {
    bool permanent = false, temporary = false;
    std::size_t number = 0;  // each report stands for repeats_of(i) messages in a row
    for (std::size_t i = 0; i < s.messages.size(); ++i) {
        if (!verbose && s.messages[i].delivered()) {  // nothing to say about these copies
            number += s.repeats_of(i);
            continue;
        }
        for (std::uint32_t k = 0; k < s.repeats_of(i); ++k)
            report_message(s, number++, s.messages[i], verbose, permanent, temporary);
    }
    const std::size_t started = s.message_count();
    if (started < s.wanted && started > 0)
        std::fprintf(stderr, "%zu of %u messages were not started\n", s.wanted - started, s.wanted);

    // A message refused by submit() before anything was sent has no outcome
    // event; the engine's error then says why (a SIZE over the limit: 69).
    bool every_outcome_final = started >= s.wanted;
    for (const adapters::MessageReport& m : s.messages)
        every_outcome_final = every_outcome_final && m.outcome != EventType::None;
    if (s.quit_sent && every_outcome_final) {
        // QUIT went out, so every message has its final outcome: what goes
        // wrong while closing (a reset, no 221, a malformed reply, TLS cut
        // without close_notify) cannot undo a delivery. Exit by the messages:
        // a wrapper that retries on 75 must not send a delivered mail twice.
        if (!s.close_problem.empty())
            std::fprintf(stderr, "warning: the session did not end cleanly (the outcomes above stand): %s\n",
                         s.close_problem.c_str());
        return permanent ? kUnavailable : temporary ? kTempFail : kDelivered;
    }

    if (s.transport == adapters::TransportFailure::Tls || s.transport == adapters::TransportFailure::NoTls) {
        std::fprintf(stderr, "TLS failed: %s\n", s.transport_error.c_str());
        return kProtocol;
    }
    if (s.transport == adapters::TransportFailure::Io)
        std::fprintf(stderr, "connection failed: %s\n", s.transport_error.c_str());
    if (s.error) {
        // The server's words, when they say more than the engine's reason.
        const bool extra = !s.closing_text.empty() && s.closing_text != s.error.reason;
        std::fprintf(stderr, "error: %s (%s, during %s)%s%s\n", s.error.reason, to_string(s.error.kind),
                     s.error.where, extra ? ": " : "", extra ? s.closing_text.c_str() : "");
        const int code = code_for_error(s.error, s.closing_code);
        if (code != kTempFail && code != kDelivered) return code;
    } else if (s.closing_code >= 400) {
        std::fprintf(stderr, "the server closed the session: %u %s\n", s.closing_code, s.closing_text.c_str());
    }
    if (permanent) return kUnavailable;
    if (temporary || s.error || s.transport != adapters::TransportFailure::None) return kTempFail;
    if (started < s.wanted) return is_permanent_failure(s.closing_code) ? kUnavailable : kTempFail;
    return kDelivered;
}

}  // namespace smtpcore::cli
