// AUTH (RFC 4954) with the mechanisms beyond PLAIN and LOGIN: XOAUTH2,
// OAUTHBEARER (RFC 7628), SCRAM-SHA-256 and -PLUS (RFC 7677, RFC 5802,
// RFC 9266), CRAM-MD5 (RFC 2195). Which one is chosen, the lines they send
// and what each 334 challenge and final reply means. The mechanisms
// themselves are pure units (sasl_oauth, sasl_scram, sasl_cram_md5); their
// state lives in the AuthArea at the start of the storage.
#include "auth_area.hpp"

#if SMTPCORE_SASL_EXTENSIONS

#include <cstring>

#include "reason.hpp"
#include "sasl.hpp"
#include "sasl_output.hpp"
#include "smtpcore/codec/base64.hpp"
#ifndef SMTPCORE_NO_OAUTH
#include "sasl_oauth.hpp"
#endif
#ifndef SMTPCORE_NO_CRAM_MD5
#include "sasl_cram_md5.hpp"
#endif

namespace smtpcore {

using detail::AuthArea;
using detail::PendingLine;
using detail::SaslKind;
using detail::SaslOutput;

namespace detail {

MutableBytes place_auth_area(MutableBytes storage, const AuthOptions& auth) noexcept {
    static_assert(sizeof(AuthArea) <= Client::kAuthStorage, "Client::kAuthStorage must hold the AuthArea");
    static_assert(Client::kAuthStorage % alignof(AuthArea) == 0 && alignof(AuthArea) <= 8, "alignment");
    const auto address = reinterpret_cast<std::uintptr_t>(storage.data());
    const std::size_t skip = (alignof(AuthArea) - address % alignof(AuthArea)) % alignof(AuthArea);
    if (storage.size() < skip + Client::kAuthStorage) return {};
    AuthArea fresh{};
    fresh.options = auth;
    // AuthArea is trivially copyable: copying the bytes makes the object.
    std::memcpy(storage.data() + skip, &fresh, sizeof fresh);
    return MutableBytes(storage.data() + skip + Client::kAuthStorage, storage.size() - skip - Client::kAuthStorage);
}

#ifndef SMTPCORE_NO_SCRAM
namespace {

// Auto uses SCRAM only with random octets and credentials SASLprep leaves
// as they are (printable ASCII); otherwise PLAIN stays the choice.
bool scram_usable(const Config& config, const AuthOptions& auth) noexcept {
    return !auth.random.empty() && check_saslprep_ascii(config.username) == nullptr &&
           check_saslprep_ascii(config.password) == nullptr;
}

}  // namespace
#endif

const char* check_auth_options(const Config& config, const AuthOptions& auth) noexcept {
    const bool token = !auth.oauth_token.empty();
    const AuthChoice choice = config.auth;
    const bool oauth_forced = choice == AuthChoice::XOAuth2 || choice == AuthChoice::OAuthBearer;
    const bool scram_forced = choice == AuthChoice::ScramSha256 || choice == AuthChoice::ScramSha256Plus;
#ifdef SMTPCORE_NO_OAUTH
    if (token || oauth_forced) return SMTPCORE_REASON("XOAUTH2 and OAUTHBEARER are compiled out (SMTPCORE_NO_OAUTH)");
#else
    if (token)
        if (const char* bad = check_bearer_token(auth.oauth_token)) return bad;
    if (oauth_forced && !token) return SMTPCORE_REASON("XOAUTH2 and OAUTHBEARER need AuthOptions::oauth_token");
#endif
#ifdef SMTPCORE_NO_SCRAM
    if (scram_forced) return SMTPCORE_REASON("SCRAM is compiled out (SMTPCORE_NO_SCRAM)");
#else
    if (!auth.random.empty() || scram_forced) {
        if (auth.random.size() < ScramSha256::kMinRandomOctets || auth.random.size() > ScramSha256::kMaxRandomOctets)
            return SMTPCORE_REASON("SCRAM needs 15 to 48 random octets in AuthOptions::random");
        if (auth.scram_min_iterations == 0 || auth.scram_min_iterations > auth.scram_max_iterations)
            return SMTPCORE_REASON("SCRAM iteration bounds must satisfy 1 <= min <= max");
    }
    if (scram_forced) {
        if (const char* bad = check_saslprep_ascii(config.username)) return bad;
        if (const char* bad = check_saslprep_ascii(config.password)) return bad;
    }
#endif
#ifdef SMTPCORE_NO_CRAM_MD5
    if (choice == AuthChoice::CramMd5) return SMTPCORE_REASON("CRAM-MD5 is compiled out (SMTPCORE_NO_CRAM_MD5)");
#endif
    // A token stands in for the password only where a token mechanism runs.
    if (oauth_forced || (token && choice == AuthChoice::Auto)) return nullptr;
    return check_plain_credentials(config.username, config.password);
}

std::size_t auth_line_size(const Config& config, const AuthOptions& auth) noexcept {
    std::size_t size = config.password.empty() ? 0 : plain_response_size(config.username, config.password) + 13;
    const std::size_t user = config.username.size();
#ifndef SMTPCORE_NO_OAUTH
    if (!auth.oauth_token.empty()) {
        // "AUTH OAUTHBEARER " n,a=saslname,^Ahost=H^Aport=65535^Aauth=Bearer T^A^A CRLF
        const std::size_t raw = 5 + 3 * user + 6 + auth.oauth_host.size() + 11 + 13 + auth.oauth_token.size() + 2;
        const std::size_t oauth = 17 + codec::base64_encoded_size(raw) + 2;
        if (oauth > size) size = oauth;
    }
#endif
#ifndef SMTPCORE_NO_SCRAM
    if (!auth.random.empty()) {
        // "AUTH SCRAM-SHA-256-PLUS " p=tls-exporter,,n=saslname,r=nonce CRLF
        const std::size_t raw = 16 + 2 + 3 * user + 3 + codec::base64_encoded_size(ScramSha256::kMaxRandomOctets);
        const std::size_t scram = 24 + codec::base64_encoded_size(raw) + 2;
        if (scram > size) size = scram;
    }
#endif
    (void)auth;
    (void)user;
    return size;
}

}  // namespace detail

detail::AuthArea& Client::auth_area() const noexcept {
    return *reinterpret_cast<AuthArea*>(command_slots() - kAuthStorage);
}

Error Client::tls_established(Bytes channel_binding) noexcept {
#ifndef SMTPCORE_NO_SCRAM
    const bool handshake = state_ == SessionState::AwaitTls || state_ == SessionState::TlsHandshake;
    if (auth_area_ && handshake && channel_binding.size() == detail::ScramSha256::kTlsExporterOctets) {
        AuthArea& area = auth_area();
        std::memcpy(area.binding, channel_binding.data(), sizeof area.binding);
        area.has_binding = true;
    }
#else
    (void)channel_binding;
#endif
    return tls_established();
}

// ---- the choice (RFC 4954 §4: the client picks one of the mechanisms offered) ----

bool Client::start_extended_auth() noexcept {
    if (!auth_area_) return false;
    const AuthArea& area = auth_area();
    SaslKind kind = SaslKind::Plain;
    switch (config_.auth) {
    case AuthChoice::Plain:
    case AuthChoice::Login:
        return false;
    case AuthChoice::Auto:
#ifndef SMTPCORE_NO_OAUTH
        if (!area.options.oauth_token.empty()) {
            // A token means OAuth: the password (maybe empty) is never tried.
            if (caps_.offers(SaslMechanism::OAuthBearer)) kind = SaslKind::OAuthBearer;
            else if (caps_.offers(SaslMechanism::XOAuth2)) kind = SaslKind::XOAuth2;
            else fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("server offers neither OAUTHBEARER nor XOAUTH2"), true);
            break;
        }
#endif
#ifndef SMTPCORE_NO_SCRAM
        if (detail::scram_usable(config_, area.options)) {
            if (area.has_binding && caps_.offers(SaslMechanism::ScramSha256Plus)) kind = SaslKind::ScramPlus;
            else if (caps_.offers(SaslMechanism::ScramSha256)) kind = SaslKind::Scram;
        }
#endif
        if (kind == SaslKind::Plain) return false;  // PLAIN, else LOGIN
        break;
    case AuthChoice::XOAuth2: kind = SaslKind::XOAuth2; break;
    case AuthChoice::OAuthBearer: kind = SaslKind::OAuthBearer; break;
    case AuthChoice::ScramSha256:
        // RFC 5802 §6: without binding while both sides could bind is the
        // downgrade an attacker who strips "-PLUS" from EHLO would cause.
        if (area.has_binding && caps_.offers(SaslMechanism::ScramSha256Plus))
            fail(ErrorKind::AuthUnavailable,
                 SMTPCORE_REASON("SCRAM-SHA-256 without channel binding refused: the server offers -PLUS and TLS can bind"), true);
        kind = SaslKind::Scram;
        break;
    case AuthChoice::ScramSha256Plus:
        if (!area.has_binding)
            fail(ErrorKind::AuthUnavailable, SMTPCORE_REASON("SCRAM-SHA-256-PLUS needs the tls-exporter channel binding"), true);
        kind = SaslKind::ScramPlus;
        break;
    case AuthChoice::CramMd5: kind = SaslKind::CramMd5; break;
    }
    if (state_ == SessionState::Failed) return true;
    sasl_ = detail::SaslExchange{kind, 0, 0, false};
    send_lockstep(PendingLine::AuthExtended, SessionState::Auth);
    return true;
}

