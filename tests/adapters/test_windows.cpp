// The Windows adapters (built by the mingw-w64 cross build, run under wine):
// the Winsock transport over loopback, UTF-8 file names through the wide
// API, and the Schannel backend's refusals before any handshake. The TLS
// sessions themselves run in the CLI interop cases (scripts/test-windows).
#include <winsock2.h>
#include <ws2tcpip.h>

#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "smtpcore/adapters/file_source.hpp"
#include "smtpcore/adapters/posix_socket.hpp"
#include "smtpcore/adapters/tls.hpp"
#include "schannel_verify.hpp"
#include "win_text.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;

namespace {

// A listening socket on 127.0.0.1 with a port of the system's choice.
struct Listener {
    SOCKET s = INVALID_SOCKET;
    int port = 0;
    Listener() {
        ensure_winsock();
        s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int size = sizeof a;
        REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(s, 4) == 0);
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &size);
        port = ntohs(a.sin_port);
    }
    ~Listener() { closesocket(s); }
};

// Reads until `want` bytes or a non-Ok status; waits with select() meanwhile.
std::string read_some(Transport& t, std::size_t want, IoStatus& last) {
    std::string got;
    char buf[256];
    for (int i = 0; i < 200 && got.size() < want; ++i) {
        const IoResult r = t.read(MutableBytes(buf, sizeof buf));
        last = r.status;
        if (r.status == IoStatus::Ok) got.append(buf, r.size);
        else if (r.status == IoStatus::WouldBlock) Sleep(10);
        else break;
    }
    return got;
}

}  // namespace

TEST_CASE("winsock: connect_tcp reaches a loopback listener; bytes both ways; the peer's close is Eof") {
    Listener l;
    auto t = connect_tcp("127.0.0.1", std::to_string(l.port), 3000);
    const SOCKET peer = accept(l.s, nullptr, nullptr);
    REQUIRE(peer != INVALID_SOCKET);
    const IoResult w = t->write(Bytes("EHLO x\r\n", 8));
    CHECK(w.status == IoStatus::Ok);
    CHECK(w.size == 8);
    char buf[16] = {};
    CHECK(recv(peer, buf, sizeof buf, 0) == 8);
    CHECK(std::string(buf, 8) == "EHLO x\r\n");
    send(peer, "250 ok\r\n", 8, 0);
    IoStatus last = IoStatus::Ok;
    CHECK(read_some(*t, 8, last) == "250 ok\r\n");
    // Nothing more yet: WouldBlock, the socket is non-blocking.
    const IoResult idle = t->read(MutableBytes(buf, sizeof buf));
    CHECK(idle.status == IoStatus::WouldBlock);
    closesocket(peer);
    read_some(*t, 1, last);
    CHECK(last == IoStatus::Eof);
}

TEST_CASE("winsock: a refused connect is seen at once through select()'s except set, in POSIX words") {
    int port = 0;
    {
        Listener l;  // a port that was free a moment ago, now closed
        port = l.port;
    }
    const Millis start = monotonic_ms();
    std::string what;
    try {
        connect_tcp("127.0.0.1", std::to_string(port), 20000);
    } catch (const std::runtime_error& e) {
        what = e.what();
    }
    CHECK(what.find("cannot connect to 127.0.0.1 port " + std::to_string(port)) != std::string::npos);
    CHECK(what.find("Connection refused") != std::string::npos);
    // Far below the 20 s attempt timeout: the failure itself ended the wait
    // (WSAPoll would have reported nothing until the timeout).
    CHECK(monotonic_ms() - start < 10000);
}

TEST_CASE("winsock: a name that does not resolve is a ResolveError with the EAI code (the CLI's exit 68)") {
    CHECK_THROWS_WITH_AS(connect_tcp("no-such-host.invalid", "25", 3000),
                         doctest::Contains("cannot resolve no-such-host.invalid"), ResolveError);
    try {
        connect_tcp("no-such-host.invalid", "25", 3000);
    } catch (const ResolveError& e) {
        CHECK((e.code() == EAI_NONAME || e.code() == EAI_FAIL));
    }
}

TEST_CASE("winsock: connect_addresses takes getaddrinfo's list (the CLI's path)") {
    Listener l;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    REQUIRE(getaddrinfo("127.0.0.1", std::to_string(l.port).c_str(), &hints, &list) == 0);
    auto t = connect_addresses(list, 3000, "test");
    freeaddrinfo(list);
    CHECK(t->handle() != static_cast<int>(INVALID_SOCKET));
    const SOCKET peer = accept(l.s, nullptr, nullptr);
    CHECK(peer != INVALID_SOCKET);
    closesocket(peer);
}

