// dns_probe: resolves one name with the builtin resolver over real sockets
// and prints what it found, one fact a line, for tests/interop/test_dns*.py.
//
//   dns_probe [--nameserver ADDR[:PORT]]... [--resolv-conf PATH] [--timeout MS]
//             [--attempts N] [--0x20] [--no-tcp] [--buffer OCTETS] a|aaaa|mx|addr NAME
//   dns_probe [options] connect HOST PORT      (prints "connected" or "error TEXT")
//   dns_probe [options] [--system] send HOST:PORT FROM TO
//             adapters::send_mail() in plaintext with SendOptions::resolver
//             Builtin (the --nameserver list) or, with --system, System;
//             prints "delivered yes|no" and "detail TEXT"
//
// Lines: "A 192.0.2.1", "AAAA ::1", "MX 10 mx.example", "ADDR 192.0.2.1",
// then "outcome answer|nodata|nxdomain|servfail|timeout|failed",
// "verdict hosts|implicit|no-mail|..." for mx, "ignored N", "error TEXT",
// "elapsed_ms N".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/adapters/dns_connect.hpp"
#include "smtpcore/adapters/dns_driver.hpp"
#include "smtpcore/adapters/transport.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;

namespace {

const char* outcome_name(dns::Outcome o) {
    switch (o) {
    case dns::Outcome::Pending: return "pending";
    case dns::Outcome::Answer: return "answer";
    case dns::Outcome::NoData: return "nodata";
    case dns::Outcome::NxDomain: return "nxdomain";
    case dns::Outcome::ServerFailure: return "servfail";
    case dns::Outcome::Timeout: return "timeout";
    case dns::Outcome::Failed: return "failed";
    }
    return "?";
}

int usage() {
    std::fprintf(stderr, "usage: dns_probe [--nameserver ADDR[:PORT]]... [--resolv-conf PATH] [--timeout MS]\n"
                         "                 [--attempts N] [--0x20] [--no-tcp] [--buffer OCTETS] a|aaaa|mx|addr NAME\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    BuiltinOptions options;
    std::vector<std::string> rest;
    bool system_resolver = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--nameserver" && has_value) {
            dns::Endpoint e;
            if (!parse_endpoint(argv[++i], e)) return usage();
            options.servers.push_back(e);
        } else if (arg == "--resolv-conf" && has_value) {
            options.resolv_conf = argv[++i];
        } else if (arg == "--timeout" && has_value) {
            options.timeout_ms = std::atoi(argv[++i]);
        } else if (arg == "--attempts" && has_value) {
            options.attempts = std::atoi(argv[++i]);
        } else if (arg == "--buffer" && has_value) {
            options.receive_buffer = static_cast<std::size_t>(std::atol(argv[++i]));
        } else if (arg == "--0x20") {
            options.randomize_case = true;
        } else if (arg == "--system") {
            system_resolver = true;
        } else if (arg == "--no-tcp") {
            options.tcp_fallback = false;
        } else {
            rest.push_back(arg);
        }
    }
    if (rest.size() == 3 && rest[0] == "connect") {
        // connect HOST PORT: the builtin resolver, then staggered TCP attempts.
        BuiltinResolver resolver(options);
        try {
            connect_tcp_builtin(resolver, rest[1], rest[2], 2000);
            std::printf("connected\n");
        } catch (const std::exception& e) {
            std::printf("error %s\n", e.what());
        }
        return 0;
    }
    if (rest.size() == 4 && rest[0] == "send") {
        // send HOST:PORT FROM TO: the library's one-call API with the chosen resolver.
        SendOptions send;
        send.tls = TlsMode::None;  // loopback test servers speak plaintext
        send.connect_timeout = 2000;
        send.timeouts = Timeouts::all(5000);
        send.resolver = system_resolver ? NameResolver::System : NameResolver::Builtin;
        send.nameservers = options.servers;
        const std::string message = "Subject: resolved\r\n\r\nsent through send_mail()\r\n";
        BufferSource body(as_bytes(message));
        const SendResult r = send_mail(rest[1], rest[2], {rest[3]}, body.source(), send);
        std::printf("delivered %s\ndetail %s\n", r.delivered() ? "yes" : "no", r.detail.c_str());
        return 0;
    }
    if (rest.size() != 2) return usage();
    const std::string& kind = rest[0];
    const std::string& name = rest[1];
    BuiltinResolver resolver(options);
    const Millis start = monotonic_ms();
    Lookup result;
    if (kind == "addr") {
        result = resolver.addresses(name);
        for (const Address& a : result.addresses) std::printf("ADDR %s\n", a.text().c_str());
    } else if (kind == "mx") {
        result = resolver.mail_exchangers(name);
        for (const dns::MxHost& h : result.mx) std::printf("MX %u %.*s\n", h.preference, int(h.length), h.name);
        std::printf("verdict %s\n", dns::to_string(result.mx_verdict));
    } else if (kind == "a" || kind == "aaaa") {
        // One type, one resolver: the plain state machine over the sockets.
        const ResolvConf conf = read_resolv_conf(options.resolv_conf);
        const std::vector<dns::Endpoint> servers = options.servers.empty() ? conf.nameservers : options.servers;
        dns::ResolverConfig c = conf.resolver_config(servers);
        if (options.timeout_ms > 0) c.timeout = static_cast<Duration>(options.timeout_ms);
        if (options.attempts > 0) c.attempts = static_cast<std::uint8_t>(options.attempts);
        c.randomize_case = options.randomize_case;
        c.tcp_fallback = options.tcp_fallback;
        HeapResolver owner(c, options.receive_buffer);
        dns::Resolver* r = &owner.get();
        if (const Error e = r->start(name, kind == "a" ? dns::RrType::A : dns::RrType::AAAA)) {
            std::printf("error %s\n", e.reason);
            return 1;
        }
        run_resolvers({r}, [&](std::size_t, const dns::DnsEvent& ev) {
            if (ev.type != dns::DnsEventType::Address) return;
            Address a;
            a.family = ev.family;
            std::memcpy(a.bytes, ev.address, ev.family == 4 ? 4 : 16);
            std::printf("%s %s\n", ev.family == 4 ? "A" : "AAAA", a.text().c_str());
        });
        result.outcome = r->outcome();
        result.ignored = r->ignored();
        result.error = r->last_error() ? r->last_error().reason : "";
    } else {
        return usage();
    }
    std::printf("outcome %s\n", outcome_name(result.outcome));
    std::printf("ignored %u\n", result.ignored);
    if (!result.error.empty()) std::printf("error %s\n", result.error.c_str());
    std::printf("elapsed_ms %llu\n", static_cast<unsigned long long>(monotonic_ms() - start));
    return 0;
}
