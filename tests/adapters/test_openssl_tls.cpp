// The OpenSSL backend against an in-memory OpenSSL server with certificates
// from a CA made at run time: verification rules, the error queue, the end
// of the stream with and without close_notify, and renegotiation.
#include <doctest/doctest.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "smtpcore/adapters/tls.hpp"
#include "openssl_context.hpp"
#include "tls_peer.hpp"

using namespace smtpcore;
using namespace smtpcore::adapters;
using smtpcore::test::Leaf;
using smtpcore::test::TestCa;
using smtpcore::test::TlsServerPeer;

namespace {

std::unique_ptr<TlsBackend> client_for(const TestCa& ca, const std::string& name, bool verify = true) {
    TlsOptions o;
    o.server_name = name;
    o.verify = verify;
    o.ca_file = ca.pem_file();
    return make_openssl_tls(o);
}

/// One handshake of a client for `name` against a server whose certificate
/// (from `ca`) has subject CN `cn` and subjectAltName `san`.
struct Attempt {
    HandshakeStatus status;
    std::string sni;    ///< what the server received as SNI
    std::string error;  ///< the client's error text
};
Attempt handshake_with(const TestCa& ca, const std::string& cn, const std::string& san, const std::string& name) {
    const Leaf leaf = ca.issue(cn, san);
    TlsServerPeer server(leaf);
    auto client = client_for(ca, name);
    REQUIRE(client->start());
    const HandshakeStatus status = server.handshake(*client);
    return Attempt{status, server.sni, client->error()};
}

/// A client for "localhost" connected to a server with a certificate for it.
struct Connected {
    TestCa ca;
    Leaf leaf = ca.issue("localhost", "DNS:localhost");
    TlsServerPeer server;
    std::unique_ptr<TlsBackend> client = client_for(ca, "localhost");
    explicit Connected(int max_version = 0) : server(leaf, max_version) {
        REQUIRE(client->start());
        REQUIRE(server.handshake(*client) == HandshakeStatus::Done);
    }
};

/// Application code that leaves an error on OpenSSL's thread queue, as a
/// failed call elsewhere in the process (a hook, another library) does.
void plant_stale_error() {
    BIO* b = BIO_new_file("/nonexistent/smtpcore/stale", "r");
    REQUIRE(b == nullptr);
    REQUIRE(ERR_peek_error() != 0);
}

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

TEST_CASE("a trusted certificate for the name: handshake done, SNI sent") {
    TestCa ca;
    const Attempt a = handshake_with(ca, "mail.example.test", "DNS:mail.example.test", "mail.example.test");
    CHECK(a.status == HandshakeStatus::Done);
    CHECK(a.sni == "mail.example.test");
}

TEST_CASE("a stale error on OpenSSL's queue does not make WANT_READ fatal (item 2)") {
    TestCa ca;
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    TlsServerPeer server(leaf);
    auto client = client_for(ca, "localhost");
    REQUIRE(client->start());
    plant_stale_error();
    CHECK(client->handshake() == HandshakeStatus::InProgress);  // ClientHello out, waiting
    server.pump(*client);
    plant_stale_error();
    REQUIRE(server.handshake(*client) == HandshakeStatus::Done);
    char buf[64];
    // The first read takes in TLS 1.3 session tickets (through OpenSSL's
    // handshake code, which clears the queue itself); the second is a plain
    // record read, where a stale entry used to turn WANT_READ into an error.
    CHECK(client->read(MutableBytes(buf, sizeof buf)).status == IoStatus::WouldBlock);
    plant_stale_error();
    CHECK(client->read(MutableBytes(buf, sizeof buf)).status == IoStatus::WouldBlock);
    server.send("250 ok\r\n");
    server.pump(*client);
    plant_stale_error();
    CHECK(client->read(MutableBytes(buf, sizeof buf)).size == 8);
    plant_stale_error();
    CHECK(client->read(MutableBytes(buf, sizeof buf)).status == IoStatus::WouldBlock);
    plant_stale_error();
    CHECK(client->write(as_bytes(std::string_view("EHLO x\r\n"))).status == IoStatus::Ok);
    server.pump(*client);
    CHECK(server.receive() == "EHLO x\r\n");
    ERR_clear_error();
}

TEST_CASE("verification without a server name is refused before the handshake (item 3)") {
    TestCa ca;
    const Leaf leaf = ca.issue("wrong.example", "DNS:wrong.example");
    TlsServerPeer server(leaf);
    auto client = client_for(ca, "");
    CHECK_FALSE(client->start());
    CHECK(client->error().find("no server name") != std::string::npos);
    // Without verification (--insecure) an empty name is allowed: nothing is checked anyway.
    auto insecure = client_for(ca, "", false);
    CHECK(insecure->start());
}

TEST_CASE("host-name rules: whole-label wildcards only, never the subject CN (item 7)") {
    TestCa ca;
    const Attempt partial = handshake_with(ca, "f*.example.test", "DNS:f*.example.test", "foo.example.test");
    CHECK(partial.status == HandshakeStatus::Failed);
    CHECK(partial.error.find("hostname mismatch") != std::string::npos);
    // A left-most whole-label wildcard matches one label, and only one.
    CHECK(handshake_with(ca, "wild", "DNS:*.example.test", "foo.example.test").status == HandshakeStatus::Done);
    CHECK(handshake_with(ca, "wild", "DNS:*.example.test", "a.b.example.test").status == HandshakeStatus::Failed);
    // No subjectAltName: the CN is never consulted.
    CHECK(handshake_with(ca, "localhost", "", "localhost").status == HandshakeStatus::Failed);
}

TEST_CASE("names are normalized before SNI and verification (item 6)") {
    TestCa ca;
    // 127.1 is 127.0.0.1: checked against the IP SAN, no SNI.
    const Attempt short_v4 = handshake_with(ca, "ip", "IP:127.0.0.1", "127.1");
    CHECK(short_v4.status == HandshakeStatus::Done);
    CHECK(short_v4.sni.empty());
    // fe80::1%lo is fe80::1: the zone is not part of the address.
    const Attempt zoned = handshake_with(ca, "ip6", "IP:fe80::1", "fe80::1%lo");
    CHECK(zoned.status == HandshakeStatus::Done);
    CHECK(zoned.sni.empty());
    // localhost. is localhost, in SNI and in the check.
    const Attempt dotted = handshake_with(ca, "localhost", "DNS:localhost", "localhost.");
    CHECK(dotted.status == HandshakeStatus::Done);
    CHECK(dotted.sni == "localhost");
    // An IP literal still has to match.
    CHECK(handshake_with(ca, "ip", "IP:127.0.0.2", "127.1").status == HandshakeStatus::Failed);
}

TEST_CASE("normalize_peer_name") {
    CHECK(normalize_peer_name("127.1").name == "127.0.0.1");
    CHECK(normalize_peer_name("127.1").is_ip);
    CHECK(normalize_peer_name("0x7f.0.0.1").name == "127.0.0.1");
    CHECK(normalize_peer_name("fe80::1%lo").name == "fe80::1");
    CHECK(normalize_peer_name("FE80:0::1").name == "fe80::1");
    CHECK(normalize_peer_name("localhost.").name == "localhost");
    CHECK_FALSE(normalize_peer_name("localhost.").is_ip);
    CHECK(normalize_peer_name("mail.example.com").name == "mail.example.com");
    CHECK_FALSE(normalize_peer_name("127.0.0.1 x").is_ip);
    CHECK(normalize_peer_name("").name.empty());
}

TEST_CASE("end of stream: with close_notify, and without it on either OpenSSL (item 5)") {
    Connected c;
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

TEST_CASE("shutdown() sends close_notify the server sees (item 4)") {
    Connected c;
    CHECK(c.client->shutdown());
    CHECK(c.client->cipher_pending());
    c.server.pump(*c.client);
    c.server.receive();
    CHECK(c.server.closed);
}

TEST_CASE("a server's TLS 1.2 renegotiation request is refused (item 12)") {
    Connected c(TLS1_2_VERSION);
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

TEST_CASE("ca_file_only: SSL_CERT_FILE cannot add trust; without it, it does (item 12)") {
    TestCa ca, other("another CA");
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    // SSL_CERT_FILE redefines OpenSSL's system store: point it at our CA.
    const char* saved = std::getenv("SSL_CERT_FILE");
    const std::string keep = saved != nullptr ? saved : "";
    setenv("SSL_CERT_FILE", ca.pem_file().c_str(), 1);
    TlsOptions o;
    o.server_name = "localhost";
    o.ca_file = other.pem_file();
    {
        TlsServerPeer server(leaf);
        auto client = make_openssl_tls(o);  // system store (= SSL_CERT_FILE) plus other
        REQUIRE(client->start());
        CHECK(server.handshake(*client) == HandshakeStatus::Done);
    }
    {
        o.ca_file_only = true;
        TlsServerPeer server(leaf);
        auto client = make_openssl_tls(o);  // other CA alone
        REQUIRE(client->start());
        CHECK(server.handshake(*client) == HandshakeStatus::Failed);
        CHECK(client->error().find("certificate verification failed") != std::string::npos);
    }
    if (saved != nullptr) setenv("SSL_CERT_FILE", keep.c_str(), 1);
    else unsetenv("SSL_CERT_FILE");
    o.ca_file.clear();
    CHECK_THROWS(make_openssl_tls(o));  // ca_file_only with nothing to trust
}

TEST_CASE("connections with the same trust settings share one SSL_CTX; a changed CA file gets a new one (item 12)") {
    TestCa ca;
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    TlsOptions o;
    o.server_name = "localhost";
    o.ca_file = ca.pem_file();
    const unsigned before = detail::contexts_built();
    for (int i = 0; i < 3; ++i) {
        TlsServerPeer server(leaf);
        auto client = make_openssl_tls(o);
        REQUIRE(client->start());
        CHECK(server.handshake(*client) == HandshakeStatus::Done);
    }
    CHECK(detail::contexts_built() == before + 1);

    // The file now holds another CA: the old context must not be used.
    TestCa next("the next CA");
    const Leaf next_leaf = next.issue("localhost", "DNS:localhost");
    REQUIRE(std::rename(next.pem_file().c_str(), ca.pem_file().c_str()) == 0);
    TlsServerPeer server(next_leaf);
    auto client = make_openssl_tls(o);
    REQUIRE(client->start());
    CHECK(server.handshake(*client) == HandshakeStatus::Done);
    CHECK(detail::contexts_built() == before + 2);
}
