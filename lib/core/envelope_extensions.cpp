// DSN parameters (RFC 3461 §4; the utf-8 address type of RFC 6533 §3) and
// REQUIRETLS (RFC 8689 §4.1) on MAIL and RCPT: checked at submit(), written
// with the command lines.
#include "envelope_extensions.hpp"

#ifdef SMTPCORE_ENVELOPE_EXTENSIONS

#include "address.hpp"
#include "reason.hpp"
#include "smtpcore/codec/xtext.hpp"

namespace smtpcore::detail {
namespace {

Error refuse(ErrorKind kind, const char* reason, const char* where, std::int32_t index = -1) noexcept {
    return Error{kind, reason, where, index};
}

#ifndef SMTPCORE_NO_DSN
constexpr std::size_t kMaxEnvid = 100;  // RFC 3461 §4.4, encoded
constexpr std::size_t kMaxOrcpt = 500;  // RFC 3461 §4.2, addr-type ";" xtext

bool is_ascii(std::string_view s) noexcept {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// The value of ORCPT: "rfc822;" xtext for an ASCII address (§4.2); the
// RFC 6533 utf-8 type otherwise, raw UTF-8 (unitext) only when the message
// uses SMTPUTF8, else the all-ASCII \x{...} form.
void put_orcpt_value(LineBuilder& line, std::string_view address, bool smtputf8) noexcept {
    if (is_ascii(address)) {
        line.put("rfc822;");
        line.advance(codec::xtext_encode(address, line.cursor()));
    } else {
        line.put("utf-8;");
        line.advance(codec::utf8_addr_encode(address, smtputf8, line.cursor()));
    }
}

std::size_t orcpt_size(std::string_view address, bool smtputf8) noexcept {
    LineBuilder measure(nullptr);
    put_orcpt_value(measure, address, smtputf8);
    return measure.size();
}

// §4.1: NEVER alone, or any of SUCCESS, FAILURE, DELAY (0: no NOTIFY).
bool valid_notify(std::uint8_t notify) noexcept {
    using namespace dsn_notify;
    return notify <= (Never | Success | Failure | Delay) && ((notify & Never) == 0 || notify == Never);
}

Error bad_notify(std::int32_t index) noexcept {
    return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("NOTIFY is NEVER alone or any of SUCCESS, FAILURE, DELAY"), "RCPT TO", index);
}

// Syntax first, so a malformed request is refused even by a server without DSN.
Error check_dsn(const DsnRequest& dsn, const Envelope& env, const Capabilities& caps) noexcept {
    if (dsn.ret != DsnReturn::Default && dsn.ret != DsnReturn::Full && dsn.ret != DsnReturn::Headers)
        return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("RET is neither FULL nor HDRS"), "MAIL FROM");
    for (const char c : dsn.envid) {
        if (c == '\r' || c == '\n') return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ENVID contains CR or LF"), "MAIL FROM");
        // §4.4: printable (graphic and white space) US-ASCII.
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ENVID is not printable US-ASCII"), "MAIL FROM");
    }
    if (codec::xtext_encode(dsn.envid, nullptr) > kMaxEnvid)
        return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ENVID longer than 100 octets as xtext (RFC 3461 §4.4)"), "MAIL FROM");
    if (!valid_notify(dsn.notify)) return bad_notify(-1);
    if (!dsn.notify_each.empty() && dsn.notify_each.size() != env.recipients.size())
        return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("NOTIFY list is neither empty nor one per recipient"), "RCPT TO");
    for (std::size_t i = 0; i < dsn.notify_each.size(); ++i)
        if (!valid_notify(dsn.notify_each[i])) return bad_notify(static_cast<std::int32_t>(i));
    if (!dsn.orcpt.empty() && dsn.orcpt.size() != env.recipients.size())
        return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ORCPT list is neither empty nor one per recipient"), "RCPT TO");
    for (std::size_t i = 0; i < dsn.orcpt.size(); ++i) {
        const std::string_view a = dsn.orcpt[i];
        if (a.empty()) continue;
        const auto index = static_cast<std::int32_t>(i);
        // Checked like a recipient (CR, LF, NUL and controls refused first); the
        // original recipient may be internationalised whatever this message is.
        if (const char* why = check_mailbox(a, true, true)) return refuse(ErrorKind::InvalidInput, why, "ORCPT", index);
        if (!codec::is_utf8(a)) return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ORCPT is not UTF-8"), "ORCPT", index);
        if (orcpt_size(a, env.smtputf8) > kMaxOrcpt)
            return refuse(ErrorKind::InvalidInput, SMTPCORE_REASON("ORCPT longer than 500 octets encoded (RFC 3461 §4.2)"), "ORCPT", index);
    }
    if (!caps.has(Extension::Dsn) && dsn.if_unoffered == DsnUnoffered::Refuse)
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer DSN"), "MAIL FROM");
    return {};
}
#endif

}  // namespace

