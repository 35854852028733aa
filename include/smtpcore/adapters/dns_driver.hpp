// smtpcore adapters — the builtin DNS resolver over UDP and TCP sockets
// (POSIX or Winsock).
//
// run_resolvers() is the host loop at the top of smtpcore/dns/resolver.hpp
// over poll() (POSIX) or select() (Winsock): one unconnected UDP socket per
// query (a fresh ephemeral source port each time, RFC 5452 §9.2; the
// Resolver itself checks the source of every datagram), a TCP connection
// when an answer is truncated, random octets from getrandom() or
// BCryptGenRandom(), the monotonic clock. Several resolvers run in the same
// loop, so AAAA and A are asked in parallel.
//
// BuiltinResolver wraps it for programs: addresses of a host name and the
// ordered mail exchangers of a domain, as plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "smtpcore/adapters/resolv_conf.hpp"
#include "smtpcore/dns/mx.hpp"
#include "smtpcore/dns/resolver.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// Runs every resolver (each already start()ed) until all are Done, handing
/// each event of resolver i to on_event(i, event). The servers are those of
/// each resolver's config. Throws std::runtime_error when a socket cannot be made.
/// `on_wake(now)`, when given, is called every time the loop wakes up (it may
/// cancel() a resolver) and returns when it next wants to be called (kNever:
/// only when something else happens).
void run_resolvers(const std::vector<dns::Resolver*>& resolvers,
                   const std::function<void(std::size_t, const dns::DnsEvent&)>& on_event,
                   const std::function<Millis(Millis)>& on_wake = nullptr);

struct Address {
    int family = 0;              ///< 4 or 6
    std::uint8_t bytes[16] = {};
    std::string text() const;    ///< "192.0.2.1" or "2001:db8::1"
};

struct Lookup {
    dns::Outcome outcome = dns::Outcome::Pending;
    std::string error;                 ///< why it failed, for people
    std::vector<Address> addresses;    ///< address lookups, AAAA first then A (RFC 8305 §4 sorts later)
    std::vector<dns::MxHost> mx;       ///< MX lookups, in RFC 5321 §5.1 order
    dns::MxVerdict mx_verdict = dns::MxVerdict::Pending;
    std::uint32_t ignored = 0;         ///< datagrams and records the resolvers ignored
};

struct BuiltinOptions {
    std::vector<dns::Endpoint> servers;  ///< empty: from resolv.conf (Windows has none: name them)
    std::string resolv_conf = "/etc/resolv.conf";
    int timeout_ms = -1;                 ///< -1: resolv.conf's
    int attempts = -1;
    bool randomize_case = false;
    bool tcp_fallback = true;
    /// Receive buffer per resolver: the default holds the largest TCP answer
    /// (65535 octets); a smaller one makes larger answers fail that try.
    std::size_t receive_buffer = 2 + 65535;
};

/// A Resolver with heap storage of a chosen size (adapters may allocate).
class HeapResolver {
public:
    HeapResolver(const dns::ResolverConfig& config, std::size_t receive_buffer);
    dns::Resolver& get() { return resolver_; }

private:
    std::vector<char> storage_;
    dns::Resolver resolver_;
};

class BuiltinResolver {
public:
    explicit BuiltinResolver(const BuiltinOptions& options);

    /// AAAA and A of `host` in parallel, with the search list applied
    /// (resolv.conf(5)); an IP literal is returned as it is. RFC 8305 §3
    /// Resolution Delay: once A has answered, AAAA gets 50 ms more, then it
    /// is given up and the A records are used alone.
    Lookup addresses(const std::string& host);
    /// The MX hosts of `domain` (RFC 5321 §5.1: no search list), ordered,
    /// with the implicit MX and null MX verdicts.
    Lookup mail_exchangers(const std::string& domain);

    const std::vector<dns::Endpoint>& servers() const { return servers_; }

private:
    dns::ResolverConfig config() const;
    BuiltinOptions options_;
    ResolvConf conf_;
    std::vector<dns::Endpoint> servers_;
};

/// Random octets from the operating system (getrandom, BCryptGenRandom). Throws on failure.
void fill_random(MutableBytes out);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
