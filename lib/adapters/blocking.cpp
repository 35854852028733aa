// The blocking loop: the Driver plus poll(2). Sleeps until the socket is ready
// or the engine's deadline() (RFC 5321 §4.5.3.2 timeouts) comes.
#include "smtpcore/adapters/blocking.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>

#include "errno_text.hpp"
#include "wait.hpp"

namespace smtpcore::adapters {

#ifdef _WIN32
namespace {
// WSAPoll reports an established socket's readiness, hang-up and errors
// like poll(2) (only a pending connect is beyond it: winsock_socket.cpp).
// Its failures come from WSAGetLastError(): carried over as errno values.
int wsa_poll(pollfd* fds, nfds_t count, int timeout) {
    const int r = WSAPoll(fds, count, timeout);
    if (r == SOCKET_ERROR) errno = WSAGetLastError() == WSAENOBUFS ? ENOMEM : EINVAL;
    return r;
}
}  // namespace
void run_blocking(Driver& driver) { detail::run_blocking_with(driver, &wsa_poll); }
#else
void run_blocking(Driver& driver) { detail::run_blocking_with(driver, &::poll); }
#endif

namespace detail {

void run_blocking_with(Driver& driver, PollFunction wait) {
    while (!driver.finished()) {
        const Millis now = monotonic_ms();
        driver.step(now);
        if (driver.finished()) break;
        const Interest interest = driver.interest();
        const Millis wake = driver.wake_at();
        int timeout = wake == kNever ? -1 : wake <= now ? 0 : static_cast<int>(std::min<Millis>(wake - now, INT_MAX));
        // Waiting on nothing with no deadline cannot end: look again each second.
        if (!interest.read && !interest.write && timeout < 0) timeout = 1000;
        pollfd p{};
        p.fd = static_cast<decltype(p.fd)>(driver.handle());  // a SOCKET on Windows
        if (interest.read) p.events |= POLLIN;
        if (interest.write) p.events |= POLLOUT;
        if (wait(&p, 1, timeout) < 0 && errno != EINTR) {
            // Without a working wait the loop cannot go on; ending the session
            // through the Driver reports the message in flight (unknown once
            // its end of data left) instead of returning with no outcome.
            driver.abandon("poll: " + errno_text(errno));
        }
    }
}

}  // namespace detail
}  // namespace smtpcore::adapters
