// bench/noop_probe: the round-trip floor of a loopback SMTP server. One
// connection; after EHLO, N times: write "NOOP", read its 250. No client does
// fewer than one round trip per message, so round trips per second bound the
// messages per second of any client that waits for each message's reply.
//
//   noop_probe PORT N        prints "round_trips_per_s X"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Reads until a reply's last line ("ddd " ... CRLF) has arrived.
bool read_reply(int fd) {
    char buf[4096];
    std::size_t have = 0;
    for (;;) {
        const ssize_t r = ::recv(fd, buf + have, sizeof buf - have, 0);
        if (r <= 0) return false;
        have += static_cast<std::size_t>(r);
        // The last line starts at the start or after a LF and has a space at 3.
        if (have < 2 || buf[have - 1] != '\n') continue;
        std::size_t start = have - 1;
        while (start > 0 && buf[start - 1] != '\n') --start;
        if (have - start >= 4 && buf[start + 3] == ' ') return true;
        if (have == sizeof buf) have = 0;
    }
}

bool command(int fd, const char* line) {
    const std::size_t n = std::strlen(line);
    return ::send(fd, line, n, MSG_NOSIGNAL) == static_cast<ssize_t>(n) && read_reply(fd);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: noop_probe PORT N\n");
        return 64;
    }
    const long n = std::atol(argv[2]);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<unsigned short>(std::atoi(argv[1])));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || !read_reply(fd) ||
        !command(fd, "EHLO probe\r\n")) {
        std::perror("noop_probe: connect");
        return 1;
    }
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) {
        if (!command(fd, "NOOP\r\n")) {
            std::fprintf(stderr, "noop_probe: connection lost after %ld\n", i);
            return 1;
        }
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    command(fd, "QUIT\r\n");
    ::close(fd);
    std::printf("round_trips_per_s %.0f\n", static_cast<double>(n) / s);
    return 0;
}
