// --mx and --mx-port: the MX loop (adapters::deliver_via_mx) around
// smtpcore-send's own session.
#include "mx_option.hpp"

#include <cstdio>

#include "options.hpp"
#include "smtpcore/adapters/mx_delivery.hpp"

namespace smtpcore::cli {

bool parse_mx_option(const std::string& arg, const std::function<std::string()>& value, MxChoice& out) {
    if (arg == "--mx") {
        out.enabled = true;
        return true;
    }
    if (arg == "--mx-port") {
        out.port = value();
        if (out.port.empty() || out.port.size() > 5 || out.port.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError{"--mx-port needs a port number"};
        return true;
    }
    return false;
}

int run_mx(Options& o, const std::function<int(Options&)>& session) {
    if (o.sendmail_mode) throw UsageError{"--mx needs --to/--cc/--bcc (the domain is known before the message is read)"};
    std::string domain;
    for (auto* list : {&o.to, &o.cc, &o.bcc})
        for (const std::string& a : *list) {
            const std::string address = split_named_address(a).address;
            const std::string d = address.substr(address.rfind('@') + 1);
            if (address.find('@') == std::string::npos || (!domain.empty() && d != domain))
                throw UsageError{"--mx sends to one domain: every recipient must be at the same domain"};
            domain = d;
        }
    // RFC 7435: opportunistic STARTTLS between MTAs unless --tls says otherwise.
    if (!o.mx.tls_given) o.send.tls = TlsMode::Opportunistic;
    adapters::BuiltinOptions dns;
    dns.servers = o.resolver.nameservers;
    adapters::BuiltinResolver resolver(dns);
    int code = kTempFail;
    const adapters::MxDelivery d = adapters::deliver_via_mx(
        resolver, domain, [&](const std::string& host, const adapters::Address& a, std::string& detail) {
            o.server = (a.family == 6 ? "[" + a.text() + "]" : a.text()) + ":" + o.mx.port;
            o.resolver.builtin = true;
            o.resolver.tls_name = host;  // TLS checks the MX host's name, not its address
            o.mx.maybe_delivered = false;
            std::fprintf(stderr, "smtpcore-send: MX %s (%s)\n", host.c_str(), o.server.c_str());
            code = session(o);
            detail = "exit " + std::to_string(code);
            if (code == kDelivered) return adapters::AttemptResult::Delivered;
            if (o.mx.maybe_delivered) return adapters::AttemptResult::Unknown;
            if (code == kTempFail || code == kProtocol) return adapters::AttemptResult::TemporaryFailure;
            return adapters::AttemptResult::PermanentFailure;  // 5xx, bad data, authentication
        });
    for (const adapters::MxAttempt& a : d.attempts)
        if (a.address.empty()) std::fprintf(stderr, "smtpcore-send: MX %s: %s\n", a.host.c_str(), a.detail.c_str());
    if (d.attempts.empty() || d.attempts.back().address.empty()) {
        std::fprintf(stderr, "smtpcore-send: not sent: %s\n", d.detail.c_str());
        return d.result == adapters::AttemptResult::PermanentFailure ? kUnavailable : kTempFail;
    }
    return code;
}

}  // namespace smtpcore::cli
