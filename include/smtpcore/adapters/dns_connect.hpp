// smtpcore adapters — TCP connections to a host name resolved by the builtin
// resolver instead of the operating system's (getaddrinfo).
#pragma once

#include <memory>
#include <string>

#include "smtpcore/adapters/dns_driver.hpp"
#include "smtpcore/adapters/posix_socket.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// Resolves `host` with `resolver` (AAAA and A asked in parallel; an IP
/// literal as it is) and connects to `port` the way connect_tcp() does:
/// families interleaved, a new attempt every 250 ms (RFC 8305 §4, §5), each
/// giving up after `timeout`. Throws std::runtime_error saying why
/// (NXDOMAIN, no address, or every connection failing).
std::unique_ptr<Transport> connect_tcp_builtin(BuiltinResolver& resolver, const std::string& host,
                                                 const std::string& port, Millis timeout);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
