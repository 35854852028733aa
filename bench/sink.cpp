// bench/sink: a small SMTP sink for benchmarks, so that the server is not
// what limits a fast client (Postfix's smtp-sink spends tens of µs per
// message). One thread, epoll, loopback only.
//
//   sink [--port N] [--max-connections N] [--no-chunking]
//
// It prints "port N" once listening, then on SIGUSR1 one line of running
// totals (messages, content bytes, client flights, connections, its own CPU
// in µs), and exits on SIGTERM or SIGINT after printing them once more.
// The content is discarded.
//
// Protocol (enough for a client benchmark, not a mail server):
//  - EHLO announces PIPELINING (RFC 2920), 8BITMIME (RFC 6152), CHUNKING
//    (RFC 3030) and SIZE (RFC 1870); HELO, MAIL, RCPT, RSET, NOOP get 250.
//  - DATA: 354, then the content up to CRLF.CRLF (RFC 5321 §4.1.1.4), 250.
//  - BDAT n [LAST]: n octets of content, 250 per chunk (RFC 3030 §2).
//  - Replies to everything read in one go leave in one write (RFC 2920 §3.1
//    lets a server batch them), so a pipelining client sees one flight.
// A "flight" is data arriving from the client after the sink has written
// (or for the first time): the number of client round trips it took.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {


struct Totals {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;    // message content, without the DATA terminator
    std::uint64_t flights = 0;  // client flights (see the top of the file)
    std::uint64_t commands = 0;
    std::uint64_t connections = 0;
    std::uint64_t refused = 0;  // over the connection limit
};
Totals g_totals;

enum class Mode : std::uint8_t { Command, Data, Chunk };

struct Session {
    int fd = -1;
    Mode mode = Mode::Command;
    bool replied = true;     // the sink wrote since the client's last data
    bool chunk_last = false;
    bool closing = false;    // close once the output is written
    bool watching_out = false;  // EPOLLOUT is registered
    std::uint8_t dot_state = 0;  // how much of CRLF "." CRLF has been seen
    std::uint64_t chunk_left = 0;
    std::string line;  // a command line split across reads
    std::string out;   // replies not yet written
};

constexpr char kEhlo[] =
    "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 0\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n"
    "250 SMTPUTF8\r\n";
constexpr char kEhloNoChunking[] =
    "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 0\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n";
bool g_chunking = true;

bool starts_with_ci(std::string_view s, std::string_view word) {
    if (s.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (c != word[i]) return false;
    }
    return s.size() == word.size() || s[word.size()] == ' ';
}

void finish_chunk(Session& s) {
    s.mode = Mode::Command;
    if (s.chunk_last) ++g_totals.messages;
    s.out += "250 2.0.0 chunk ok\r\n";
}

// One command line (without CRLF).
void command(Session& s, std::string_view cmd) {
    ++g_totals.commands;
    if (starts_with_ci(cmd, "EHLO")) {
        s.out += g_chunking ? kEhlo : kEhloNoChunking;
    } else if (starts_with_ci(cmd, "HELO")) {
        s.out += "250 sink\r\n";
    } else if (starts_with_ci(cmd, "MAIL") || starts_with_ci(cmd, "RCPT") || starts_with_ci(cmd, "RSET") ||
               starts_with_ci(cmd, "NOOP")) {
        s.out += "250 2.0.0 ok\r\n";
    } else if (starts_with_ci(cmd, "DATA")) {
        s.out += "354 go ahead\r\n";
        s.mode = Mode::Data;
        s.dot_state = 2;  // the content starts as if after a CRLF
    } else if (g_chunking && starts_with_ci(cmd, "BDAT")) {
        const char* p = cmd.data() + 5;
        char* end = nullptr;
        const std::string arg(p, cmd.size() > 5 ? cmd.size() - 5 : 0);
        const unsigned long long n = std::strtoull(arg.c_str(), &end, 10);
        s.chunk_left = n;
        s.chunk_last = end != nullptr && std::strstr(end, "LAST") != nullptr;
        g_totals.bytes += n;
        s.mode = Mode::Chunk;
        if (n == 0) finish_chunk(s);
    } else if (starts_with_ci(cmd, "QUIT")) {
        s.out += "221 2.0.0 bye\r\n";
        s.closing = true;
    } else {
        s.out += "500 5.5.2 unknown command\r\n";
    }
}

// Consumes DATA content; returns how many octets of `p` it took.
std::size_t data(Session& s, const char* p, std::size_t n) {
    static constexpr char kEnd[] = "\r\n.\r\n";
    std::size_t i = 0;
    while (i < n) {
        if (s.dot_state == 0) {  // skip to the next CR
            const void* cr = std::memchr(p + i, '\r', n - i);
            if (cr == nullptr) {
                i = n;
                break;
            }
            i = static_cast<std::size_t>(static_cast<const char*>(cr) - p);
        }
        const char c = p[i++];
        if (c == kEnd[s.dot_state]) {
            if (++s.dot_state == 5) {
                ++g_totals.messages;
                s.out += "250 2.0.0 queued\r\n";
                s.mode = Mode::Command;
                s.dot_state = 0;
                return i;
            }
        } else {
            s.dot_state = c == '\r' ? 1 : 0;
        }
    }
    return i;
}

