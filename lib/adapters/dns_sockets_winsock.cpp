// The builtin resolver's sockets on Windows: Winsock, select(),
// BCryptGenRandom(). Where Winsock differs from POSIX (winsock_socket.cpp
// says more): a pending connect is WSAEWOULDBLOCK; a refused one shows in
// select()'s except set (WSAPoll() would not report it); errors come from
// WSAGetLastError(); sockets close with closesocket(); a UDP socket that got
// an ICMP "port unreachable" fails its next recvfrom() with WSAECONNRESET
// (the try then waits for its timeout, as on POSIX).
#include <winsock2.h>
#include <ws2tcpip.h>
// After winsock2.h: bcrypt.h needs the Windows types.
#include <bcrypt.h>

#include <stdexcept>
#include <string>

#include "dns_sockaddr.hpp"
#include "dns_sockets.hpp"
#include "smtpcore/adapters/dns_driver.hpp"
#include "smtpcore/adapters/posix_socket.hpp"  // ensure_winsock()
#include "win_text.hpp"

namespace smtpcore::adapters {
namespace dns_sockets {
namespace {

SOCKET socket_of(Handle h) noexcept { return static_cast<SOCKET>(h); }

bool would_block() noexcept { return WSAGetLastError() == WSAEWOULDBLOCK; }

std::runtime_error failure(const char* call) {
    return std::runtime_error(std::string(call) + ": " +
                              detail::windows_error_text(static_cast<unsigned long>(WSAGetLastError())));
}

}  // namespace

Handle open(const dns::Endpoint& server, bool stream) {
    ensure_winsock();
    const SOCKET s = ::socket(server.family == 6 ? AF_INET6 : AF_INET, stream ? SOCK_STREAM : SOCK_DGRAM,
                              stream ? IPPROTO_TCP : IPPROTO_UDP);
    if (s == INVALID_SOCKET) throw failure("socket");
    u_long non_blocking = 1;
    ioctlsocket(s, FIONBIO, &non_blocking);
    return static_cast<Handle>(s);
}

void close(Handle& h) noexcept {
    if (h != kClosed) ::closesocket(socket_of(h));
    h = kClosed;
}

bool send_to(Handle h, const dns::Endpoint& to, Bytes datagram) noexcept {
    sockaddr_storage address;
    const int len = to_sockaddr(to, address);
    return ::sendto(socket_of(h), datagram.data(), static_cast<int>(datagram.size()), 0,
                    reinterpret_cast<sockaddr*>(&address), len) == static_cast<int>(datagram.size());
}

long receive_from(Handle h, MutableBytes out, dns::Endpoint& from) noexcept {
    sockaddr_storage address;
    int len = sizeof address;
    const int n = ::recvfrom(socket_of(h), out.data(), static_cast<int>(out.size()), 0,
                             reinterpret_cast<sockaddr*>(&address), &len);
    if (n == SOCKET_ERROR) return -1;  // WSAECONNRESET (ICMP), WSAEMSGSIZE (cut: dropped), ...
    from = from_sockaddr(address);
    return n;
}

Connect connect_start(Handle h, const dns::Endpoint& to) noexcept {
    sockaddr_storage address;
    const int len = to_sockaddr(to, address);
    if (::connect(socket_of(h), reinterpret_cast<sockaddr*>(&address), len) == 0) return Connect::Done;
    return would_block() ? Connect::Pending : Connect::Failed;
}

bool connect_succeeded(Handle h) noexcept {
    int err = 0;
    int len = sizeof err;
    return ::getsockopt(socket_of(h), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) == 0 && err == 0;
}

long stream_send(Handle h, Bytes data) noexcept {
    const int n = ::send(socket_of(h), data.data(), static_cast<int>(data.size()), 0);
    if (n != SOCKET_ERROR) return n;
    return would_block() ? 0 : -1;
}

long stream_receive(Handle h, MutableBytes out) noexcept {
    const int n = ::recv(socket_of(h), out.data(), static_cast<int>(out.size()), 0);
    if (n > 0) return n;
    if (n == SOCKET_ERROR && would_block()) return 0;
    return -1;  // closed by the peer, or failed
}

void wait(std::vector<Watch>& watches, int timeout_ms) {
    // A handful of sockets (two per resolver): far below FD_SETSIZE (64).
    fd_set readable, writable, failed;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_ZERO(&failed);
    for (const Watch& w : watches) {
        if (w.read) FD_SET(socket_of(w.handle), &readable);
        if (w.write) FD_SET(socket_of(w.handle), &writable);
        FD_SET(socket_of(w.handle), &failed);  // where a refused connect shows
    }
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    if (watches.empty()) {
        // select() with no sockets fails with WSAEINVAL: sleep instead.
        Sleep(static_cast<DWORD>(timeout_ms));
        return;
    }
    if (::select(0, &readable, &writable, &failed, &tv) == SOCKET_ERROR) throw failure("select");
    for (Watch& w : watches) {
        const SOCKET s = socket_of(w.handle);
        w.ready = FD_ISSET(s, &readable) || FD_ISSET(s, &writable) || FD_ISSET(s, &failed);
    }
}

}  // namespace dns_sockets

void fill_random(MutableBytes out) {
    if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(out.data()),
                                        static_cast<ULONG>(out.size()), BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        throw std::runtime_error("BCryptGenRandom failed");
}

}  // namespace smtpcore::adapters
