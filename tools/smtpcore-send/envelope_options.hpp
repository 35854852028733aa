// smtpcore-send: the envelope's extensions from the command line: DSN
// (--dsn-*, sendmail's -N, -R, -V; RFC 3461), REQUIRETLS (--require-tls,
// RFC 8689), TLS-Required: No (--tls-required-no) and SMTPUTF8 (RFC 6531,
// chosen when an address is not ASCII).
#pragma once

#include <cstdint>
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
    /// --rcpt-notify LIST: NOTIFY for the addresses of the next --to, --cc or
    /// --bcc (swaks' convention, like --attach-type); 0 = --dsn-notify's.
    std::uint8_t next_notify = 0;
    bool next_notify_pending = false;
    std::vector<std::uint8_t> notify_to, notify_cc, notify_bcc;  ///< one per address of each list
    std::vector<std::uint8_t> notify_each;  ///< to, cc, bcc joined: the envelope's order; empty = none given
    bool require_tls = false;      ///< --require-tls
    bool tls_required_no = false;  ///< --tls-required-no
    bool smtputf8 = false;         ///< set by apply_smtputf8(): some address is not ASCII
};

/// Takes --dsn-notify LIST, --dsn-ret full|hdrs, --dsn-envid ID, --dsn-orcpt,
/// --dsn-unoffered drop|refuse, --require-tls, --tls-required-no and
/// sendmail's -N LIST, -R full|hdrs, -V ID; false when `arg` is none of them.
/// A bad value is a UsageError.
bool parse_envelope_option(const std::string& arg, const std::function<std::string()>& value, EnvelopeChoice& out);

/// After an --to/--cc/--bcc added addresses (the list is now `addresses`
/// long): they get the pending --rcpt-notify, the earlier ones keep theirs.
void note_recipient_notify(EnvelopeChoice& choice, std::vector<std::uint8_t>& notify, std::size_t addresses);

/// After the command line: joins the per-address NOTIFY values in the
/// envelope's order (to, cc, bcc); a usage error when a --rcpt-notify has no
/// address option after it, or with -t (the recipients come from the header).
void finish_recipient_notify(EnvelopeChoice& choice, std::size_t to, std::size_t cc, std::size_t bcc, bool sendmail_mode);

/// True when any of the addresses has an octet over 127 (RFC 6531: the
/// message then needs SMTPUTF8).
bool any_non_ascii(const std::vector<std::string>& addresses);

/// Fills `env`'s extension fields from `choice` for these recipients; the
/// views point into `choice` and `orcpt_views`, which outlive the session.
void apply_envelope_choice(const EnvelopeChoice& choice, const std::vector<std::string_view>& recipients,
                           std::vector<std::string_view>& orcpt_views, DsnRequest& request, Envelope& env);

}  // namespace smtpcore::cli
