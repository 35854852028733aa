// Name resolution bounded in time. getaddrinfo(3) blocks for as long as the
// resolver likes (resolv.conf timeouts times attempts times servers: often
// 10-30 s for a dead DNS server), so it runs on a thread of its own and the
// caller waits at most `timeout` for it.
#pragma once

#include <netdb.h>

#include <memory>
#include <string>

#include "smtpcore/adapters/posix_socket.hpp"
#include "smtpcore/config.hpp"

namespace smtpcore::adapters::detail {

struct AddrinfoFree {
    void operator()(addrinfo* a) const noexcept { freeaddrinfo(a); }
};
using AddressList = std::unique_ptr<addrinfo, AddrinfoFree>;

/// getaddrinfo's signature, so tests can stand in a slow resolver.
using ResolveFunction = int (*)(const char*, const char*, const addrinfo*, addrinfo**);

/// Resolves host:port (TCP, any family). Throws ResolveError (posix_socket.hpp)
/// when the name does not resolve or `timeout` passes first (EAI_AGAIN); a
/// late answer is then freed by the resolving thread.
AddressList resolve(const std::string& host, const std::string& port, Millis timeout,
                    ResolveFunction function = &::getaddrinfo);

}  // namespace smtpcore::adapters::detail