// ---- lines ---------------------------------------------------------------------

bool Client::write_sasl_line(std::string_view prefix, SaslWrite write, std::string_view input,
                             const char** problem) noexcept {
    // One unwrapped base64 line (RFC 4954 §4), encoded straight into the
    // send buffer: the response is never held twice.
    *problem = nullptr;
    char* p = reserve(prefix.size() + 2);
    if (p == nullptr) return false;
    const std::size_t room = send_cap_ - send_tail_ - prefix.size() - 2;
    if (!prefix.empty()) std::memcpy(p, prefix.data(), prefix.size());
    SaslOutput out(p + prefix.size(), room);
    *problem = write(*this, out, input);
    if (*problem != nullptr) return false;
    std::size_t n = prefix.size() + out.finish();
    if (!out.fits()) return false;
    p[n++] = '\r';
    p[n++] = '\n';
    commit(n);
    return true;
}

bool Client::write_extended_auth_line() noexcept {
    const char* problem = nullptr;
    bool written = false;
    switch (sasl_.kind) {
    case SaslKind::Plain:
    case SaslKind::Login:
        return true;
#ifndef SMTPCORE_NO_OAUTH
    case SaslKind::XOAuth2:
        written = write_sasl_line("AUTH XOAUTH2 ", [](Client& c, SaslOutput& out, std::string_view) {
            return detail::write_xoauth2_response(out, c.config_.username, c.auth_area().options.oauth_token);
        }, {}, &problem);
        break;
    case SaslKind::OAuthBearer:
        written = write_sasl_line("AUTH OAUTHBEARER ", [](Client& c, SaslOutput& out, std::string_view) {
            const AuthOptions& o = c.auth_area().options;
            return detail::write_oauthbearer_response(out, c.config_.username, o.oauth_host, o.oauth_port, o.oauth_token);
        }, {}, &problem);
        break;
#endif
#ifndef SMTPCORE_NO_SCRAM
    case SaslKind::Scram:
    case SaslKind::ScramPlus: {
        auto start = [](Client& c, SaslOutput& out, std::string_view) {
            AuthArea& area = c.auth_area();
            detail::ScramParams params;
            params.username = c.config_.username;
            params.password = c.config_.password;
            // RFC 5802 §6 gs2-cbind-flag: "p" binds; "y" says we could have
            // bound but the server did not offer -PLUS; "n" we cannot bind.
            params.binding = c.sasl_.kind == SaslKind::ScramPlus ? detail::ChannelBinding::TlsExporter
                             : area.has_binding                 ? detail::ChannelBinding::ServerDidNotOffer
                                                                : detail::ChannelBinding::NotSupported;
            params.binding_data = Bytes(reinterpret_cast<const char*>(area.binding), sizeof area.binding);
            params.random = area.options.random;
            params.min_iterations = area.options.scram_min_iterations;
            params.max_iterations = area.options.scram_max_iterations;
            return area.scram.start(params, out);
        };
        written = sasl_.kind == SaslKind::ScramPlus ? write_sasl_line("AUTH SCRAM-SHA-256-PLUS ", start, {}, &problem)
                                                    : write_sasl_line("AUTH SCRAM-SHA-256 ", start, {}, &problem);
        break;
    }
#endif
#ifndef SMTPCORE_NO_CRAM_MD5
    case SaslKind::CramMd5:
        written = write_sasl_line("AUTH CRAM-MD5", [](Client&, SaslOutput&, std::string_view) -> const char* {
            return nullptr;  // no initial response (RFC 2195 §2: the server speaks first)
        }, {}, &problem);
        break;
#endif
    default:
        problem = SMTPCORE_REASON("SASL mechanism compiled out");
        break;
    }
    if (problem != nullptr) fail(ErrorKind::Misuse, problem, true);
    // Every mechanism but CRAM-MD5 sent its first message as the initial response.
    if (written && sasl_.kind != SaslKind::CramMd5) sasl_.step = 1;
    return written;
}

