// The non-blocking Driver inside your own poll(2) loop, next to your other
// file descriptors (here: standard input, echoed while the mail goes out).
// The same three calls fit epoll, kqueue or an RTOS select loop:
//   driver.step(now)       do every bit of work possible now
//   driver.interest()      wait for readable / writable on driver.handle()
//   driver.wake_at()       ... or until this time (the engine's timeouts)
//
//   poll_loop HOST:PORT FROM TO       (plaintext: for a local test server)
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <string_view>

#include <smtpcore/adapters/blocking.hpp>

using namespace smtpcore;
using namespace smtpcore::adapters;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s HOST:PORT FROM TO\n", argv[0]);
        return 64;
    }
    SendOptions options;
    options.tls = TlsMode::None;
    Config config = make_config(options);
    static char storage[16 * 1024];  // the engine's whole memory
    Client client(config, MutableBytes(storage, sizeof storage));

    const std::string_view to[] = {argv[3]};
    BufferSource body(as_bytes("Subject: from a poll loop\r\n\r\nSent without blocking anyone.\r\n"));
    bool sent = false;
    DriverHooks hooks;
    hooks.next_message = [&](const Client&, Outgoing& next) {
        if (sent) return false;  // one message, then QUIT
        sent = true;
        next.envelope.from = argv[2];
        next.envelope.recipients = Span<const std::string_view>(to);
        next.body = body.source();
        return true;
    };
    hooks.on_event = [](const Event& e) {
        std::printf("event %s %u %.*s\n", to_string(e.type), e.code, int(e.text.size()), e.text.data());
    };

    Connection c = open_connection(argv[1], options);  // throws if it cannot connect
    Driver driver(client, std::move(c.transport), std::move(c.tls), std::move(hooks));

    bool stdin_open = true;
    while (!driver.finished()) {
        const Millis now = monotonic_ms();
        driver.step(now);
        if (driver.finished()) break;
        const Interest want = driver.interest();
        pollfd fds[2] = {{driver.handle(), 0, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
        if (want.read) fds[0].events |= POLLIN;
        if (want.write) fds[0].events |= POLLOUT;
        const Millis wake = driver.wake_at();
        const int timeout = wake == kNever ? -1 : wake <= now ? 0 : int(std::min<Millis>(wake - now, INT_MAX));
        poll(fds, 2, timeout);
        if (fds[1].revents & POLLIN) {  // the application's own work goes on meanwhile
            char line[256];
            const ssize_t n = read(STDIN_FILENO, line, sizeof line);
            if (n > 0) std::printf("stdin: %.*s", int(n), line);
            else stdin_open = false;
        }
    }
    return client.last_error() ? 1 : 0;
}
