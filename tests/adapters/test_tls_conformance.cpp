// The rules every TLS backend keeps (tls.hpp, docs/adapters.md "Writing
// another backend"), run against each backend built in, and against the
// mbedTLS backend once more with its I/O callbacks interrupted on every
// first attempt (mbedTLS's nbio=2 test mode): an in-memory OpenSSL server
// with certificates from a CA made at run time, pumped byte for byte.
#include <doctest/doctest.h>

#include <openssl/ssl.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "smtpcore/adapters/tls.hpp"
#include "tls_peer.hpp"
#if SMTPCORE_TLS_MBEDTLS
#include "mbedtls_tls.hpp"
#endif

using namespace smtpcore;
using namespace smtpcore::adapters;
using smtpcore::test::Leaf;
using smtpcore::test::TestCa;
using smtpcore::test::TlsServerPeer;

namespace {

struct OpenSslBackend {
    static std::unique_ptr<TlsBackend> make(const TlsOptions& o) { return make_openssl_tls(o); }
};
#if SMTPCORE_TLS_MBEDTLS
struct MbedTlsBackend {
    static std::unique_ptr<TlsBackend> make(const TlsOptions& o) { return make_mbedtls_tls(o); }
};
struct MbedTlsInterrupted {
    static std::unique_ptr<TlsBackend> make(const TlsOptions& o) { return detail::make_mbedtls_tls_interrupted(o); }
};
#endif

template <typename Backend>
std::unique_ptr<TlsBackend> client_for(const TestCa& ca, const std::string& name, bool verify = true) {
    TlsOptions o;
    o.server_name = name;
    o.verify = verify;
    o.ca_file = ca.pem_file();
    return Backend::make(o);
}

/// One handshake of a client for `name` against a server whose certificate
/// (from `ca`) has subject CN `cn` and subjectAltName `san`.
struct Attempt {
    HandshakeStatus status;
    std::string sni;    ///< what the server received as SNI
    std::string error;  ///< the client's error text
};
template <typename Backend>
Attempt handshake_with(const TestCa& ca, const std::string& cn, const std::string& san, const std::string& name) {
    const Leaf leaf = ca.issue(cn, san);
    TlsServerPeer server(leaf);
    auto client = client_for<Backend>(ca, name);
    REQUIRE(client->start());
    const HandshakeStatus status = server.handshake(*client);
    return Attempt{status, server.sni, client->error()};
}

/// A client for "localhost" connected to a server with a certificate for it.
template <typename Backend>
struct Connected {
    TestCa ca;
    Leaf leaf = ca.issue("localhost", "DNS:localhost");
    TlsServerPeer server;
    std::unique_ptr<TlsBackend> client = client_for<Backend>(ca, "localhost");
    explicit Connected(int max_version = 0) : server(leaf, max_version) {
        REQUIRE(client->start());
        REQUIRE(server.handshake(*client) == HandshakeStatus::Done);
    }
};

std::string read_all(TlsBackend& client, IoStatus& last) {
    std::string got;
    char buf[256];
    for (;;) {
        const IoResult r = client.read(MutableBytes(buf, sizeof buf));
        last = r.status;
        if (r.status != IoStatus::Ok) return got;
        got.append(buf, r.size);
    }
}

}  // namespace

TYPE_TO_STRING(OpenSslBackend);
#if SMTPCORE_TLS_MBEDTLS
TYPE_TO_STRING(MbedTlsBackend);
TYPE_TO_STRING(MbedTlsInterrupted);
#define SMTPCORE_BACKENDS OpenSslBackend, MbedTlsBackend, MbedTlsInterrupted
#else
#define SMTPCORE_BACKENDS OpenSslBackend
#endif

TEST_CASE_TEMPLATE("a trusted certificate for the name: handshake done, SNI sent", B, SMTPCORE_BACKENDS) {
    TestCa ca;
    const Attempt a = handshake_with<B>(ca, "mail.example.test", "DNS:mail.example.test", "mail.example.test");
    CHECK(a.status == HandshakeStatus::Done);
    CHECK(a.sni == "mail.example.test");
}

TEST_CASE_TEMPLATE("a certificate from an untrusted CA fails the handshake", B, SMTPCORE_BACKENDS) {
    TestCa ca, stranger("a stranger's CA");
    const Leaf leaf = stranger.issue("localhost", "DNS:localhost");
    TlsServerPeer server(leaf);
    auto client = client_for<B>(ca, "localhost");
    REQUIRE(client->start());
    CHECK(server.handshake(*client) == HandshakeStatus::Failed);
    CHECK(client->error().find("certificate verification failed") != std::string::npos);
    // --insecure: the same certificate is taken, encryption without identity.
    TlsServerPeer again(leaf);
    auto insecure = client_for<B>(ca, "localhost", false);
    REQUIRE(insecure->start());
    CHECK(again.handshake(*insecure) == HandshakeStatus::Done);
}

