// POSIX TCP transport: name resolution, staggered connection attempts, and
// non-blocking reads and writes. No protocol logic lives here.
#include "smtpcore/adapters/posix_socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <vector>

#include "errno_text.hpp"
#include "attempt_order.hpp"
#include "resolve.hpp"

namespace smtpcore::adapters {

PosixSocket::PosixSocket(int fd) : fd_(fd) {
    const int flags = fcntl(fd_, F_GETFL);
    fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
    // SMTP is a dialogue of short lines: do not let Nagle hold back a command
    // waiting for the ACK of the previous flight.
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

PosixSocket::~PosixSocket() {
    if (fd_ >= 0) close(fd_);
}

IoResult PosixSocket::read(MutableBytes out) noexcept {
    for (;;) {
        const ssize_t n = ::recv(fd_, out.data(), out.size(), 0);
        if (n > 0) return {static_cast<std::size_t>(n), IoStatus::Ok};
        if (n == 0) return {0, IoStatus::Eof};
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {0, IoStatus::WouldBlock};
        copy_errno_text(errno, error_, sizeof error_);
        return {0, IoStatus::Failed};
    }
}

IoResult PosixSocket::write(Bytes data) noexcept {
    for (;;) {
        // MSG_NOSIGNAL: a closed peer is an error to report, not a SIGPIPE.
        const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) return {static_cast<std::size_t>(n), IoStatus::Ok};
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {0, IoStatus::WouldBlock};
        copy_errno_text(errno, error_, sizeof error_);
        return {0, IoStatus::Failed};
    }
}

namespace {

constexpr Millis kAttemptDelay = 250;  // RFC 8305 §5 "Connection Attempt Delay"

struct Attempt {
    int fd;
    Millis started;
};

std::string describe(const addrinfo* a) {
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "?";
    return a->ai_family == AF_INET6 ? "[" + std::string(host) + "]:" + serv : std::string(host) + ":" + serv;
}

}  // namespace

std::unique_ptr<PosixSocket> connect_tcp(const std::string& host, const std::string& port, Millis timeout) {
    // The resolver gets the same bound as one connection attempt.
    const detail::AddressList list = detail::resolve(host, port, timeout);
    return connect_addresses(list.get(), timeout, host + " port " + port);
}

std::unique_ptr<PosixSocket> connect_addresses(const addrinfo* list, Millis timeout, const std::string& what) {
    const std::vector<const addrinfo*> order = detail::interleave_families(list);

    std::string failures;
    auto note = [&](const addrinfo* a, const char* why) {
        failures += (failures.empty() ? "" : "; ") + describe(a) + " " + why;
    };
    std::vector<Attempt> pending;
    std::vector<const addrinfo*> pending_addr;
    std::size_t next = 0;
    Millis next_start = monotonic_ms();
    int winner = -1;

    while (winner < 0 && (next < order.size() || !pending.empty())) {
        const Millis now = monotonic_ms();
        if (next < order.size() && (now >= next_start || pending.empty())) {
            const addrinfo* a = order[next++];
            const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
            if (fd < 0) { note(a, errno_text(errno).c_str()); continue; }
            if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) { winner = fd; break; }
            if (errno != EINPROGRESS) { note(a, errno_text(errno).c_str()); close(fd); continue; }
            pending.push_back({fd, now});
            pending_addr.push_back(a);
            next_start = now + kAttemptDelay;
            continue;
        }
        // Wait for any attempt to finish, the next start, or the oldest timeout.
        Millis wake = next < order.size() ? next_start : kNever;
        for (const Attempt& at : pending) wake = std::min(wake, at.started + timeout);
        std::vector<pollfd> fds;
        for (const Attempt& at : pending) fds.push_back({at.fd, POLLOUT, 0});
        const int wait = wake <= now ? 0 : static_cast<int>(std::min<Millis>(wake - now, 60000));
        if (poll(fds.data(), fds.size(), wait) < 0 && errno != EINTR) {
            const std::string why = errno_text(errno);
            for (const Attempt& at : pending) close(at.fd);
            throw std::runtime_error("poll: " + why);
        }
        const Millis after = monotonic_ms();
        for (std::size_t i = fds.size(); i-- > 0;) {
            bool done = false;
            if (fds[i].revents != 0) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err == 0) { winner = fds[i].fd; pending.erase(pending.begin() + i); break; }
                note(pending_addr[i], errno_text(err).c_str());
                done = true;
            } else if (after >= pending[i].started + timeout) {
                note(pending_addr[i], "connection timed out");
                done = true;
            }
            if (done) {
                close(fds[i].fd);
                pending.erase(pending.begin() + i);
                pending_addr.erase(pending_addr.begin() + i);
                next_start = after;  // a failure starts the next attempt at once
            }
        }
    }
    for (const Attempt& at : pending) close(at.fd);  // the losers of the race
    if (winner < 0) throw std::runtime_error("cannot connect to " + what + ": " + failures);
    return std::make_unique<PosixSocket>(winner);
}

}  // namespace smtpcore::adapters
