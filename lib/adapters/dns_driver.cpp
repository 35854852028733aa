// The builtin resolver's host loop over POSIX sockets: datagrams, TCP, poll(),
// the clock and getrandom(). No DNS logic lives here (lib/dns has it).
#include "smtpcore/adapters/dns_driver.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "smtpcore/adapters/transport.hpp"

namespace smtpcore::adapters {
namespace {

socklen_t to_sockaddr(const dns::Endpoint& e, sockaddr_storage& out) {
    std::memset(&out, 0, sizeof out);
    if (e.family == 6) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&out);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(e.port);
        std::memcpy(&s6->sin6_addr, e.address, 16);
        return sizeof(sockaddr_in6);
    }
    auto* s4 = reinterpret_cast<sockaddr_in*>(&out);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(e.port);
    std::memcpy(&s4->sin_addr, e.address, 4);
    return sizeof(sockaddr_in);
}

dns::Endpoint from_sockaddr(const sockaddr_storage& in) {
    dns::Endpoint e;
    if (in.ss_family == AF_INET6) {
        const auto* s6 = reinterpret_cast<const sockaddr_in6*>(&in);
        e.family = 6;
        e.port = ntohs(s6->sin6_port);
        std::memcpy(e.address, &s6->sin6_addr, 16);
    } else if (in.ss_family == AF_INET) {
        const auto* s4 = reinterpret_cast<const sockaddr_in*>(&in);
        e.family = 4;
        e.port = ntohs(s4->sin_port);
        std::memcpy(e.address, &s4->sin_addr, 4);
    }
    return e;
}

int open_socket(const dns::Endpoint& server, int type) {
    const int fd = ::socket(server.family == 6 ? AF_INET6 : AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    return fd;
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// One resolver's sockets.
struct Slot {
    dns::Resolver* r = nullptr;
    int udp = -1;
    int tcp = -1;
    bool connecting = false;
    bool done = false;
    const dns::Endpoint* server = nullptr;
    ~Slot() {
        close_fd(udp);
        close_fd(tcp);
    }
};

void handle_events(std::size_t index, Slot& s, const dns::ResolverConfig& config,
                   const std::function<void(std::size_t, const dns::DnsEvent&)>& on_event) {
    for (dns::DnsEvent ev = s.r->next_event(); ev.type != dns::DnsEventType::None; ev = s.r->next_event()) {
        switch (ev.type) {
        case dns::DnsEventType::SendDatagram: {
            // A new socket per query: a new random source port (RFC 5452 §9.2),
            // and late answers to the last query cannot reach this one.
            close_fd(s.udp);
            s.server = &config.servers[ev.server];
            s.udp = open_socket(*s.server, SOCK_DGRAM);
            sockaddr_storage to;
            const socklen_t len = to_sockaddr(*s.server, to);
            const Bytes q = s.r->send_buf();
            // A datagram that cannot be sent is a try that gets no answer:
            // the resolver's timeout moves on.
            if (::sendto(s.udp, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to), len) ==
                static_cast<ssize_t>(q.size()))
                s.r->send_ack(q.size());
            break;
        }
        case dns::DnsEventType::OpenStream: {
            close_fd(s.tcp);
            s.server = &config.servers[ev.server];
            s.tcp = open_socket(*s.server, SOCK_STREAM);
            sockaddr_storage to;
            const socklen_t len = to_sockaddr(*s.server, to);
            const int rc = ::connect(s.tcp, reinterpret_cast<sockaddr*>(&to), len);
            if (rc == 0) {
                s.r->stream_connected();
            } else if (errno == EINPROGRESS) {
                s.connecting = true;
            } else {
                close_fd(s.tcp);
                s.r->connection_closed();
            }
            break;
        }
        case dns::DnsEventType::CloseStream:
            close_fd(s.tcp);
            s.connecting = false;
            break;
        case dns::DnsEventType::Done:
            s.done = true;
            close_fd(s.udp);
            close_fd(s.tcp);
            on_event(index, ev);
            return;
        default: on_event(index, ev); break;
        }
    }
}

void read_udp(Slot& s) {
    MutableBytes w = s.r->recv_buf();
    char scratch[512];
    if (w.empty()) w = MutableBytes(scratch, sizeof scratch);  // not expected now: drained and dropped
    sockaddr_storage from;
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(s.udp, w.data(), w.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0 || w.data() == scratch) return;
    s.r->datagram_received(from_sockaddr(from), static_cast<std::size_t>(n));
}

void service_tcp(Slot& s, short revents) {
    if (s.connecting) {
        if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return;
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s.tcp, SOL_SOCKET, SO_ERROR, &err, &len);
        s.connecting = false;
        if (err != 0) {
            close_fd(s.tcp);
            s.r->connection_closed();
            return;
        }
        s.r->stream_connected();
    }
    const Bytes out = s.r->send_buf();
    if (!out.empty()) {
        const ssize_t n = ::send(s.tcp, out.data(), out.size(), MSG_NOSIGNAL);
        if (n > 0) s.r->send_ack(static_cast<std::size_t>(n));
        else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            close_fd(s.tcp);
            s.r->connection_closed();
            return;
        }
    }
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        MutableBytes w = s.r->recv_buf();
        if (w.empty()) return;
        const ssize_t n = ::recv(s.tcp, w.data(), w.size(), 0);
        if (n > 0) {
            s.r->recv_ack(static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            close_fd(s.tcp);
            s.r->connection_closed();
        }
    }
}

}  // namespace

