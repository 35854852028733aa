// smtpcore adapters — TLS driven like the engine: bytes in, bytes out.
//
// A TlsBackend never touches the network. The Driver moves ciphertext between
// the Transport and the backend (feed_cipher / take_cipher) and plaintext
// between the backend and the engine (read / write), exactly as it does for
// the engine itself. Each TLS library is one file implementing this interface
// (openssl_tls.cpp today; mbedTLS and Schannel backends implement the same
// contract, stated here once for all of them).
//
// The life of a backend, as the Driver calls it:
//   start()                      once, before any other call
//   handshake() until Done       feeding ciphertext in, taking it out, between calls
//   read() / write()             application data (the SMTP dialogue)
//   shutdown()                   once the session is over: queues close_notify
//   read() until Eof             optional, bounded by the Driver: the peer's close_notify
// Any call may leave records to send: the Driver drains take_cipher() after
// each one, so an alert or a close_notify reaches the wire.
#pragma once

#include <memory>
#include <string>

#include "smtpcore/adapters/transport.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

struct TlsOptions {
    /// The server as the user named it: a host name (sent as SNI, RFC 6066 §3,
    /// and matched against the certificate's DNS names) or an IP literal
    /// (matched against its IP addresses; no SNI). normalize_peer_name() is
    /// applied first. Must not be empty when `verify` is on: start() fails.
    std::string server_name;
    /// Verify the chain against the trust store and the server's identity
    /// (docs/adapters.md "Verification rules"). Turning it off (--insecure)
    /// leaves encryption without identity.
    bool verify = true;
    /// An extra PEM file of trusted certificates, added to the system store.
    std::string ca_file;
    /// Trust `ca_file` alone: the system store (and the SSL_CERT_FILE /
    /// SSL_CERT_DIR variables that redefine it for OpenSSL) is not loaded.
    bool ca_file_only = false;
};

/// The server's identity as every backend must check it.
struct PeerName {
    std::string name;    ///< a host name without its trailing dot, or an IP address in canonical text
    bool is_ip = false;  ///< an IP literal: no SNI, matched against IP addresses only
};

/// Normalizes what the user typed before SNI and verification:
///  - "localhost." -> "localhost": the root label's dot is not part of the
///    name a certificate carries, nor of SNI (RFC 6066 §3: no trailing dot);
///  - "127.1", "0x7f.0.0.1" -> "127.0.0.1": the inet_aton(3) forms the
///    resolver accepts name the same IPv4 address, so they are IP literals;
///  - "fe80::1%lo" -> "fe80::1": the zone index is local routing, not part
///    of the address a certificate can name (RFC 6874 §1);
///  - "::ffff:127.0.0.1" stays as written by inet_ntop (an IPv6 address).
/// An empty name stays empty (is_ip false).
PeerName normalize_peer_name(const std::string& server_name);

enum class HandshakeStatus : std::uint8_t { Done, InProgress, Failed };

class TlsBackend {
public:
    virtual ~TlsBackend() = default;

    /// Prepares a client handshake. Returns false (see error()) if the backend
    /// cannot even begin: a bad CA file, no memory, or `verify` with an empty
    /// server_name (nothing to check the certificate against, so any
    /// certificate from a trusted CA would pass — refused).
    virtual bool start() = 0;
    /// Advances the handshake with the ciphertext fed so far. Failed: see
    /// error(); the records to send (an alert) are in take_cipher().
    /// Backends refuse renegotiation and TLS 1.2 is the minimum version.
    virtual HandshakeStatus handshake() = 0;

    /// Ciphertext that arrived from the network.
    virtual void feed_cipher(Bytes data) = 0;
    /// The network closed (TCP FIN or reset): once the buffered records are
    /// used, read() reports Eof.
    virtual void feed_eof() = 0;
    /// Moves ciphertext to be sent into `out`; returns how many bytes.
    virtual std::size_t take_cipher(MutableBytes out) = 0;
    /// Ciphertext is waiting for take_cipher().
    virtual bool cipher_pending() const = 0;

