// Winsock TCP transport: the twin of posix_socket.cpp with Windows' own
// calls. Same connection policy (RFC 8305 staggered attempts), same IoStatus
// mapping, same error texts for the errors people meet most, so a report
// reads alike on both systems. No protocol logic lives here.
//
// Where Winsock differs from POSIX:
//  - a non-blocking connect() fails with WSAEWOULDBLOCK, not EINPROGRESS;
//  - WSAPoll() does not report a refused connect (the attempt looks pending
//    until its timeout), so attempts are watched with select(), whose except
//    set is where a failed connect shows;
//  - errors come from WSAGetLastError(), sockets close with closesocket().
#include <winsock2.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "smtpcore/adapters/posix_socket.hpp"
#include "attempt_order.hpp"
#include "win_text.hpp"

namespace smtpcore::adapters {
namespace {

// The texts posix_socket.cpp gets from strerror for the same conditions.
std::string socket_error_text(int code) {
    switch (code) {
    case WSAECONNREFUSED: return "Connection refused";
    case WSAETIMEDOUT: return "Connection timed out";
    case WSAECONNRESET: return "Connection reset by peer";
    case WSAECONNABORTED: return "Software caused connection abort";
    case WSAENETUNREACH: return "Network is unreachable";
    case WSAEHOSTUNREACH: return "No route to host";
    case WSAEADDRNOTAVAIL: return "Cannot assign requested address";
    case WSAEAFNOSUPPORT: return "Address family not supported by protocol";
    default: return detail::windows_error_text(static_cast<unsigned long>(code));
    }
}

void copy_text(const std::string& text, char* out, std::size_t size) {
    const std::size_t n = std::min(text.size(), size - 1);
    text.copy(out, n);
    out[n] = '\0';
}

struct WinsockStartup {
    bool ok = false;
    int code = 0;
    WinsockStartup() {
        WSADATA data;
        code = WSAStartup(MAKEWORD(2, 2), &data);
        ok = code == 0;
    }
};

const WinsockStartup& startup() {
    static const WinsockStartup once;  // thread-safe since C++11
    return once;
}

// Before main(): an application's own getaddrinfo() (the CLI's) needs it too.
[[maybe_unused]] const WinsockStartup& startup_at_load = startup();

}  // namespace

void ensure_winsock() {
    if (!startup().ok) throw std::runtime_error("WSAStartup: " + socket_error_text(startup().code));
}

WinsockSocket::WinsockSocket(std::uintptr_t socket) : socket_(socket) {
    u_long non_blocking = 1;
    ioctlsocket(static_cast<SOCKET>(socket_), FIONBIO, &non_blocking);
    // SMTP is a dialogue of short lines: no Nagle delay (as on POSIX).
    const BOOL one = TRUE;
    setsockopt(static_cast<SOCKET>(socket_), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one),
               sizeof one);
}

WinsockSocket::~WinsockSocket() {
    if (static_cast<SOCKET>(socket_) != INVALID_SOCKET) closesocket(static_cast<SOCKET>(socket_));
}

IoResult WinsockSocket::read(MutableBytes out) noexcept {
    const int size = static_cast<int>(std::min<std::size_t>(out.size(), 1 << 30));
    const int n = ::recv(static_cast<SOCKET>(socket_), out.data(), size, 0);
    if (n > 0) return {static_cast<std::size_t>(n), IoStatus::Ok};
    if (n == 0) return {0, IoStatus::Eof};
    const int code = WSAGetLastError();
    if (code == WSAEWOULDBLOCK || code == WSAEINTR) return {0, IoStatus::WouldBlock};
    copy_text(socket_error_text(code), error_, sizeof error_);
    return {0, IoStatus::Failed};
}

IoResult WinsockSocket::write(Bytes data) noexcept {
    // Windows has no SIGPIPE: a closed peer is an error return already.
    const int size = static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30));
    const int n = ::send(static_cast<SOCKET>(socket_), data.data(), size, 0);
    if (n >= 0) return {static_cast<std::size_t>(n), IoStatus::Ok};
    const int code = WSAGetLastError();
    if (code == WSAEWOULDBLOCK || code == WSAEINTR) return {0, IoStatus::WouldBlock};
    copy_text(socket_error_text(code), error_, sizeof error_);
    return {0, IoStatus::Failed};
}