void fill_random(MutableBytes out) {
    std::size_t at = 0;
    while (at < out.size()) {
        const ssize_t n = ::getrandom(out.data() + at, out.size() - at, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        at += static_cast<std::size_t>(n);
    }
}

void run_resolvers(const std::vector<dns::Resolver*>& resolvers,
                   const std::function<void(std::size_t, const dns::DnsEvent&)>& on_event,
                   const std::function<Millis(Millis)>& on_wake) {
    std::vector<std::unique_ptr<Slot>> slots;
    for (dns::Resolver* r : resolvers) {
        slots.push_back(std::make_unique<Slot>());
        slots.back()->r = r;
    }
    // Time, random octets and events for every resolver still running.
    auto service = [&](Millis now) {
        for (std::size_t i = 0; i < slots.size(); ++i) {
            Slot& s = *slots[i];
            if (s.done) continue;
            s.r->handle_timeout(now);
            if (s.r->want_random()) {
                const MutableBytes w = s.r->random_buf();
                fill_random(w);
                s.r->random_ack(w.size());
            }
            handle_events(i, s, s.r->config(), on_event);
            if (!s.done && s.tcp >= 0 && !s.connecting) service_tcp(s, 0);  // write what is pending
        }
    };
    for (;;) {
        const Millis now = monotonic_ms();
        service(now);
        Millis wake = kNever;
        if (on_wake) {
            // After the events, so it sees them; what it cancels is serviced at once.
            wake = on_wake(now);
            service(now);
        }
        std::vector<pollfd> fds;
        std::vector<std::size_t> owner;
        bool all_done = true;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            Slot& s = *slots[i];
            if (s.done) continue;
            all_done = false;
            wake = std::min(wake, s.r->deadline());
            if (s.udp >= 0 && !s.r->over_tcp()) {
                fds.push_back(pollfd{s.udp, POLLIN, 0});
                owner.push_back(i);
            }
            if (s.tcp >= 0) {
                const short want = s.connecting ? POLLOUT : short(POLLIN | (s.r->want_write() ? POLLOUT : 0));
                fds.push_back(pollfd{s.tcp, want, 0});
                owner.push_back(i);
            }
        }
        if (all_done) return;
        const int timeout = wake == kNever ? 1000 : wake <= now ? 0 : static_cast<int>(std::min<Millis>(wake - now, 60000));
        const int ready = ::poll(fds.data(), fds.size(), timeout);
        if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        for (std::size_t k = 0; ready > 0 && k < fds.size(); ++k) {
            if (!fds[k].revents) continue;
            Slot& s = *slots[owner[k]];
            if (fds[k].fd == s.udp) read_udp(s);
            else if (fds[k].fd == s.tcp) service_tcp(s, fds[k].revents);
        }
    }
}

}  // namespace smtpcore::adapters