Error check_envelope_extensions(const Envelope& env, const Capabilities& caps, bool secure,
                                std::size_t send_capacity) noexcept {
    (void)env;  // each part may be compiled out
    (void)caps;
    (void)secure;
    (void)send_capacity;
#ifndef SMTPCORE_NO_REQUIRETLS
    // RFC 8689 §4.1: only over TLS, only to a server that offers it; refused
    // here, so not a byte of the message leaves.
    if (env.require_tls && !secure)
        return refuse(ErrorKind::TlsRequired, SMTPCORE_REASON("message requires TLS (REQUIRETLS) and the session has none"), "MAIL FROM");
    if (env.require_tls && !caps.has(Extension::RequireTls))
        return refuse(ErrorKind::Unsupported, SMTPCORE_REASON("server does not offer REQUIRETLS"), "MAIL FROM");
#endif
#ifndef SMTPCORE_NO_DSN
    if (env.dsn == nullptr) return {};
    if (const Error e = check_dsn(*env.dsn, env, caps)) return e;
    // §4: DSN lengthens RCPT lines by up to 530 octets: each must fit the send buffer.
    for (std::size_t i = 0; i < env.recipients.size(); ++i) {
        if (rcpt_command(env, i, caps, nullptr) > send_capacity)
            return refuse(ErrorKind::LimitExceeded, SMTPCORE_REASON("RCPT line with its DSN parameters exceeds the send buffer"), "RCPT TO",
                          static_cast<std::int32_t>(i));
    }
#endif
    return {};
}

void put_mail_extensions(LineBuilder& line, const Envelope& env, const Capabilities& caps) noexcept {
    (void)caps;  // unused without DSN
#ifndef SMTPCORE_NO_DSN
    if (env.dsn != nullptr && caps.has(Extension::Dsn)) {
        if (env.dsn->ret == DsnReturn::Full) line.put(" RET=FULL");     // RFC 3461 §4.3
        if (env.dsn->ret == DsnReturn::Headers) line.put(" RET=HDRS");
        if (!env.dsn->envid.empty()) {                                    // §4.4
            line.put(" ENVID=");
            line.advance(codec::xtext_encode(env.dsn->envid, line.cursor()));
        }
    }
#endif
#ifndef SMTPCORE_NO_REQUIRETLS
    if (env.require_tls) line.put(" REQUIRETLS");  // RFC 8689 §4.1; submit() checked TLS and the offer
#endif
}

void put_rcpt_extensions(LineBuilder& line, const Envelope& env, std::size_t index, const Capabilities& caps) noexcept {
#ifndef SMTPCORE_NO_DSN
    if (env.dsn == nullptr || !caps.has(Extension::Dsn)) return;
    const DsnRequest& dsn = *env.dsn;
    // §4.1: this recipient's own NOTIFY, else the message's.
    const std::uint8_t own = dsn.notify_each.empty() ? 0 : dsn.notify_each[index];
    const std::uint8_t notify = own != 0 ? own : dsn.notify;
    if (notify != 0) {  // NOTIFY=NEVER, or a comma-separated list
        using namespace dsn_notify;
        line.put(" NOTIFY=");
        if (notify == Never) line.put("NEVER");
        std::string_view comma;
        if ((notify & Success) != 0) line.put("SUCCESS"), comma = std::string_view(",", 1);
        if ((notify & Failure) != 0) line.put(comma).put("FAILURE"), comma = std::string_view(",", 1);
        if ((notify & Delay) != 0) line.put(comma).put("DELAY");
    }
    if (!dsn.orcpt.empty() && !dsn.orcpt[index].empty()) {  // §4.2
        line.put(" ORCPT=");
        put_orcpt_value(line, dsn.orcpt[index], env.smtputf8);
    }
#else
    (void)line;
    (void)env;
    (void)index;
    (void)caps;
#endif
}

}  // namespace smtpcore::detail

#endif  // SMTPCORE_ENVELOPE_EXTENSIONS
