// The builtin resolver's sockets on POSIX: BSD sockets, poll(), getrandom().
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "dns_sockaddr.hpp"
#include "dns_sockets.hpp"
#include "smtpcore/adapters/dns_driver.hpp"

namespace smtpcore::adapters {
namespace dns_sockets {

Handle open(const dns::Endpoint& server, bool stream) {
    const int fd = ::socket(server.family == 6 ? AF_INET6 : AF_INET,
                            (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    return fd;
}

void close(Handle& h) noexcept {
    if (h != kClosed) ::close(static_cast<int>(h));
    h = kClosed;
}

bool send_to(Handle h, const dns::Endpoint& to, Bytes datagram) noexcept {
    sockaddr_storage address;
    const socklen_t len = static_cast<socklen_t>(to_sockaddr(to, address));
    return ::sendto(static_cast<int>(h), datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&address),
                    len) == static_cast<ssize_t>(datagram.size());
}

long receive_from(Handle h, MutableBytes out, dns::Endpoint& from) noexcept {
    sockaddr_storage address;
    socklen_t len = sizeof address;
    const ssize_t n =
        ::recvfrom(static_cast<int>(h), out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&address), &len);
    if (n < 0) return -1;
    from = from_sockaddr(address);
    return static_cast<long>(n);
}

Connect connect_start(Handle h, const dns::Endpoint& to) noexcept {
    sockaddr_storage address;
    const socklen_t len = static_cast<socklen_t>(to_sockaddr(to, address));
    if (::connect(static_cast<int>(h), reinterpret_cast<sockaddr*>(&address), len) == 0) return Connect::Done;
    return errno == EINPROGRESS ? Connect::Pending : Connect::Failed;
}

bool connect_succeeded(Handle h) noexcept {
    int err = 0;
    socklen_t len = sizeof err;
    return ::getsockopt(static_cast<int>(h), SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

long stream_send(Handle h, Bytes data) noexcept {
    const ssize_t n = ::send(static_cast<int>(h), data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<long>(n);
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

long stream_receive(Handle h, MutableBytes out) noexcept {
    const ssize_t n = ::recv(static_cast<int>(h), out.data(), out.size(), 0);
    if (n > 0) return static_cast<long>(n);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    return -1;  // closed by the peer, or failed
}

void wait(std::vector<Watch>& watches, int timeout_ms) {
    std::vector<pollfd> fds(watches.size());
    for (std::size_t i = 0; i < watches.size(); ++i) {
        fds[i].fd = static_cast<int>(watches[i].handle);
        fds[i].events = static_cast<short>((watches[i].read ? POLLIN : 0) | (watches[i].write ? POLLOUT : 0));
    }
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    for (std::size_t i = 0; i < watches.size(); ++i) watches[i].ready = ready > 0 && fds[i].revents != 0;
}

}  // namespace dns_sockets

void fill_random(MutableBytes out) {
    std::size_t at = 0;
    while (at < out.size()) {
        const ssize_t n = ::getrandom(out.data() + at, out.size() - at, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        at += static_cast<std::size_t>(n);
    }
}

}  // namespace smtpcore::adapters
