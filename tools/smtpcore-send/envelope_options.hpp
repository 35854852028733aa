// smtpcore-send: the envelope's extensions from the command line: DSN
// (--dsn-*, sendmail's -N, -R, -V; RFC 3461), REQUIRETLS (--require-tls,
// RFC 8689), TLS-Required: No (--tls-required-no) and SMTPUTF8 (RFC 6531,
// chosen when an address is not ASCII).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpcore/envelope.hpp"

namespace smtpcore::cli {

struct EnvelopeChoice {
    bool dsn = false;  ///< any --dsn-* option (or -N/-R/-V) was given
    DsnRequest request;
    std::string envid;  ///< owns request.envid
    bool orcpt = false;  ///< --dsn-orcpt: every recipient's ORCPT is the address as given
    bool require_tls = false;      ///< --require-tls
    bool tls_required_no = false;  ///< --tls-required-no
    bool smtputf8 = false;         ///< set by apply_smtputf8(): some address is not ASCII
};

/// Takes --dsn-notify LIST, --dsn-ret full|hdrs, --dsn-envid ID, --dsn-orcpt,
/// --dsn-unoffered drop|refuse, --require-tls, --tls-required-no and
/// sendmail's -N LIST, -R full|hdrs, -V ID; false when `arg` is none of them.
/// A bad value is a UsageError.
bool parse_envelope_option(const std::string& arg, const std::function<std::string()>& value, EnvelopeChoice& out);

/// True when any of the addresses has an octet over 127 (RFC 6531: the
/// message then needs SMTPUTF8).
bool any_non_ascii(const std::vector<std::string>& addresses);

/// Fills `env`'s extension fields from `choice` for these recipients; the
/// views point into `choice` and `orcpt_views`, which outlive the session.
void apply_envelope_choice(const EnvelopeChoice& choice, const std::vector<std::string_view>& recipients,
                           std::vector<std::string_view>& orcpt_views, DsnRequest& request, Envelope& env);

}  // namespace smtpcore::cli