void Client::cancel_sasl() noexcept {
    // RFC 4954 §4: "*" cancels; the server answers 501 and the session fails.
    sasl_.cancelled = true;
    pending_ = PendingLine::SaslCancel;
}

// ---- challenges ------------------------------------------------------------------

void Client::on_extended_challenge(bool valid) noexcept {
    if (!valid || quit_requested_) return cancel_sasl();
    // The 334 text is base64 (checked in `valid`); it is decoded in place,
    // which is safe because decoded output never overtakes its input.
    char* text = text_ + text_start_;
    const long size = codec::base64_decode(reply_text(), text, std::size_t(text_len_ - text_start_));
    if (size < 0) return cancel_sasl();
    text_len_ = static_cast<std::uint16_t>(text_start_ + size);  // the reply text is now the decoded challenge
    const std::string_view challenge(text, static_cast<std::size_t>(size));
    AuthArea& area = auth_area();
    (void)area;  // unused when only CRAM-MD5 is compiled in
    const char* problem = nullptr;
    bool written = false;
    switch (sasl_.kind) {
#ifndef SMTPCORE_NO_OAUTH
    case SaslKind::XOAuth2:
    case SaslKind::OAuthBearer: {
        // RFC 7628 §3.2.2: the only challenge is the JSON error; answer it
        // (§3.2.3) so the server sends its final failure, and keep the status for it.
        if (sasl_.step != 1) return cancel_sasl();
        const std::string_view status = detail::oauth_error_status(challenge);
        std::size_t n = 0;
        for (; n < status.size() && n < AuthArea::kStatusMax; ++n) {
            const char c = status[n];
            area.status[n] = c >= 0x20 && c < 0x7f ? c : '?';
        }
        area.status_length = static_cast<std::uint8_t>(n);
        written = write_sasl_line("", [](Client& c, SaslOutput& out, std::string_view) -> const char* {
            out.put(detail::oauth_error_ack(c.sasl_.kind == SaslKind::OAuthBearer ? detail::OAuthMechanism::OAuthBearer
                                                                                  : detail::OAuthMechanism::XOAuth2));
            return nullptr;
        }, {}, &problem);
        break;
    }
#endif
#ifndef SMTPCORE_NO_SCRAM
    case SaslKind::Scram:
    case SaslKind::ScramPlus:
        if (sasl_.step == 1) {  // server-first-message: prove we know the password
            written = write_sasl_line("", [](Client& c, SaslOutput& out, std::string_view in) {
                return c.auth_area().scram.answer_server_first(in, out);
            }, challenge, &problem);
            // A server-first we cannot use is the server's fault: cancel.
            if (problem != nullptr) return cancel_sasl();
        } else if (sasl_.step == 2) {  // server-final-message: the server proves it too
            std::string_view server_error;
            problem = area.scram.verify_server_final(challenge, &server_error);
            if (problem != nullptr && server_error.empty())
                return fail(ErrorKind::AuthFailed, problem, false, true);  // mutual authentication failed
            if (problem != nullptr) return cancel_sasl();                 // e=: the server refused
            written = write_sasl_line("", [](Client&, SaslOutput&, std::string_view) -> const char* {
                return nullptr;  // RFC 4954 §4: the empty response after the server's final data
            }, {}, &problem);
        } else {
            return cancel_sasl();
        }
        break;
#endif
#ifndef SMTPCORE_NO_CRAM_MD5
    case SaslKind::CramMd5:
        if (sasl_.step != 0) return cancel_sasl();
        written = write_sasl_line("", [](Client& c, SaslOutput& out, std::string_view in) {
            return detail::write_cram_md5_response(out, c.config_.username, c.config_.password, in);
        }, challenge, &problem);
        if (problem != nullptr) return cancel_sasl();
        break;
#endif
    default:
        return cancel_sasl();
    }
    if (!written)
        return fail(ErrorKind::LimitExceeded, SMTPCORE_REASON("send buffer too small for the SASL response"), true);
    ++sasl_.step;
    push_command(detail::CommandKind::SaslResponse);
}

bool Client::on_extended_outcome(std::uint16_t code) noexcept {
#ifndef SMTPCORE_NO_SCRAM
    const bool scram = sasl_.kind == SaslKind::Scram || sasl_.kind == SaslKind::ScramPlus;
    if (code == 235 && scram && !auth_area().scram.server_verified()) {
        // RFC 5802 §3: the server must prove it knows the password before
        // the client trusts its success.
        fail(ErrorKind::PeerViolation, SMTPCORE_REASON("235 before the SCRAM server signature was verified"), false, true);
        return true;
    }
#endif
#ifndef SMTPCORE_NO_OAUTH
    const bool oauth = sasl_.kind == SaslKind::XOAuth2 || sasl_.kind == SaslKind::OAuthBearer;
    if (oauth && code != 235 && code != 334 && sasl_.step == 2) {
        // The error flow's end: the final failure, with the JSON status the
        // 334 carried appended to the server's text.
        const AuthArea& area = auth_area();
        append_text("\nOAuth status: ");
        append_text(std::string_view(area.status, area.status_length));
        fail(ErrorKind::AuthFailed, SMTPCORE_REASON("OAuth token refused"), true, true);
        return true;
    }
#endif
    (void)code;
    return false;
}

}  // namespace smtpcore

#endif
