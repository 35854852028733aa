// smtpcore adapters — a TCP connection over Winsock (Windows), the twin of
// posix_socket.hpp: same functions, same errors, same connection policy.
// Include posix_socket.hpp, which includes this file on Windows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "smtpcore/adapters/transport.hpp"
#include "smtpcore/export.hpp"

struct addrinfo;  // <ws2tcpip.h>

SMTPCORE_BEGIN_PUBLIC

namespace smtpcore::adapters {

/// A connected, non-blocking TCP socket. Owns the SOCKET.
class WinsockSocket final : public Transport {
public:
    /// Takes ownership of a connected SOCKET (made non-blocking here).
    explicit WinsockSocket(std::uintptr_t socket);
    ~WinsockSocket() override;
    WinsockSocket(const WinsockSocket&) = delete;
    WinsockSocket& operator=(const WinsockSocket&) = delete;

    IoResult read(MutableBytes out) noexcept override;
    IoResult write(Bytes data) noexcept override;
    /// The SOCKET as an int, for WSAPoll in run_blocking(). Kernel handles
    /// carry 32 significant bits on 64-bit Windows (the documented rule that
    /// lets 32- and 64-bit processes share them), so the value survives.
    int handle() const noexcept override { return static_cast<int>(socket_); }
    const char* error() const noexcept override { return error_; }

private:
    std::uintptr_t socket_;
    char error_[160] = "";  // FormatMessage text, UTF-8
};

/// Resolves `host` with GetAddrInfoW (UTF-8 names, IPv4 and IPv6 literals)
/// and connects to `port`, trying every address: the policy of the POSIX
/// connect_tcp() (RFC 8305 staggered attempts, 250 ms apart, families
/// interleaved, first success wins, `timeout` per attempt). The lookup itself
/// is bounded by the system resolver's own timeouts, not by `timeout`.
/// Throws ResolveError when the name does not resolve, else std::runtime_error
/// saying what failed for every address.
std::unique_ptr<WinsockSocket> connect_tcp(const std::string& host, const std::string& port, Millis timeout);

/// The connection part of connect_tcp() over a list from getaddrinfo().
std::unique_ptr<WinsockSocket> connect_addresses(const addrinfo* list, Millis timeout, const std::string& what);

/// WSAStartup(2.2), once per process (also run before main() when this file
/// is linked, so getaddrinfo() in the application works too). Throws
/// std::runtime_error if Winsock is unavailable.
void ensure_winsock();

}  // namespace smtpcore::adapters

SMTPCORE_END_PUBLIC
