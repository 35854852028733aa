// Names of enumerators, for logs and transcripts.
#include "smtpcore/client.hpp"

namespace smtpcore {

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::None: return "none";
    case ErrorKind::Misuse: return "misuse";
    case ErrorKind::InvalidInput: return "invalid-input";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::PeerViolation: return "peer-violation";
    case ErrorKind::LimitExceeded: return "limit-exceeded";
    case ErrorKind::TlsRequired: return "tls-required";
    case ErrorKind::InsecureAuth: return "insecure-auth";
    case ErrorKind::AuthUnavailable: return "auth-unavailable";
    case ErrorKind::AuthFailed: return "auth-failed";
    case ErrorKind::Refused: return "refused";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::ConnectionLost: return "connection-lost";
    case ErrorKind::BodyFailed: return "body-failed";
    case ErrorKind::Aborted: return "aborted";
    case ErrorKind::Cancelled: return "cancelled";
    }
    return "?";
}

const char* to_string(EventType type) noexcept {
    switch (type) {
    case EventType::None: return "none";
    case EventType::Greeting: return "greeting";
    case EventType::StartTls: return "start-tls";
    case EventType::Authenticated: return "authenticated";
    case EventType::Ready: return "ready";
    case EventType::RecipientResult: return "recipient";
    case EventType::BodyWanted: return "body-wanted";
    case EventType::MessageAccepted: return "message-accepted";
    case EventType::MessageRejected: return "message-rejected";
    case EventType::MessageUnknown: return "message-unknown";
    case EventType::Closed: return "closed";
    case EventType::Error: return "error";
    case EventType::RecipientOutcome: return "recipient-outcome";
    }
    return "?";
}

const char* to_string(SessionState state) noexcept {
    switch (state) {
    case SessionState::AwaitTls: return "await-tls";
    case SessionState::Greeting: return "greeting";
    case SessionState::Ehlo: return "ehlo";
    case SessionState::Helo: return "helo";
    case SessionState::StartTls: return "starttls";
    case SessionState::TlsHandshake: return "tls-handshake";
    case SessionState::Auth: return "auth";
    case SessionState::Ready: return "ready";
    case SessionState::Envelope: return "envelope";
    case SessionState::Body: return "body";
    case SessionState::DataEnd: return "data-end";
    case SessionState::Rset: return "rset";
    case SessionState::Quit: return "quit";
    case SessionState::Closed: return "closed";
    case SessionState::Failed: return "failed";
    }
    return "?";
}

}  // namespace smtpcore
