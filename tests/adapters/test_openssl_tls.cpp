// What only the OpenSSL backend has: its thread's error queue and its shared
// SSL_CTX cache. The rules every backend keeps are in test_tls_conformance.cpp.
#include <doctest/doctest.h>

#include <openssl/bio.h>
#include <openssl/err.h>

#include <cstdio>
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

/// Application code that leaves an error on OpenSSL's thread queue, as a
/// failed call elsewhere in the process (a hook, another library) does.
void plant_stale_error() {
    BIO* b = BIO_new_file("/nonexistent/smtpcore/stale", "r");
    REQUIRE(b == nullptr);
    REQUIRE(ERR_peek_error() != 0);
}

}  // namespace

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

TEST_CASE("channel_binding(): the RFC 9266 tls-exporter both ends compute, over TLS 1.3 only") {
    TestCa ca;
    const Leaf leaf = ca.issue("localhost", "DNS:localhost");
    {
        TlsServerPeer server(leaf);
        auto client = client_for(ca, "localhost");
        CHECK(client->channel_binding().empty());  // nothing before the handshake
        REQUIRE(client->start());
        REQUIRE(server.handshake(*client) == HandshakeStatus::Done);
        REQUIRE(SSL_version(server.ssl()) == TLS1_3_VERSION);
        // The server side, computed independently: label, no context, 32 octets (RFC 9266 §2).
        unsigned char theirs[32];
        static const char kLabel[] = "EXPORTER-Channel-Binding";
        REQUIRE(SSL_export_keying_material(server.ssl(), theirs, sizeof theirs, kLabel, sizeof kLabel - 1, nullptr, 0,
                                           0) == 1);
        const std::string ours = client->channel_binding();
        CHECK(ours == std::string(reinterpret_cast<const char*>(theirs), sizeof theirs));
        // A second connection has another binding: it names this TLS session.
        TlsServerPeer other(leaf);
        auto second = client_for(ca, "localhost");
        REQUIRE(second->start());
        REQUIRE(other.handshake(*second) == HandshakeStatus::Done);
        CHECK(second->channel_binding().size() == 32);
        CHECK(second->channel_binding() != ours);
    }
    // TLS 1.2: no binding (RFC 9266 §3 needs the extended master secret), so no -PLUS.
    TlsServerPeer old(leaf, TLS1_2_VERSION);
    auto client = client_for(ca, "localhost");
    REQUIRE(client->start());
    REQUIRE(old.handshake(*client) == HandshakeStatus::Done);
    CHECK(client->channel_binding().empty());
}