namespace {

constexpr Millis kAttemptDelay = 250;  // RFC 8305 §5 "Connection Attempt Delay"

std::string describe(const sockaddr* address, std::size_t length, int family) {
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo(address, static_cast<socklen_t>(length), host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "?";
    return family == AF_INET6 ? "[" + std::string(host) + "]:" + serv : std::string(host) + ":" + serv;
}

struct Attempt {
    SOCKET socket;
    Millis started;
    std::string peer;
};

template <class Info>
std::unique_ptr<WinsockSocket> connect_list(const Info* list, Millis timeout, const std::string& what) {
    const std::vector<const Info*> order = detail::interleave_families(list);
    std::string failures;
    auto note = [&](const std::string& peer, const std::string& why) {
        failures += (failures.empty() ? "" : "; ") + peer + " " + why;
    };
    std::vector<Attempt> pending;
    std::size_t next = 0;
    Millis next_start = monotonic_ms();
    SOCKET winner = INVALID_SOCKET;

    while (winner == INVALID_SOCKET && (next < order.size() || !pending.empty())) {
        const Millis now = monotonic_ms();
        // select() watches at most FD_SETSIZE (64) sockets: later addresses wait.
        if (next < order.size() && pending.size() < FD_SETSIZE && (now >= next_start || pending.empty())) {
            const Info* a = order[next++];
            const std::string peer = describe(a->ai_addr, a->ai_addrlen, a->ai_family);
            const SOCKET s = WSASocketW(a->ai_family, a->ai_socktype, a->ai_protocol, nullptr, 0,
                                        WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
            if (s == INVALID_SOCKET) { note(peer, socket_error_text(WSAGetLastError())); continue; }
            u_long non_blocking = 1;
            ioctlsocket(s, FIONBIO, &non_blocking);
            if (connect(s, a->ai_addr, static_cast<int>(a->ai_addrlen)) == 0) { winner = s; break; }
            const int code = WSAGetLastError();
            if (code != WSAEWOULDBLOCK) { note(peer, socket_error_text(code)); closesocket(s); continue; }
            pending.push_back({s, now, peer});
            next_start = now + kAttemptDelay;
            continue;
        }
        // Wait for any attempt to finish, the next start, or the oldest timeout.
        Millis wake = next < order.size() ? next_start : kNever;
        for (const Attempt& at : pending) wake = std::min(wake, at.started + timeout);
        const Millis wait = wake <= now ? 0 : std::min<Millis>(wake - now, 60000);
        fd_set writable, failed;
        FD_ZERO(&writable);
        FD_ZERO(&failed);
        for (const Attempt& at : pending) {
            FD_SET(at.socket, &writable);  // connected
            FD_SET(at.socket, &failed);    // refused, unreachable, ...
        }
        timeval tv{static_cast<long>(wait / 1000), static_cast<long>(wait % 1000) * 1000};
        if (select(0, nullptr, &writable, &failed, &tv) == SOCKET_ERROR) {
            const std::string why = socket_error_text(WSAGetLastError());
            for (const Attempt& at : pending) closesocket(at.socket);
            throw std::runtime_error("select: " + why);
        }
        const Millis after = monotonic_ms();
        for (std::size_t i = pending.size(); i-- > 0;) {
            const SOCKET s = pending[i].socket;
            bool done = false;
            if (FD_ISSET(s, &failed)) {
                int code = 0;
                int size = sizeof code;
                getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&code), &size);
                note(pending[i].peer, socket_error_text(code != 0 ? code : WSAECONNREFUSED));
                done = true;
            } else if (FD_ISSET(s, &writable)) {
                winner = s;
                pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            } else if (after >= pending[i].started + timeout) {
                note(pending[i].peer, "connection timed out");
                done = true;
            }
            if (done) {
                closesocket(s);
                pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
                next_start = after;  // a failure starts the next attempt at once
            }
        }
    }
    for (const Attempt& at : pending) closesocket(at.socket);  // the losers of the race
    if (winner == INVALID_SOCKET) throw std::runtime_error("cannot connect to " + what + ": " + failures);
    return std::make_unique<WinsockSocket>(static_cast<std::uintptr_t>(winner));
}

}  // namespace

std::unique_ptr<WinsockSocket> connect_addresses(const addrinfo* list, Millis timeout, const std::string& what) {
    ensure_winsock();
    return connect_list(list, timeout, what);
}

std::unique_ptr<WinsockSocket> connect_tcp(const std::string& host, const std::string& port, Millis timeout) {
    ensure_winsock();
    bool ok = true;
    const std::wstring wide_host = detail::widen(host, &ok);
    if (!ok) throw ResolveError("cannot resolve " + host + ": not UTF-8", EAI_NONAME);
    const std::wstring wide_port = detail::widen(port);
    ADDRINFOW hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    ADDRINFOW* list = nullptr;
    if (const int rc = GetAddrInfoW(wide_host.c_str(), wide_port.c_str(), &hints, &list); rc != 0)
        throw ResolveError("cannot resolve " + host + ": " + detail::windows_error_text(static_cast<unsigned long>(rc)), rc);
    try {
        auto s = connect_list(list, timeout, host + " port " + port);
        FreeAddrInfoW(list);
        return s;
    } catch (...) {
        FreeAddrInfoW(list);
        throw;
    }
}

}  // namespace smtpcore::adapters