TEST_CASE_TEMPLATE("verification without a server name is refused before the handshake (item 3)", B, SMTPCORE_BACKENDS) {
    TestCa ca;
    auto client = client_for<B>(ca, "");
    CHECK_FALSE(client->start());
    CHECK(client->error().find("no server name") != std::string::npos);
    // Without verification (--insecure) an empty name is allowed: nothing is checked anyway.
    auto insecure = client_for<B>(ca, "", false);
    CHECK(insecure->start());
}

TEST_CASE_TEMPLATE("host-name rules: whole-label wildcards only, never the subject CN (item 7)", B, SMTPCORE_BACKENDS) {
    TestCa ca;
    const Attempt partial = handshake_with<B>(ca, "f*.example.test", "DNS:f*.example.test", "foo.example.test");
    CHECK(partial.status == HandshakeStatus::Failed);
    CHECK(partial.error.find("hostname mismatch") != std::string::npos);
    // A left-most whole-label wildcard matches one label, and only one.
    CHECK(handshake_with<B>(ca, "wild", "DNS:*.example.test", "foo.example.test").status == HandshakeStatus::Done);
    CHECK(handshake_with<B>(ca, "wild", "DNS:*.example.test", "a.b.example.test").status == HandshakeStatus::Failed);
    CHECK(handshake_with<B>(ca, "x", "DNS:other.test,DNS:MAIL.Example.TEST", "mail.example.test").status == HandshakeStatus::Done);
    // No subjectAltName: the CN is never consulted.
    CHECK(handshake_with<B>(ca, "localhost", "", "localhost").status == HandshakeStatus::Failed);
    // A DNS name never matches an IP literal, nor an IP entry a host name.
    CHECK(handshake_with<B>(ca, "x", "DNS:127.0.0.1", "127.0.0.1").status == HandshakeStatus::Failed);
    CHECK(handshake_with<B>(ca, "x", "IP:127.0.0.1", "localhost").status == HandshakeStatus::Failed);
}

TEST_CASE_TEMPLATE("names are normalized before SNI and verification (item 6)", B, SMTPCORE_BACKENDS) {
    TestCa ca;
    // 127.1 is 127.0.0.1: checked against the IP SAN, no SNI.
    const Attempt short_v4 = handshake_with<B>(ca, "ip", "IP:127.0.0.1", "127.1");
    CHECK(short_v4.status == HandshakeStatus::Done);
    CHECK(short_v4.sni.empty());
    // fe80::1%lo is fe80::1: the zone is not part of the address.
    const Attempt zoned = handshake_with<B>(ca, "ip6", "IP:fe80::1", "fe80::1%lo");
    CHECK(zoned.status == HandshakeStatus::Done);
    CHECK(zoned.sni.empty());
    // localhost. is localhost, in SNI and in the check.
    const Attempt dotted = handshake_with<B>(ca, "localhost", "DNS:localhost", "localhost.");
    CHECK(dotted.status == HandshakeStatus::Done);
    CHECK(dotted.sni == "localhost");
    // An IP literal still has to match.
    CHECK(handshake_with<B>(ca, "ip", "IP:127.0.0.2", "127.1").status == HandshakeStatus::Failed);
}

TEST_CASE_TEMPLATE("a server limited to TLS 1.1 is refused: TLS 1.2 is the minimum", B, SMTPCORE_BACKENDS) {
    TestCa ca;
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    TlsServerPeer server(leaf, TLS1_1_VERSION);
    SSL_set_security_level(server.ssl(), 0);  // let the server offer 1.1 at all
    auto client = client_for<B>(ca, "localhost");
    REQUIRE(client->start());
    CHECK(server.handshake(*client) == HandshakeStatus::Failed);
}

TEST_CASE_TEMPLATE("end of stream: with close_notify, and without it (item 5)", B, SMTPCORE_BACKENDS) {
    Connected<B> c;
    TlsServerPeer& server = c.server;
    auto& client = c.client;
    server.send("250 2.0.0 queued\r\n");
    server.pump(*client);
    IoStatus last = IoStatus::Ok;
    SUBCASE("the TCP stream ends without close_notify: Eof, not Failed, and no alert queued") {
        CHECK(read_all(*client, last) == "250 2.0.0 queued\r\n");
        CHECK(last == IoStatus::WouldBlock);
        client->feed_eof();
        CHECK(read_all(*client, last).empty());
        CHECK(last == IoStatus::Eof);
        CHECK_FALSE(client->close_notify_received());
        CHECK_FALSE(client->cipher_pending());  // nothing to write into a closed socket
    }
    SUBCASE("close_notify: Eof and close_notify_received()") {
        server.shutdown();
        server.pump(*client);
        CHECK(read_all(*client, last) == "250 2.0.0 queued\r\n");
        CHECK(last == IoStatus::Eof);
        CHECK(client->close_notify_received());
    }
}

TEST_CASE_TEMPLATE("application data both ways, then shutdown() sends close_notify the server sees (item 4)", B, SMTPCORE_BACKENDS) {
    Connected<B> c;
    const std::string line = "EHLO client.example\r\n";
    CHECK(c.client->write(as_bytes(std::string_view(line))).size == line.size());
    c.server.pump(*c.client);
    CHECK(c.server.receive() == line);
    CHECK(c.client->shutdown());
    CHECK(c.client->cipher_pending());
    c.server.pump(*c.client);
    c.server.receive();
    CHECK(c.server.closed);
    CHECK(c.client->description().find("TLS") != std::string::npos);
}