    /// Decrypted application data. WouldBlock: feed more ciphertext.
    /// Eof: the stream ended, either with the peer's close_notify
    /// (close_notify_received() is then true) or, after feed_eof(), without
    /// it. A bare end of stream is Eof, never Failed, whatever the library
    /// version calls it: the Driver decides what a missing close_notify means
    /// (docs/adapters.md "Closing"). After such an Eof the backend queues
    /// nothing more to send (no alert to a closed socket).
    /// Failed: a record or alert broke the stream (error() says which).
    virtual IoResult read(MutableBytes out) = 0;
    /// Encrypts application data; the records appear in take_cipher().
    virtual IoResult write(Bytes data) = 0;
    /// Plaintext is decrypted and waiting: read() without touching the network.
    virtual bool plaintext_pending() const = 0;

    /// Ends the TLS session from our side: queues close_notify (RFC 8446
    /// §6.1: "Each party MUST send a close_notify alert before closing its
    /// write side of the connection") for take_cipher(). Called once, after
    /// the handshake completed, when the session is over; write() must not be
    /// called afterwards. Reading on to see the peer's close_notify is allowed.
    /// Returns false if the alert could not be queued (error() says why).
    virtual bool shutdown() = 0;
    /// The peer's close_notify has arrived.
    virtual bool close_notify_received() const = 0;

    /// Why the handshake or the stream failed (certificate errors included).
    virtual std::string error() const = 0;
    /// For transcripts: protocol version and cipher, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384".
    virtual std::string description() const = 0;
    /// After the handshake: the tls-exporter channel binding of RFC 9266 (32
    /// octets, label "EXPORTER-Channel-Binding", no context) for
    /// SCRAM-SHA-256-PLUS, or empty when this backend or connection cannot
    /// give one. OpenSSL gives it over TLS 1.3; the mbedTLS backend (2.28
    /// has no keying-material exporter) and Schannel (TLS 1.2 only here)
    /// give none, so -PLUS is never offered through them.
    virtual std::string channel_binding() const { return {}; }
};

/// The Schannel backend (SSPI, TLS 1.2; Windows only, -Dtls=schannel).
/// Throws std::runtime_error if the ca_file cannot be loaded.
std::unique_ptr<TlsBackend> make_schannel_tls(const TlsOptions& options);

/// The OpenSSL backend (memory BIOs). Throws std::runtime_error if the
/// context cannot be built (for example an unreadable ca_file).
std::unique_ptr<TlsBackend> make_openssl_tls(const TlsOptions& options);

/// The mbedTLS backend (2.28 LTS or 3.x), over its own byte queues through
/// mbedtls_ssl_set_bio. Same rules as OpenSSL (docs/adapters.md "mbedTLS"):
/// the system store is the file SSL_CERT_FILE names, else
/// /etc/ssl/certs/ca-certificates.crt. Throws std::runtime_error if the
/// trust store or ca_file cannot be loaded. Built with -Dtls=...,mbedtls.
std::unique_ptr<TlsBackend> make_mbedtls_tls(const TlsOptions& options);

/// The TLS libraries a backend exists for; which are compiled in is chosen
/// at build time (-Dtls=openssl,mbedtls; schannel on Windows).
enum class TlsLibrary : std::uint8_t { OpenSsl, MbedTls, Schannel };

/// The default: the platform's own library, Schannel on Windows, else OpenSSL.
#ifdef _WIN32
constexpr TlsLibrary default_tls_library = TlsLibrary::Schannel;
#else
constexpr TlsLibrary default_tls_library = TlsLibrary::OpenSsl;
#endif

/// Was the backend for `library` compiled in?
bool tls_library_built(TlsLibrary library);
/// A backend from `library`. Throws std::runtime_error if it was not built.
std::unique_ptr<TlsBackend> make_tls(TlsLibrary library, const TlsOptions& options);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
