// The few socket calls the builtin resolver's host loop (dns_driver.cpp)
// needs, one implementation per system: dns_sockets_posix.cpp (BSD sockets,
// poll, getrandom) and dns_sockets_winsock.cpp (Winsock, select,
// BCryptGenRandom). The loop itself, and all DNS logic, is shared.
#pragma once

#include <cstdint>
#include <vector>

#include "smtpcore/dns/types.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::adapters::dns_sockets {

/// A socket: a descriptor on POSIX, a SOCKET on Windows.
using Handle = std::intptr_t;
constexpr Handle kClosed = -1;  // also INVALID_SOCKET, converted

/// A new non-blocking UDP (stream false) or TCP socket of the server's
/// family. Throws std::runtime_error when none can be made.
Handle open(const dns::Endpoint& server, bool stream);
/// Closes `h` if open and sets it to kClosed.
void close(Handle& h) noexcept;

/// Sends one datagram; true when all of it went out.
bool send_to(Handle h, const dns::Endpoint& to, Bytes datagram) noexcept;
/// Reads one datagram into `out`: its size, with its source in `from`; -1
/// when there is none or it failed (an ICMP error, say).
long receive_from(Handle h, MutableBytes out, dns::Endpoint& from) noexcept;

enum class Connect { Done, Pending, Failed };
/// Starts a non-blocking connect.
Connect connect_start(Handle h, const dns::Endpoint& to) noexcept;
/// After wait() said the connecting socket is writable or failed: whether it connected.
bool connect_succeeded(Handle h) noexcept;

/// Stream I/O: the octets moved (> 0), 0 when it would block, -1 when the
/// connection failed or (receive) the peer closed it.
long stream_send(Handle h, Bytes data) noexcept;
long stream_receive(Handle h, MutableBytes out) noexcept;

struct Watch {
    Handle handle = kClosed;
    bool read = false;   ///< in: wake when readable
    bool write = false;  ///< in: wake when writable (or a connect finished)
    bool ready = false;  ///< out: readable, writable, closed or failed
};
/// Waits up to `timeout_ms` for any watched socket. Throws std::runtime_error.
void wait(std::vector<Watch>& watches, int timeout_ms);

}  // namespace smtpcore::adapters::dns_sockets
