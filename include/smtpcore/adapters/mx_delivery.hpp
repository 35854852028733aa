// smtpcore adapters — delivery to a domain's mail exchangers (RFC 5321 §5.1).
//
// deliver_via_mx() is the policy: it finds the MX hosts with the builtin
// resolver, resolves each host (AAAA and A), and hands each address in turn
// to the caller's `attempt`, which runs one SMTP session (over TLS as the
// caller chooses, verifying against the host name it is given) and says how
// it ended. The loop goes on after a temporary failure and stops at the first
// delivery, permanent refusal, or outcome that may have been a delivery.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "smtpcore/adapters/dns_driver.hpp"

namespace smtpcore::adapters {

enum class AttemptResult : std::uint8_t {
    Delivered,         ///< the server took the message
    PermanentFailure,  ///< 5xx: no other MX would say otherwise (RFC 5321 §4.2.1)
    TemporaryFailure,  ///< no connection, 421, 4xx, a timeout: try the next address
    Unknown,           ///< the connection died after the end of data: it may have been delivered
};

const char* to_string(AttemptResult result);

struct MxAttempt {
    std::string host;             ///< the MX host name
    std::uint16_t preference = 0;
    std::string address;          ///< the address tried; empty when the host had none
    AttemptResult result = AttemptResult::TemporaryFailure;
    std::string detail;           ///< what happened, for people
};

struct MxDelivery {
    dns::MxVerdict verdict = dns::MxVerdict::Pending;
    AttemptResult result = AttemptResult::TemporaryFailure;
    std::string detail;
    std::vector<MxAttempt> attempts;  ///< every host and address tried, in order
};

/// One SMTP session to `address` of MX host `host`; fills `detail`.
using MxAttemptFn = std::function<AttemptResult(const std::string& host, const Address& address, std::string& detail)>;

/// Delivers through the MX hosts of `domain` in RFC 5321 §5.1 order. A null
/// MX or NXDOMAIN is a permanent failure without any connection; a failed MX
/// lookup a temporary one. Never tries an address after an Unknown outcome,
/// so a message is not delivered twice.
MxDelivery deliver_via_mx(BuiltinResolver& resolver, const std::string& domain, const MxAttemptFn& attempt);

}  // namespace smtpcore::adapters
