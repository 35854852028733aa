// Many sessions in one thread: N engines in the caller's storage, one epoll
// loop, non-blocking sockets, messages spread over the sessions and submitted
// ahead (the next message's MAIL, RCPT and DATA/BDAT leave right behind the
// previous end of data: one round trip per message with PIPELINING).
//
//   bulk_sender PORT SESSIONS MESSAGES [BODY_OCTETS]
//
// Plaintext to 127.0.0.1 only: for a local sink (bench/sink --max-connections
// N). Prints messages/s, the engine's bytes per session, RSS per session and
// the p50/p99 time from submit() to MessageAccepted. docs/event-loops.md
// explains the loop.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <smtpcore/adapters/blocking.hpp>

using namespace smtpcore;

namespace {

// Engine state per session: the Client object and its storage, 2 KiB in all
// (min_storage() of the Config below is 896).
constexpr std::size_t kStorage = sizeof(Client) + 896 >= 2048 ? 896 : 2048 - sizeof(Client);

std::uint64_t now_us() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

long rss_kib() {
    long kib = 0;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[128];
        while (std::fgets(line, sizeof line, f))
            if (std::strncmp(line, "VmRSS:", 6) == 0) kib = std::atol(line + 6);
        std::fclose(f);
    }
    return kib;
}

const std::string_view kTo[] = {"sink@example.org"};

// One session: the engine and its storage side by side in the caller's array.
struct Session {
    alignas(Client) unsigned char engine[sizeof(Client)];
    char storage[kStorage];
    int fd = -1;
    unsigned left = 0;              // messages not yet submitted
    std::size_t body_offset = 0;    // into the prepared message, while BodyWanted
    bool in_body = false;
    bool quitting = false;
    std::uint64_t submitted_at[2] = {0, 0};  // the current message and one ahead
    unsigned queued = 0;

    Client& client() { return *std::launder(reinterpret_cast<Client*>(engine)); }
};

struct Totals {
    unsigned long accepted = 0, rejected = 0, open = 0;
    std::vector<std::uint32_t> latencies_us;
};

struct Sender {
    std::string message;
    Envelope envelope;
    Totals totals;

    void record_outcome(Session& s, bool ok) {
        if (s.queued == 0) return;
        const std::uint64_t t = now_us() - s.submitted_at[0];
        s.submitted_at[0] = s.submitted_at[1];
        --s.queued;
        if (ok) {
            ++totals.accepted;
            totals.latencies_us.push_back(static_cast<std::uint32_t>(t));
        } else {
            ++totals.rejected;
        }
    }

    // Handles every event the engine has; false once the session is over.
    bool drain_events(Session& s) {
        Client& c = s.client();
        for (Event e = c.next_event(); e.type != EventType::None; e = c.next_event()) {
            switch (e.type) {
                case EventType::BodyWanted:
                    s.in_body = true;
                    s.body_offset = 0;
                    break;
                case EventType::MessageAccepted: record_outcome(s, true); break;
                case EventType::MessageRejected:
                case EventType::MessageUnknown: record_outcome(s, false); break;
                case EventType::Closed:
                case EventType::Error: return false;
                default: break;
            }
        }
        return true;
    }

    void write_body(Session& s) {
        Client& c = s.client();
        while (s.in_body) {
            if (s.body_offset == message.size()) {
                c.body_end();
                s.in_body = false;
                break;
            }
            const MutableBytes window = c.body_buf();
            if (window.empty()) break;  // the send buffer is full: write first
            const std::size_t n = std::min(window.size(), message.size() - s.body_offset);
            std::memcpy(window.data(), message.data() + s.body_offset, n);
            c.body_ack(n);
            s.body_offset += n;
        }
    }

