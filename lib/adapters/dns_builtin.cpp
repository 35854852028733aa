// Addresses and mail exchangers through the builtin resolver (lib/dns) and
// its host loop (dns_driver.cpp): the search list, AAAA and A in parallel,
// MX ordering. Plain values for programs.
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif

#include <cstring>
#include <memory>

#include "smtpcore/adapters/dns_driver.hpp"
#include "smtpcore/adapters/transport.hpp"

namespace smtpcore::adapters {
namespace {

constexpr Millis kResolutionDelay = 50;  // RFC 8305 §3 "Resolution Delay"

// Address lookups stop at the first name that exists (resolv.conf(5)); the
// worst outcome of the two lookups speaks for the pair when neither answered.
dns::Outcome combine(dns::Outcome a, dns::Outcome b) {
    using dns::Outcome;
    if (a == Outcome::Answer || b == Outcome::Answer) return Outcome::Answer;  // (a cancelled AAAA included)
    if (a == Outcome::NoData || b == Outcome::NoData) return Outcome::NoData;
    if (a == Outcome::NxDomain && b == Outcome::NxDomain) return Outcome::NxDomain;
    if (a == Outcome::Timeout || b == Outcome::Timeout) return Outcome::Timeout;
    if (a == Outcome::ServerFailure || b == Outcome::ServerFailure) return Outcome::ServerFailure;
    return Outcome::Failed;
}

}  // namespace

HeapResolver::HeapResolver(const dns::ResolverConfig& config, std::size_t receive_buffer)
    : storage_(dns::Resolver::kSendCapacity + dns::Resolver::kTextCapacity + receive_buffer),
      resolver_(config, MutableBytes(storage_.data(), storage_.size())) {}

std::string Address::text() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family == 6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf);
    return buf;
}

BuiltinResolver::BuiltinResolver(const BuiltinOptions& options)
    : options_(options), conf_(read_resolv_conf(options.resolv_conf)) {
    servers_ = options.servers.empty() ? conf_.nameservers : options.servers;
}

dns::ResolverConfig BuiltinResolver::config() const {
    dns::ResolverConfig c = conf_.resolver_config(servers_);
    if (options_.timeout_ms > 0) c.timeout = static_cast<Duration>(options_.timeout_ms);
    if (options_.attempts > 0) c.attempts = static_cast<std::uint8_t>(options_.attempts);
    c.randomize_case = options_.randomize_case;
    c.tcp_fallback = options_.tcp_fallback;
    return c;
}

Lookup BuiltinResolver::addresses(const std::string& host) {
    Lookup out;
    Address literal;
    if (inet_pton(AF_INET, host.c_str(), literal.bytes) == 1) literal.family = 4;
    else if (inet_pton(AF_INET6, host.c_str(), literal.bytes) == 1) literal.family = 6;
    if (literal.family) {
        out.outcome = dns::Outcome::Answer;
        out.addresses.push_back(literal);
        return out;
    }
    const dns::ResolverConfig c = config();
    for (const std::string& name : conf_.candidates(host)) {
        HeapResolver aaaa_storage(c, options_.receive_buffer), a_storage(c, options_.receive_buffer);
        dns::Resolver* aaaa = &aaaa_storage.get();
        dns::Resolver* a = &a_storage.get();
        if (aaaa->start(name, dns::RrType::AAAA) || a->start(name, dns::RrType::A)) continue;
        std::vector<Address> v6, v4;
        Millis a_answered = kNever;
        run_resolvers(
            {aaaa, a},
            [&](std::size_t i, const dns::DnsEvent& ev) {
                if (i == 1 && ev.type == dns::DnsEventType::Done && !v4.empty()) a_answered = monotonic_ms();
                if (ev.type != dns::DnsEventType::Address) return;
                Address addr;
                addr.family = ev.family;
                std::memcpy(addr.bytes, ev.address, ev.family == 4 ? 4 : 16);
                (i == 0 ? v6 : v4).push_back(addr);
            },
            [&](Millis now) {
                // RFC 8305 §3: a positive A answer waits at most 50 ms for AAAA.
                if (a_answered == kNever || aaaa->state() == dns::ResolverState::Done) return kNever;
                if (now >= a_answered + kResolutionDelay) {
                    aaaa->cancel();
                    return kNever;
                }
                return a_answered + kResolutionDelay;
            });
        out.ignored += aaaa->ignored() + a->ignored();
        out.outcome = combine(aaaa->outcome(), a->outcome());
        out.addresses = v6;
        out.addresses.insert(out.addresses.end(), v4.begin(), v4.end());
        const Error e = a->last_error() ? a->last_error() : aaaa->last_error();
        out.error = e && out.outcome != dns::Outcome::Answer ? e.reason : "";
        if (out.outcome != dns::Outcome::NxDomain) break;
    }
    return out;
}

Lookup BuiltinResolver::mail_exchangers(const std::string& domain) {
    Lookup out;
    HeapResolver storage_owner(config(), options_.receive_buffer);
    dns::Resolver* r = &storage_owner.get();
    if (const Error e = r->start(domain, dns::RrType::MX)) {
        out.outcome = dns::Outcome::Failed;
        out.error = e.reason;
        out.mx_verdict = dns::MxVerdict::TemporaryFailure;
        return out;
    }
    std::vector<dns::MxHost> storage(32);
    dns::MxList list(Span<dns::MxHost>(storage.data(), storage.size()));
    run_resolvers({r}, [&](std::size_t, const dns::DnsEvent& ev) {
        if (ev.type == dns::DnsEventType::Mx) list.add(ev.preference, ev.name);
    });
    char random[2 * 32];
    fill_random(MutableBytes(random, sizeof random));
    out.outcome = r->outcome();
    out.ignored = r->ignored();
    out.error = r->last_error() ? r->last_error().reason : "";
    out.mx_verdict = list.finish(r->outcome(), domain, Bytes(random, sizeof random));
    for (std::size_t i = 0; i < list.size(); ++i) out.mx.push_back(list[i]);
    return out;
}

}  // namespace smtpcore::adapters
