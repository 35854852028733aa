// smtpcore.h structs <-> C++ types (see convert.hpp).
#include "convert.hpp"
#include "smtpcore/mime/message.hpp"

namespace smtpcore::c_abi {

// The C enumerators are the C++ ones, value for value.
#define SAME(c_value, cpp_value) static_assert(int(c_value) == int(cpp_value), #c_value)
SAME(SMTPCORE_E_MISUSE, ErrorKind::Misuse);
SAME(SMTPCORE_E_INVALID_INPUT, ErrorKind::InvalidInput);
SAME(SMTPCORE_E_UNSUPPORTED, ErrorKind::Unsupported);
SAME(SMTPCORE_E_PEER_VIOLATION, ErrorKind::PeerViolation);
SAME(SMTPCORE_E_LIMIT_EXCEEDED, ErrorKind::LimitExceeded);
SAME(SMTPCORE_E_TLS_REQUIRED, ErrorKind::TlsRequired);
SAME(SMTPCORE_E_INSECURE_AUTH, ErrorKind::InsecureAuth);
SAME(SMTPCORE_E_AUTH_UNAVAILABLE, ErrorKind::AuthUnavailable);
SAME(SMTPCORE_E_AUTH_FAILED, ErrorKind::AuthFailed);
SAME(SMTPCORE_E_REFUSED, ErrorKind::Refused);
SAME(SMTPCORE_E_TIMEOUT, ErrorKind::Timeout);
SAME(SMTPCORE_E_CONNECTION_LOST, ErrorKind::ConnectionLost);
SAME(SMTPCORE_E_BODY_FAILED, ErrorKind::BodyFailed);
SAME(SMTPCORE_E_ABORTED, ErrorKind::Aborted);
SAME(SMTPCORE_E_CANCELLED, ErrorKind::Cancelled);
SAME(SMTPCORE_TLS_NONE, TlsMode::None);
SAME(SMTPCORE_TLS_OPPORTUNISTIC, TlsMode::Opportunistic);
SAME(SMTPCORE_TLS_STARTTLS_REQUIRED, TlsMode::StartTlsRequired);
SAME(SMTPCORE_TLS_IMPLICIT, TlsMode::Implicit);
SAME(SMTPCORE_AUTH_PLAIN, AuthChoice::Plain);
SAME(SMTPCORE_AUTH_LOGIN, AuthChoice::Login);
SAME(SMTPCORE_RECIPIENTS_ALL_REQUIRED, RecipientPolicy::AllRequired);
SAME(SMTPCORE_BODY_8BITMIME, BodyType::EightBitMime);
SAME(SMTPCORE_CHUNKING_AUTO, ChunkingPolicy::Auto);
SAME(SMTPCORE_CHUNKING_NEVER, ChunkingPolicy::Never);
SAME(SMTPCORE_CHUNKING_ALWAYS, ChunkingPolicy::Always);
SAME(SMTPCORE_PROTOCOL_SMTP, Protocol::Smtp);
SAME(SMTPCORE_PROTOCOL_LMTP, Protocol::Lmtp);
SAME(SMTPCORE_EVENT_RECIPIENT_OUTCOME, EventType::RecipientOutcome);
SAME(SMTPCORE_STATE_AWAIT_TLS, SessionState::AwaitTls);
SAME(SMTPCORE_STATE_READY, SessionState::Ready);
SAME(SMTPCORE_STATE_BODY, SessionState::Body);
SAME(SMTPCORE_STATE_FAILED, SessionState::Failed);
SAME(SMTPCORE_EVENT_GREETING, EventType::Greeting);
SAME(SMTPCORE_EVENT_START_TLS, EventType::StartTls);
SAME(SMTPCORE_EVENT_AUTHENTICATED, EventType::Authenticated);
SAME(SMTPCORE_EVENT_READY, EventType::Ready);
SAME(SMTPCORE_AUTH_XOAUTH2, AuthChoice::XOAuth2);
SAME(SMTPCORE_AUTH_CRAM_MD5, AuthChoice::CramMd5);
SAME(SMTPCORE_EVENT_RECIPIENT_RESULT, EventType::RecipientResult);
SAME(SMTPCORE_EVENT_BODY_WANTED, EventType::BodyWanted);
SAME(SMTPCORE_EVENT_MESSAGE_ACCEPTED, EventType::MessageAccepted);
SAME(SMTPCORE_EVENT_MESSAGE_REJECTED, EventType::MessageRejected);
SAME(SMTPCORE_EVENT_MESSAGE_UNKNOWN, EventType::MessageUnknown);
SAME(SMTPCORE_EVENT_CLOSED, EventType::Closed);
SAME(SMTPCORE_EVENT_ERROR, EventType::Error);
SAME(SMTPCORE_EXT_PIPELINING, Extension::Pipelining);
SAME(SMTPCORE_EXT_REQUIRETLS, Extension::RequireTls);
SAME(SMTPCORE_KIND_BINARY, mime::Kind::Binary);
SAME(SMTPCORE_ENCODING_BASE64, mime::Encoding::Base64);
SAME(SMTPCORE_DISPOSITION_ATTACHMENT, mime::Disposition::Attachment);
SAME(SMTPCORE_READ_PENDING, ReadStatus::Pending);
SAME(SMTPCORE_READ_FAILED, ReadStatus::Failed);
#undef SAME

smtpcore_config default_config() noexcept {
    const Config d;
    smtpcore_config c{};
    c.struct_size = sizeof c;
    c.tls = int32_t(d.tls);
    c.client_name = str(d.client_name);
    c.auth = int32_t(d.auth);
    c.recipient_policy = int32_t(d.recipients);
    c.allow_plaintext_auth = d.allow_plaintext_auth;
    c.accept_bare_lf_in_replies = d.accept_bare_lf_in_replies;
    c.reply_text_capacity = d.reply_text_capacity;
    c.recv_capacity = d.recv_capacity;
    c.limit_reply_line = d.limits.reply_line;
    c.limit_reply_lines = d.limits.reply_lines;
    c.limit_sasl_challenges = d.limits.sasl_challenges;
    c.max_recipients_in_flight = 100;
    c.chunking = int32_t(d.chunking);
    c.protocol = int32_t(d.protocol);
    c.messages_in_flight = d.limits.messages_in_flight;
    const Timeouts& t = d.timeouts;
    c.timeouts = smtpcore_timeouts{t.greeting, t.mail, t.rcpt, t.data_init, t.data_block, t.data_end, t.command};
    return c;
}

Config to_config(const smtpcore_config& c) noexcept {
    Config config;
    config.client_name = view(c.client_name);
    config.tls = TlsMode(c.tls);
    config.username = view(c.username);
    config.password = view(c.password);
    config.auth = AuthChoice(c.auth);
    config.allow_plaintext_auth = c.allow_plaintext_auth != 0;
    config.recipients = RecipientPolicy(c.recipient_policy);
    const smtpcore_timeouts& t = c.timeouts;
    config.timeouts = Timeouts{t.greeting, t.mail, t.rcpt, t.data_init, t.data_block, t.data_end, t.command};
    config.limits.reply_line = c.limit_reply_line;
    config.limits.reply_lines = c.limit_reply_lines;
    config.limits.sasl_challenges = c.limit_sasl_challenges;
    config.accept_bare_lf_in_replies = c.accept_bare_lf_in_replies != 0;
    config.reply_text_capacity = c.reply_text_capacity;
    config.recv_capacity = c.recv_capacity;
    config.chunking = ChunkingPolicy(c.chunking);  // checked by smtpcore_client_init()
    config.protocol = Protocol(c.protocol);        // the same
    // 0 counts as 1; above the recipient ring's 16 messages, refused by smtpcore_client_init().
    config.limits.messages_in_flight =
        c.messages_in_flight == 0 ? 1 : c.messages_in_flight > 255 ? 255 : std::uint8_t(c.messages_in_flight);
    return config;
}

bool wants_auth_options(const smtpcore_config& c) noexcept {
    return c.oauth_token.size > 0 || c.sasl_random.size > 0 || AuthChoice(c.auth) > AuthChoice::Login;
}

AuthOptions to_auth_options(const smtpcore_config& c) noexcept {
    AuthOptions auth;
    auth.oauth_token = view(c.oauth_token);
    auth.random = as_bytes(view(c.sasl_random));
    if (c.scram_max_iterations != 0) auth.scram_max_iterations = c.scram_max_iterations;
    return auth;
}

smtpcore_error to_c(const Error& e) noexcept {
    return smtpcore_error{int32_t(e.kind), e.index, e.reason ? e.reason : "", e.where ? e.where : ""};
}

smtpcore_event to_c(const Event& e) noexcept {
    smtpcore_event c{};
    c.struct_size = sizeof c;
    c.type = int32_t(e.type);
    c.code = e.code;
    c.temporary = e.temporary;
    c.status_class = e.status.klass;
    c.status_subject = e.status.subject;
    c.status_detail = e.status.detail;
    c.message = e.message;
    c.recipient_index = e.recipient_index;
    c.accepted_recipients = e.accepted_recipients;
    c.recipient = str(e.recipient);
    c.text = str(e.text);
    c.error = to_c(e.error);
    c.dsn_dropped = e.dsn_dropped;
#ifndef SMTPCORE_NO_LMTP
    c.unknown_recipients = e.unknown_recipients;
#endif
    return c;
}

Envelope to_envelope(const smtpcore_envelope& e) noexcept {
    Envelope envelope;
    envelope.from = view(e.from);
    envelope.size_hint = e.size_hint;
    envelope.body = BodyType(e.body);
    envelope.smtputf8 = e.smtputf8 != 0;
    envelope.require_tls = e.require_tls != 0;
    return envelope;
}

DsnRequest to_dsn(const smtpcore_envelope& e) noexcept {
    DsnRequest dsn;
    // Out-of-range values stay out of range: submit() refuses them by name.
    dsn.ret = DsnReturn(e.dsn_ret);
    dsn.envid = view(e.dsn_envid);
    dsn.notify = e.dsn_notify;
    dsn.if_unoffered = e.dsn_unoffered == SMTPCORE_DSN_REFUSE ? DsnUnoffered::Refuse : DsnUnoffered::Drop;
    return dsn;
}

}  // namespace smtpcore::c_abi