TEST_CASE("FileSource opens a UTF-8 file name through the wide API and reads bytes unchanged") {
    const std::string name = "smtpcore-t\xc3\xa9st-\xe2\x82\xac.bin";  // "smtpcore-tést-€.bin"
    const std::wstring wide = detail::widen(name);
    REQUIRE(!wide.empty());
    const std::string content("line\r\n\x1a" "after Ctrl-Z\n", 20);
    std::FILE* f = _wfopen(wide.c_str(), L"wb");
    REQUIRE(f != nullptr);
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
    {
        FileSource source(name);
        REQUIRE(source.ok());
        CHECK(source.size() == content.size());
        char buf[64];
        std::string got;
        for (ReadResult r = source.read(MutableBytes(buf, sizeof buf)); r.status == ReadStatus::Data;
             r = source.read(MutableBytes(buf, sizeof buf)))
            got.append(buf, r.size);
        CHECK(got == content);  // binary mode: no CRLF folding, no stop at Ctrl-Z
    }
    _wremove(wide.c_str());
    FileSource missing(name);
    CHECK(!missing.ok());
    CHECK(missing.error().find(name) != std::string::npos);
}

TEST_CASE("peer names on Windows: the inet_aton forms through inet_addr") {
    CHECK(normalize_peer_name("127.1").name == "127.0.0.1");
    CHECK(normalize_peer_name("0x7f.0.0.1").is_ip);
    CHECK(normalize_peer_name("255.255.255.255").is_ip);
    CHECK(!normalize_peer_name("mail.example.org.").is_ip);
    CHECK(normalize_peer_name("::1").is_ip);
}

TEST_CASE("schannel: verification without a name is refused before any handshake") {
    TlsOptions o;
    o.verify = true;
    auto tls = make_schannel_tls(o);
    CHECK(!tls->start());
    CHECK(tls->error().find("cannot verify the server") != std::string::npos);
}

TEST_CASE("schannel: a CA file that is missing or holds no certificate is an error, even with --insecure") {
    TlsOptions o;
    o.server_name = "localhost";
    o.verify = false;
    o.ca_file = "no-such-ca-file.pem";
    CHECK_THROWS_WITH_AS(make_schannel_tls(o), doctest::Contains("cannot load CA file"), std::runtime_error);
    std::FILE* f = std::fopen("smtpcore-not-pem.txt", "wb");
    REQUIRE(f != nullptr);
    std::fputs("not a certificate\n", f);
    std::fclose(f);
    o.ca_file = "smtpcore-not-pem.txt";
    CHECK_THROWS_WITH_AS(make_schannel_tls(o), doctest::Contains("no PEM certificate"), std::runtime_error);
    std::remove("smtpcore-not-pem.txt");
    o.ca_file.clear();
    o.ca_file_only = true;
    CHECK_THROWS_AS(make_schannel_tls(o), std::runtime_error);
}

TEST_CASE("schannel: start() then the first handshake step queues a ClientHello record") {
    TlsOptions o;
    o.server_name = "localhost";
    auto tls = make_schannel_tls(o);
    REQUIRE(tls->start());
    CHECK(tls->handshake() == HandshakeStatus::InProgress);
    REQUIRE(tls->cipher_pending());
    char buf[4096];
    const std::size_t n = tls->take_cipher(MutableBytes(buf, sizeof buf));
    REQUIRE(n > 5);
    CHECK(buf[0] == 0x16);  // a handshake record
    CHECK(buf[5] == 0x01);  // ClientHello
    // The SNI extension carries the name (RFC 6066 §3).
    CHECK(std::string(buf, n).find("localhost") != std::string::npos);
}

TEST_CASE("make_tls: Schannel is built and the default on Windows; the libraries not built are refused") {
    CHECK(default_tls_library == TlsLibrary::Schannel);
    CHECK(tls_library_built(TlsLibrary::Schannel));
    CHECK(!tls_library_built(TlsLibrary::OpenSsl));
    TlsOptions o;
    o.server_name = "localhost";
    auto tls = make_tls(default_tls_library, o);
    REQUIRE(tls);
    CHECK(tls->start());
    CHECK_THROWS_WITH_AS(make_tls(TlsLibrary::OpenSsl, o), doctest::Contains("no OpenSSL backend"), std::runtime_error);
}

TEST_CASE("schannel: DNS names match as RFC 9525 says (whole left-most wildcard label only)") {
    using detail::dns_name_matches;
    CHECK(dns_name_matches("mail.example.test", "MAIL.Example.test"));
    CHECK(dns_name_matches("*.example.test", "mail.example.test"));
    CHECK(!dns_name_matches("*.example.test", "a.mail.example.test"));  // one label only
    CHECK(!dns_name_matches("*.example.test", "example.test"));
    CHECK(!dns_name_matches("f*.example.test", "foo.example.test"));  // partial wildcard
    CHECK(!dns_name_matches("other.example", "localhost"));
}

TEST_CASE("schannel: plaintext where the server's first TLS record should be fails the handshake at once") {
    TlsOptions o;
    o.server_name = "localhost";
    auto tls = make_schannel_tls(o);
    REQUIRE(tls->start());
    REQUIRE(tls->handshake() == HandshakeStatus::InProgress);
    char buf[4096];
    tls->take_cipher(MutableBytes(buf, sizeof buf));
    const std::string reply = "250 this is not TLS\r\n";
    tls->feed_cipher(Bytes(reply.data(), reply.size()));
    CHECK(tls->handshake() == HandshakeStatus::Failed);
    CHECK(tls->error().find("not a TLS record") != std::string::npos);
}