    // Does all the work possible on one session now; false when it is over.
    bool pump(Session& s) {
        Client& c = s.client();
        for (int round = 0; round < 8; ++round) {
            bool progress = false;
            while (c.want_read()) {
                const MutableBytes window = c.recv_buf();
                if (window.empty()) break;
                const ssize_t r = ::recv(s.fd, window.data(), window.size(), 0);
                if (r > 0) {
                    c.recv_ack(static_cast<std::size_t>(r));
                    progress = true;
                    if (!drain_events(s)) return false;
                    continue;
                }
                if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                c.connection_closed();
                drain_events(s);
                return false;
            }
            if (!drain_events(s)) return false;
            write_body(s);
            // Submit while the engine takes one: in Ready, or ahead of the
            // outcome once the current body has ended.
            if (s.left > 0 && !s.in_body && s.queued < 2 && c.can_submit()) {
                if (c.submit(envelope).kind == ErrorKind::None) {
                    s.submitted_at[s.queued++] = now_us();
                    --s.left;
                    progress = true;
                } else {
                    s.left = 0;
                }
            }
            if (s.left == 0 && s.queued == 0 && !s.quitting && c.state() == SessionState::Ready) {
                c.quit();
                s.quitting = true;
                progress = true;
            }
            for (Bytes out = c.send_buf(); !out.empty(); out = c.send_buf()) {
                const ssize_t w = ::send(s.fd, out.data(), out.size(), MSG_NOSIGNAL);
                if (w <= 0) break;  // EAGAIN: epoll says when to go on
                c.send_ack(static_cast<std::size_t>(w));
                progress = true;
            }
            if (!progress) break;
        }
        return true;
    }
};

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
    addr.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::uint32_t percentile(std::vector<std::uint32_t>& v, double p) {
    if (v.empty()) return 0;
    const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return v[k];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bulk_sender PORT SESSIONS MESSAGES [BODY_OCTETS]\n");
        return 64;
    }
    const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const unsigned sessions = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
    const unsigned long messages = std::strtoul(argv[3], nullptr, 10);
    const std::size_t body = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 1024;

    // One descriptor per session, and a few more.
    rlimit nofile{};
    getrlimit(RLIMIT_NOFILE, &nofile);
    if (nofile.rlim_cur < sessions + 64) {
        nofile.rlim_cur = std::min<rlim_t>(nofile.rlim_max, sessions + 64);
        setrlimit(RLIMIT_NOFILE, &nofile);
    }

    Sender sender;
    sender.message = "From: bench@example.org\r\nTo: sink@example.org\r\nSubject: bulk\r\n\r\n";
    while (sender.message.size() + 76 <= body + 70) sender.message += std::string(74, 'x') + "\r\n";
    sender.envelope.from = "bench@example.org";
    sender.envelope.recipients = Span<const std::string_view>(kTo);
    sender.envelope.size_hint = sender.message.size();
    sender.totals.latencies_us.reserve(messages);

    adapters::SendOptions options;
    options.tls = TlsMode::None;
    Config config = adapters::make_config(options);
    // Small windows: replies to a pipelined message are ~60 octets, and the
    // reply text is kept only for diagnostics (the default is sized for a
    // desktop client).
    config.reply_text_capacity = 128;
    config.recv_capacity = 256;

    if (Client::min_storage(config) > kStorage) {
        std::fprintf(stderr, "bulk_sender: the engine needs %zu octets of storage\n", Client::min_storage(config));
        return 1;
    }
    const long rss_before = rss_kib();
    // The caller's storage for every engine: one array, no allocation per session.
    std::unique_ptr<Session[]> all(new Session[sessions]);
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    for (unsigned i = 0; i < sessions; ++i) {
        Session& s = all[i];
        new (s.engine) Client(config, MutableBytes(s.storage, sizeof s.storage));
        s.left = static_cast<unsigned>(messages / sessions + (i < messages % sessions ? 1 : 0));
        s.fd = connect_to(port);
        if (s.fd < 0) {
            std::perror("bulk_sender: connect");
            return 1;
        }
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLET;  // edge-triggered: pump() works until EAGAIN
        ev.data.ptr = &s;
        epoll_ctl(ep, EPOLL_CTL_ADD, s.fd, &ev);
        ++sender.totals.open;
    }

    const std::uint64_t t0 = now_us();
    long rss_peak = 0;
    std::vector<epoll_event> events(1024);
    while (sender.totals.open > 0) {
        const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
        const Millis now = static_cast<Millis>(now_us() / 1000);
        for (int k = 0; k < n; ++k) {
            Session& s = *static_cast<Session*>(events[static_cast<std::size_t>(k)].data.ptr);
            if (s.fd < 0) continue;
            s.client().handle_timeout(now);
            if (!sender.pump(s)) {
                ::close(s.fd);
                s.fd = -1;
                --sender.totals.open;
            }
        }
        if (sender.totals.accepted > messages / 2 && rss_peak == 0) rss_peak = rss_kib();
        if (n == 0) break;  // a second with nothing to do: the sink went away
    }
    const double seconds = static_cast<double>(now_us() - t0) / 1e6;
    if (rss_peak == 0) rss_peak = rss_kib();

    Totals& t = sender.totals;
    std::printf("sessions %u messages %lu accepted %lu rejected %lu in %.2f s: %.0f msgs/s\n", sessions, messages,
                t.accepted, t.rejected, seconds, static_cast<double>(t.accepted) / seconds);
    std::printf("engine bytes/session %zu (Client %zu + storage %zu); RSS/session %.0f bytes\n",
                sizeof(Client) + kStorage, sizeof(Client), kStorage,
                static_cast<double>(rss_peak - rss_before) * 1024.0 / sessions);
    std::printf("submit->accepted p50 %u us p99 %u us\n", percentile(t.latencies_us, 0.50),
                percentile(t.latencies_us, 0.99));
    return t.accepted == messages ? 0 : 1;
}
