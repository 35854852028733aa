// The MX delivery loop (RFC 5321 §5.1): hosts in order, each host's
// addresses, on to the next after a temporary failure only.
#include "smtpcore/adapters/mx_delivery.hpp"

namespace smtpcore::adapters {

const char* to_string(AttemptResult result) {
    switch (result) {
    case AttemptResult::Delivered: return "delivered";
    case AttemptResult::PermanentFailure: return "permanent failure";
    case AttemptResult::TemporaryFailure: return "temporary failure";
    case AttemptResult::Unknown: return "unknown";
    }
    return "?";
}

MxDelivery deliver_via_mx(BuiltinResolver& resolver, const std::string& domain, const MxAttemptFn& attempt) {
    MxDelivery out;
    const Lookup mx = resolver.mail_exchangers(domain);
    out.verdict = mx.mx_verdict;
    switch (mx.mx_verdict) {
    case dns::MxVerdict::NoMail:
        out.result = AttemptResult::PermanentFailure;
        out.detail = domain + " accepts no mail (null MX, RFC 7505)";
        return out;
    case dns::MxVerdict::NoSuchDomain:
        out.result = AttemptResult::PermanentFailure;
        out.detail = domain + " does not exist (NXDOMAIN)";
        return out;
    case dns::MxVerdict::Hosts:
    case dns::MxVerdict::Implicit: break;
    default:
        out.result = AttemptResult::TemporaryFailure;
        out.detail = "the MX lookup for " + domain + " failed" + (mx.error.empty() ? "" : ": " + mx.error);
        return out;
    }
    for (const dns::MxHost& host : mx.mx) {
        const std::string name(host.host());
        // An MX names a host exactly: no search list (RFC 5321 §5.1).
        const Lookup addresses = resolver.addresses(name + ".");
        if (addresses.addresses.empty()) {
            MxAttempt a;
            a.host = name;
            a.preference = host.preference;
            a.detail = "no address" + (addresses.error.empty() ? "" : ": " + addresses.error);
            out.attempts.push_back(a);
            continue;
        }
        for (const Address& address : addresses.addresses) {
            MxAttempt a;
            a.host = name;
            a.preference = host.preference;
            a.address = address.text();
            a.result = attempt(name, address, a.detail);
            out.attempts.push_back(a);
            if (a.result != AttemptResult::TemporaryFailure) {
                out.result = a.result;
                out.detail = a.detail;
                return out;
            }
        }
    }
    out.result = AttemptResult::TemporaryFailure;
    out.detail = out.attempts.empty() ? "no MX host" : "every MX host failed; the last: " + out.attempts.back().detail;
    return out;
}

}  // namespace smtpcore::adapters
