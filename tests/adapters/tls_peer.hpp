// A private CA and a TLS server made at run time, in memory, for the OpenSSL
// backend's tests: certificates with exactly the names a test needs (no key
// or certificate is stored in the repository), and a server SSL object over
// memory BIOs that the test pumps against a TlsBackend, byte for byte.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::test {

/// A certificate and its key, owned.
struct Leaf {
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    Leaf() = default;
    Leaf(const Leaf&) = delete;
    Leaf& operator=(const Leaf&) = delete;
    Leaf(Leaf&& o) noexcept : key(o.key), cert(o.cert) { o.key = nullptr; o.cert = nullptr; }
    ~Leaf();
};

/// A CA made now (EC P-256, valid one day); its certificate is written to a
/// temporary PEM file for TlsOptions::ca_file.
class TestCa {
public:
    explicit TestCa(const std::string& name = "smtpcore test CA");
    ~TestCa();
    TestCa(const TestCa&) = delete;
    TestCa& operator=(const TestCa&) = delete;

    /// A server certificate with subject CN `cn` and subjectAltName `san`
    /// (OpenSSL config syntax, e.g. "DNS:localhost,IP:127.0.0.1"; empty: none).
    Leaf issue(const std::string& cn, const std::string& san) const;
    const std::string& pem_file() const { return pem_file_; }

private:
    Leaf self_;
    std::string pem_file_;
};

/// A TLS server over memory BIOs.
class TlsServerPeer {
public:
    /// `max_version`: 0 for the library's best, TLS1_2_VERSION to force 1.2.
    explicit TlsServerPeer(const Leaf& leaf, int max_version = 0);
    ~TlsServerPeer();
    TlsServerPeer(const TlsServerPeer&) = delete;
    TlsServerPeer& operator=(const TlsServerPeer&) = delete;

    /// Runs both handshakes to the end; returns the client's last status.
    adapters::HandshakeStatus handshake(adapters::TlsBackend& client);
    /// Moves the client's pending ciphertext to the server and back, and lets
    /// the server process what it got (handshake messages, alerts).
    void pump(adapters::TlsBackend& client);
    /// Sends application data (or, with shutdown(), close_notify) to the client.
    void send(const std::string& plain);
    void shutdown();
    /// Decrypted bytes the server received; sets `closed` on close_notify.
    std::string receive();

    SSL* ssl() const { return ssl_; }
    std::string sni;            ///< the server name the client sent; empty: none
    bool closed = false;        ///< the client's close_notify arrived
    std::string last_error;     ///< the server's view of a failure

private:
    void to_client(adapters::TlsBackend& client);
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;
    BIO* out_ = nullptr;
};

}  // namespace smtpcore::test
