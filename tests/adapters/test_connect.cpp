// connect_addresses(): every address is tried, families interleaved, on
// loopback only (::1 and 127.0.0.1).
#include <doctest/doctest.h>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <chrono>
#include <string>
#include <thread>

#include "resolve.hpp"
#include "smtpcore/adapters/posix_socket.hpp"

using namespace smtpcore::adapters;

namespace {

/// A listening socket on the loopback address of `family`, any free port.
struct Listener {
    int fd = -1;
    int port = 0;
    explicit Listener(int family) {
        fd = socket(family, SOCK_STREAM, 0);
        sockaddr_storage ss{};
        socklen_t len = 0;
        if (family == AF_INET6) {
            auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
            a->sin6_family = AF_INET6;
            a->sin6_addr = in6addr_loopback;
            len = sizeof *a;
        } else {
            auto* a = reinterpret_cast<sockaddr_in*>(&ss);
            a->sin_family = AF_INET;
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            len = sizeof *a;
        }
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0);
        REQUIRE(listen(fd, 4) == 0);
        getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
        port = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    }
    ~Listener() { close(fd); }
};

/// Two resolved addresses chained in the given order, as getaddrinfo would return them.
struct AddressList {
    addrinfo* first = nullptr;
    addrinfo* second = nullptr;
    AddressList(const char* a, const char* b, int port) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICHOST;
        const std::string p = std::to_string(port);
        REQUIRE(getaddrinfo(a, p.c_str(), &hints, &first) == 0);
        REQUIRE(getaddrinfo(b, p.c_str(), &hints, &second) == 0);
        first->ai_next = second;
    }
    ~AddressList() {
        first->ai_next = nullptr;
        freeaddrinfo(first);
        freeaddrinfo(second);
    }
};

int peer_family(const PosixSocket& s) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getpeername(s.handle(), reinterpret_cast<sockaddr*>(&ss), &len);
    return ss.ss_family;
}

}  // namespace

TEST_CASE("IPv6 first, refused; the IPv4 address that listens is used") {
    Listener v4(AF_INET);
    AddressList list("::1", "127.0.0.1", v4.port);
    auto s = connect_addresses(list.first, 2000, "test");
    CHECK(peer_family(*s) == AF_INET);
}

TEST_CASE("IPv4 first, refused; the IPv6 address that listens is used") {
    Listener v6(AF_INET6);
    AddressList list("127.0.0.1", "::1", v6.port);
    auto s = connect_addresses(list.first, 2000, "test");
    CHECK(peer_family(*s) == AF_INET6);
}

TEST_CASE("nothing listens: the error names every address tried") {
    int port = 0;
    {
        Listener gone(AF_INET);  // a port that was free a moment ago
        port = gone.port;
    }
    AddressList list("::1", "127.0.0.1", port);
    try {
        connect_addresses(list.first, 2000, "test");
        FAIL("connected to nothing");
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        CHECK(what.find("[::1]:" + std::to_string(port)) != std::string::npos);
        CHECK(what.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
    }
}

TEST_CASE("HOST:PORT parsing") {
    std::string h, p;
    split_host_port("[2001:db8::1]:465", "587", h, p);
    CHECK((h == "2001:db8::1" && p == "465"));
    split_host_port("mail.example.com", "587", h, p);
    CHECK((h == "mail.example.com" && p == "587"));
    split_host_port("::1", "25", h, p);
    CHECK((h == "::1" && p == "25"));
    CHECK_THROWS_AS(split_host_port("[::1", "25", h, p), std::invalid_argument);
}

TEST_CASE("a socket's error text is its own copy, not strerror's shared buffer (item 12)") {
    int pair[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    close(pair[1]);
    PosixSocket s(pair[0]);
    const char text[] = "x";
    CHECK(s.write(smtpcore::Bytes(text, 1)).status == IoStatus::Failed);  // EPIPE, and no SIGPIPE
    const std::string first = s.error();
    CHECK(first == std::strerror(EPIPE));
    CHECK(s.error() != std::strerror(EPIPE));  // not the pointer strerror hands out
    (void)std::strerror(EINVAL);
    CHECK(std::string(s.error()) == first);
}

namespace {
int slow_resolver(const char*, const char*, const addrinfo*, addrinfo** out) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    *out = nullptr;
    return EAI_AGAIN;
}
}  // namespace

TEST_CASE("name resolution is bounded by the connect timeout (item 12)") {
    const smtpcore::Millis start = monotonic_ms();
    try {
        detail::resolve("slow.example", "25", 100, &slow_resolver);
        FAIL("resolved");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).find("no answer within 100 ms") != std::string::npos);
    }
    CHECK(monotonic_ms() - start < 1000);  // did not wait for the resolver
    const detail::AddressList list = detail::resolve("127.0.0.1", "25", 1000);
    REQUIRE(list != nullptr);
    CHECK(list->ai_family == AF_INET);
}

namespace {
int no_such_name(const char*, const char*, const addrinfo*, addrinfo** out) {
    *out = nullptr;
    return EAI_NONAME;
}
}  // namespace

// smtpcore-send tells "no such host" (68) from "try later" (75) by this code,
// with the same bounded resolver everyone uses.
TEST_CASE("a resolver failure says getaddrinfo's code; no answer in time is EAI_AGAIN") {
    try {
        detail::resolve("missing.example", "25", 1000, &no_such_name);
        FAIL("resolved");
    } catch (const ResolveError& e) {
        CHECK(e.code() == EAI_NONAME);
        CHECK(std::string(e.what()).find("cannot resolve missing.example") != std::string::npos);
    }
    try {
        detail::resolve("slow.example", "25", 50, &slow_resolver);
        FAIL("resolved");
    } catch (const ResolveError& e) {
        CHECK(e.code() == EAI_AGAIN);
    }
    try {
        (void)connect_tcp("name.invalid", "25", 5000);
        FAIL("connected");
    } catch (const ResolveError& e) {
        CHECK(e.code() != 0);
    }
}