TEST_CASE_TEMPLATE("a server's TLS 1.2 renegotiation request is refused (item 12)", B, SMTPCORE_BACKENDS) {
    Connected<B> c(TLS1_2_VERSION);
    TlsServerPeer& server = c.server;
    auto& client = c.client;
    REQUIRE(SSL_renegotiate(server.ssl()) == 1);
    SSL_do_handshake(server.ssl());  // HelloRequest
    server.pump(*client);
    char buf[64];
    for (int i = 0; i < 10; ++i) {
        (void)client->read(MutableBytes(buf, sizeof buf));
        server.pump(*client);
        server.receive();
    }
    // A client that renegotiated would have completed a second handshake.
    CHECK(SSL_renegotiate_pending(server.ssl()) == 1);
    CHECK(SSL_num_renegotiations(server.ssl()) == 1);  // requested once, never done
}

TEST_CASE_TEMPLATE("ca_file_only: SSL_CERT_FILE cannot add trust; without it, it does (item 12)", B, SMTPCORE_BACKENDS) {
    TestCa ca, other("another CA");
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    // SSL_CERT_FILE redefines the system store: point it at our CA.
    const char* saved = std::getenv("SSL_CERT_FILE");
    const std::string keep = saved != nullptr ? saved : "";
    setenv("SSL_CERT_FILE", ca.pem_file().c_str(), 1);
    TlsOptions o;
    o.server_name = "localhost";
    o.ca_file = other.pem_file();
    {
        TlsServerPeer server(leaf);
        auto client = B::make(o);  // system store (= SSL_CERT_FILE) plus other
        REQUIRE(client->start());
        CHECK(server.handshake(*client) == HandshakeStatus::Done);
    }
    {
        o.ca_file_only = true;
        TlsServerPeer server(leaf);
        auto client = B::make(o);  // other CA alone
        REQUIRE(client->start());
        CHECK(server.handshake(*client) == HandshakeStatus::Failed);
        CHECK(client->error().find("certificate verification failed") != std::string::npos);
    }
    if (saved != nullptr) setenv("SSL_CERT_FILE", keep.c_str(), 1);
    else unsetenv("SSL_CERT_FILE");
    o.ca_file.clear();
    CHECK_THROWS(B::make(o));  // ca_file_only with nothing to trust
}

#if SMTPCORE_TLS_MBEDTLS
TEST_CASE("mbedTLS: after WANT_WRITE on a full queue, the write is repeated with the same bytes, sent once") {
    Connected<MbedTlsBackend> c;
    std::string sent;  // what write() reported as taken, in order
    std::string block(4096, 'x');
    IoResult r{};
    for (int i = 0; i < 64; ++i) {  // no take_cipher(): the send queue fills up
        block[0] = static_cast<char>('a' + i % 26);
        r = c.client->write(as_bytes(std::string_view(block)));
        if (r.status != IoStatus::Ok) break;
        sent.append(block, 0, r.size);
    }
    REQUIRE(r.status == IoStatus::WouldBlock);
    // Other bytes where the unsent ones were: refused, not sent half-encrypted.
    std::string other = block;
    other[0] = '!';
    CHECK(c.client->write(as_bytes(std::string_view(other))).status == IoStatus::Failed);
}

TEST_CASE("mbedTLS: the unsent bytes, given again with more behind them, go out exactly once") {
    Connected<MbedTlsBackend> c;
    std::string sent, received;
    std::string block(4096, 'x');
    IoResult r{};
    int i = 0;
    for (; i < 64; ++i) {
        block[0] = static_cast<char>('a' + i % 26);
        r = c.client->write(as_bytes(std::string_view(block)));
        if (r.status != IoStatus::Ok) break;
        sent.append(block, 0, r.size);
    }
    REQUIRE(r.status == IoStatus::WouldBlock);
    c.server.pump(*c.client);  // drains the queue
    received += c.server.receive();
    const std::string again = block + "tail";
    r = c.client->write(as_bytes(std::string_view(again)));
    REQUIRE(r.status == IoStatus::Ok);
    CHECK(r.size == block.size());
    sent += block;
    c.server.pump(*c.client);
    received += c.server.receive();
    CHECK(received == sent);
}

TEST_CASE("mbedTLS fault injection: every callback's first attempt was interrupted, and the session still ran") {
    Connected<MbedTlsInterrupted> c;
    const std::string line = "MAIL FROM:<a@example.org>\r\n";
    CHECK(c.client->write(as_bytes(std::string_view(line))).size == line.size());
    c.server.pump(*c.client);
    CHECK(c.server.receive() == line);
    c.server.send("250 ok\r\n");
    c.server.pump(*c.client);
    IoStatus last = IoStatus::Ok;
    CHECK(read_all(*c.client, last) == "250 ok\r\n");
    CHECK(detail::mbedtls_interruptions(*c.client) > 10);
}
#endif
