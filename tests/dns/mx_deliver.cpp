// mx_deliver: sends one small message to a domain's MX hosts with the builtin
// resolver and deliver_via_mx(), plaintext SMTP (for loopback tests), and
// prints every attempt. For tests/interop/test_dns_mx.py.
//
//   mx_deliver --nameserver ADDR[:PORT] --mx-port N --from A --to B DOMAIN
//
// Lines: "attempt HOST ADDRESS RESULT: DETAIL", "verdict ...", "result ...".
// Exit: 0 delivered, 69 permanent failure, 75 temporary failure or unknown.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/adapters/mx_delivery.hpp"
#include "smtpcore/body_source.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;

namespace {

// How one session ended, in the terms of the MX loop.
AttemptResult classify(const SendResult& r) {
    if (r.delivered()) return AttemptResult::Delivered;
    if (!r.messages.empty()) {
        const MessageReport& m = r.messages.back();
        if (m.outcome == EventType::MessageUnknown) return AttemptResult::Unknown;
        if (m.outcome == EventType::MessageAccepted) return AttemptResult::Delivered;  // some recipients refused
        if (m.outcome == EventType::MessageRejected && !m.temporary) {
            // A 5xx to the message, or every recipient refused with 5xx.
            bool all_refused = !m.recipients.empty();
            for (const RecipientReport& rcpt : m.recipients) all_refused = all_refused && rcpt.code >= 500;
            if (m.code >= 500 || (m.code == 0 && all_refused)) return AttemptResult::PermanentFailure;
        }
    }
    return AttemptResult::TemporaryFailure;  // no connection, a 421 or 554 greeting, a timeout
}

}  // namespace

int main(int argc, char** argv) {
    BuiltinOptions dns;
    dns.timeout_ms = 2000;
    std::string port = "25", from, to, domain;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--nameserver" && has_value) {
            dns::Endpoint e;
            if (!parse_endpoint(argv[++i], e)) return 64;
            dns.servers.push_back(e);
        } else if (arg == "--mx-port" && has_value) {
            port = argv[++i];
        } else if (arg == "--from" && has_value) {
            from = argv[++i];
        } else if (arg == "--to" && has_value) {
            to = argv[++i];
        } else {
            domain = arg;
        }
    }
    if (domain.empty() || from.empty() || to.empty()) {
        std::fprintf(stderr, "usage: mx_deliver --nameserver ADDR[:PORT] --mx-port N --from A --to B DOMAIN\n");
        return 64;
    }
    const std::string message = "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: via MX\r\n\r\ndelivered by MX\r\n";
    SendOptions options;
    options.tls = TlsMode::None;  // loopback test servers speak plaintext
    options.connect_timeout = 2000;
    options.timeouts = Timeouts::all(5000);
    BuiltinResolver resolver(dns);
    const MxDelivery d = deliver_via_mx(resolver, domain, [&](const std::string&, const Address& a, std::string& detail) {
        BufferSource body(as_bytes(message));
        const std::string server = (a.family == 6 ? "[" + a.text() + "]" : a.text()) + ":" + port;
        const SendResult r = send_mail(server, from, {to}, body.source(), options);
        detail = r.detail;
        return classify(r);
    });
    for (const MxAttempt& a : d.attempts)
        std::printf("attempt %s %s %s: %s\n", a.host.c_str(), a.address.empty() ? "-" : a.address.c_str(),
                    to_string(a.result), a.detail.c_str());
    std::printf("verdict %s\n", dns::to_string(d.verdict));
    std::printf("result %s: %s\n", to_string(d.result), d.detail.c_str());
    return d.result == AttemptResult::Delivered ? 0 : d.result == AttemptResult::PermanentFailure ? 69 : 75;
}