void on_input(Session& s, const char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n && !s.closing) {
        if (s.mode == Mode::Data) {
            const std::size_t took = data(s, p + i, n - i);
            g_totals.bytes += took;
            i += took;
            if (s.mode == Mode::Command) g_totals.bytes -= 3;  // "." CRLF (the CRLF before it is content)
            continue;
        }
        if (s.mode == Mode::Chunk) {
            const std::size_t take = s.chunk_left < n - i ? static_cast<std::size_t>(s.chunk_left) : n - i;
            s.chunk_left -= take;
            i += take;
            if (s.chunk_left == 0) finish_chunk(s);
            continue;
        }
        const void* lf = std::memchr(p + i, '\n', n - i);
        if (lf == nullptr) {
            s.line.append(p + i, n - i);
            if (s.line.size() > 4096) s.closing = true;  // not a client
            break;
        }
        const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(lf) - p);
        std::string_view cmd;
        if (s.line.empty()) {
            cmd = std::string_view(p + i, end - i);
        } else {
            s.line.append(p + i, end - i);
            cmd = s.line;
        }
        if (!cmd.empty() && cmd.back() == '\r') cmd.remove_suffix(1);
        i = end + 1;
        command(s, cmd);
        s.line.clear();
    }
}

// Writes what it can; false when the connection is to be closed.
bool flush(Session& s) {
    while (!s.out.empty()) {
        const ssize_t w = ::send(s.fd, s.out.data(), s.out.size(), MSG_NOSIGNAL);
        if (w < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
        s.out.erase(0, static_cast<std::size_t>(w));
        s.replied = true;
    }
    return !s.closing;
}

std::uint64_t cpu_us() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<std::uint64_t>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
           static_cast<std::uint64_t>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

void report() {
    std::printf("messages %llu bytes %llu flights %llu commands %llu connections %llu refused %llu cpu_us %llu\n",
                static_cast<unsigned long long>(g_totals.messages), static_cast<unsigned long long>(g_totals.bytes),
                static_cast<unsigned long long>(g_totals.flights), static_cast<unsigned long long>(g_totals.commands),
                static_cast<unsigned long long>(g_totals.connections),
                static_cast<unsigned long long>(g_totals.refused), static_cast<unsigned long long>(cpu_us()));
    std::fflush(stdout);
}

void usage() {
    std::fprintf(stderr, "usage: sink [--port N] [--max-connections N] [--no-chunking]\n");
    std::exit(64);
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0;
    long max_connections = 1024;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--port" && i + 1 < argc) port = std::atoi(argv[++i]);
        else if (a == "--max-connections" && i + 1 < argc) max_connections = std::atol(argv[++i]);
        else if (a == "--no-chunking") g_chunking = false;
        else usage();
    }
    // Room for every session's descriptor (10,000 sessions need more than the
    // usual soft limit of 1024).
    rlimit nofile{};
    getrlimit(RLIMIT_NOFILE, &nofile);
    const rlim_t want = static_cast<rlim_t>(max_connections) + 64;
    if (nofile.rlim_cur < want) {
        nofile.rlim_cur = want < nofile.rlim_max ? want : nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }

    // The signals arrive through a descriptor in the epoll set, so none is
    // lost between two epoll_wait calls.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int sfd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);

    const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 4096) != 0) {
        std::perror("sink: bind/listen");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
    std::printf("port %d\n", ntohs(addr.sin_port));
    std::fflush(stdout);

    const int ep = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;  // the listener
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    static Session signal_marker;
    ev.data.ptr = &signal_marker;
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

    long open_sessions = 0;
    std::vector<epoll_event> events(256);
    static char buf[256 * 1024];
    bool stop = false;
    while (!stop) {
        const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
        for (int k = 0; k < n; ++k) {
            auto* s = static_cast<Session*>(events[static_cast<std::size_t>(k)].data.ptr);
            if (s == &signal_marker) {
                signalfd_siginfo info{};
                while (::read(sfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
                    if (info.ssi_signo == SIGUSR1) report();
                    else stop = true;
                }
                continue;
            }
            if (s == nullptr) {  // accept all that wait
                for (;;) {
                    const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    if (open_sessions >= max_connections) {
                        static const char busy[] = "421 4.7.0 too many connections\r\n";
                        (void)!::send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
                        ::close(fd);
                        ++g_totals.refused;
                        continue;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    auto* ns = new Session;
                    ns->fd = fd;
                    ns->out = "220 sink ESMTP\r\n";
                    ++open_sessions;
                    ++g_totals.connections;
                    epoll_event cev{};
                    cev.events = EPOLLIN;
                    cev.data.ptr = ns;
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                    flush(*ns);
                }
                continue;
            }
            bool alive = true;
            if (events[static_cast<std::size_t>(k)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                for (;;) {
                    const ssize_t r = ::recv(s->fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        if (s->replied) ++g_totals.flights;
                        s->replied = false;
                        on_input(*s, buf, static_cast<std::size_t>(r));
                        if (static_cast<std::size_t>(r) < sizeof buf) break;
                        continue;
                    }
                    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) alive = false;
                    break;
                }
            }
            if (alive) alive = flush(*s);
            if (alive && s->watching_out != !s->out.empty()) {
                s->watching_out = !s->out.empty();
                epoll_event mev{};
                mev.events = EPOLLIN | (s->out.empty() ? 0u : static_cast<unsigned>(EPOLLOUT));
                mev.data.ptr = s;
                epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &mev);
            } else if (!alive) {
                ::close(s->fd);
                delete s;
                --open_sessions;
            }
        }
    }
    report();
    return 0;
}
