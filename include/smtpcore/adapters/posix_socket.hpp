// smtpcore adapters — a TCP connection over POSIX sockets.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "smtpcore/adapters/transport.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// The name did not resolve. `code()` is getaddrinfo(3)'s: EAI_NONAME or
/// EAI_FAIL when the name does not exist, EAI_AGAIN when the resolver fails
/// for now, which is also the code when no answer came within the timeout.
/// (On Windows GetAddrInfoW's WSA codes, which <ws2tcpip.h>'s EAI_* equal.)
class ResolveError : public std::runtime_error {
public:
    ResolveError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

}  // namespace smtpcore::adapters

#ifdef _WIN32
// Windows: the same functions over Winsock, returning a WinsockSocket.
#include "smtpcore/adapters/winsock_socket.hpp"
#else
namespace smtpcore::adapters {

/// A connected, non-blocking TCP socket. Owns the descriptor.
class PosixSocket final : public Transport {
public:
    /// Takes ownership of a connected socket (made non-blocking here), e.g.
    /// one the application connected through its own event loop.
    explicit PosixSocket(int fd);
    ~PosixSocket() override;
    PosixSocket(const PosixSocket&) = delete;
    PosixSocket& operator=(const PosixSocket&) = delete;

    IoResult read(MutableBytes out) noexcept override;
    IoResult write(Bytes data) noexcept override;
    int handle() const noexcept override { return fd_; }
    const char* error() const noexcept override { return error_; }

private:
    int fd_;
    char error_[128] = "";  // a copy: strerror's buffer is shared by every thread
};

/// Resolves `host` (getaddrinfo: names, IPv4 and IPv6 literals) and connects
/// to `port`, trying every address. The resolution is bounded by `timeout`
/// too (it runs on a short-lived thread; a late answer is dropped). Attempts
/// are staggered Happy Eyeballs style (RFC 8305 §5): families interleaved, a
/// new attempt every 250 ms while earlier ones are still pending, the first
/// to succeed wins. Each attempt gives up after `timeout`. Throws
/// ResolveError when the name does not resolve, else std::runtime_error
/// saying what failed for every address.
std::unique_ptr<PosixSocket> connect_tcp(const std::string& host, const std::string& port, Millis timeout);

}  // namespace smtpcore::adapters
struct addrinfo;  // <netdb.h>
namespace smtpcore::adapters {
/// The connection part of connect_tcp() over an address list the caller
/// resolved (getaddrinfo order). `what` names the peer in error messages.
std::unique_ptr<PosixSocket> connect_addresses(const addrinfo* list, Millis timeout, const std::string& what);
}  // namespace smtpcore::adapters
#endif

namespace smtpcore::adapters {

/// Splits "host:port", "[v6]:port" or "host" (default_port then).
/// Throws std::invalid_argument on a malformed value.
void split_host_port(const std::string& server, const std::string& default_port, std::string& host,
                     std::string& port);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
