// The envelope's extension parameters: DSN (RFC 3461, RFC 6533) and
// REQUIRETLS (RFC 8689). Internal.
//
// Each part compiles out with its macro (SMTPCORE_NO_DSN,
// SMTPCORE_NO_REQUIRETLS): the lean firmware build has neither.
#pragma once

#include <cstddef>

#include "commands.hpp"
#include "smtpcore/capabilities.hpp"
#include "smtpcore/envelope.hpp"
#include "smtpcore/error.hpp"

#if !defined(SMTPCORE_NO_DSN) || !defined(SMTPCORE_NO_REQUIRETLS)
#define SMTPCORE_ENVELOPE_EXTENSIONS 1
#endif

namespace smtpcore::detail {

#ifdef SMTPCORE_ENVELOPE_EXTENSIONS
/// At submit(), before anything is written: the parameters are well formed
/// (nothing in them can end or split a command line), the server offers what
/// the message requires, and every line fits `send_capacity`. Returns the
/// refusal, or an Error of kind None.
Error check_envelope_extensions(const Envelope& env, const Capabilities& caps, bool secure,
                                std::size_t send_capacity) noexcept;
/// " RET=..." " ENVID=..." (when DSN is offered) and " REQUIRETLS".
void put_mail_extensions(LineBuilder& line, const Envelope& env, const Capabilities& caps) noexcept;
/// " NOTIFY=..." " ORCPT=..." for recipient `index` (when DSN is offered).
void put_rcpt_extensions(LineBuilder& line, const Envelope& env, std::size_t index, const Capabilities& caps) noexcept;
#endif

#ifndef SMTPCORE_NO_DSN
/// The message asked for DSN and the server does not offer it: the
/// parameters were left out (DsnUnoffered::Drop), and its outcome says so.
inline bool dsn_dropped(const Envelope& env, const Capabilities& caps) noexcept {
    return env.dsn != nullptr && !caps.has(Extension::Dsn);
}
#endif

}  // namespace smtpcore::detail
