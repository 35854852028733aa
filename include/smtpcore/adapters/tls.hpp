// smtpcore adapters — TLS driven like the engine: bytes in, bytes out.
//
// A TlsBackend never touches the network. The Driver moves ciphertext between
// the Transport and the backend (feed_cipher / take_cipher) and plaintext
// between the backend and the engine (read / write), exactly as it does for
// the engine itself. Each TLS library is one file implementing this interface
// (openssl_tls.cpp; an mbedTLS one would be another).
#pragma once

#include <memory>
#include <string>

#include "smtpcore/adapters/transport.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

struct TlsOptions {
    /// The server's host name: sent as SNI (RFC 6066 §3) and checked against
    /// the certificate (RFC 6125), or an IP literal checked against its IP SANs.
    std::string server_name;
    /// Verify the chain against the system store (plus ca_file) and the host
    /// name. Turning it off (--insecure) leaves encryption without identity.
    bool verify = true;
    /// An extra PEM file of trusted certificates, added to the system store.
    std::string ca_file;
};

enum class HandshakeStatus : std::uint8_t { Done, InProgress, Failed };

class TlsBackend {
public:
    virtual ~TlsBackend() = default;

    /// Starts a client handshake. Returns false (see error()) if the backend
    /// could not even begin (bad CA file, out of memory).
    virtual bool start() = 0;
    /// Advances the handshake with the ciphertext fed so far.
    virtual HandshakeStatus handshake() = 0;

    /// Ciphertext that arrived from the network.
    virtual void feed_cipher(Bytes data) = 0;
    /// The network closed: reads report Eof once buffered records are used.
    virtual void feed_eof() = 0;
    /// Moves ciphertext to be sent into `out`; returns how many bytes.
    virtual std::size_t take_cipher(MutableBytes out) = 0;
    /// Ciphertext is waiting for take_cipher().
    virtual bool cipher_pending() const = 0;

    /// Decrypted application data. WouldBlock: feed more ciphertext.
    virtual IoResult read(MutableBytes out) = 0;
    /// Encrypts application data; the records appear in take_cipher().
    virtual IoResult write(Bytes data) = 0;
    /// Plaintext is decrypted and waiting: read() without touching the network.
    virtual bool plaintext_pending() const = 0;

    /// Why the handshake or the stream failed (certificate errors included).
    virtual std::string error() const = 0;
    /// For transcripts: protocol version and cipher, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384".
    virtual std::string description() const = 0;
};

/// The OpenSSL backend (memory BIOs). Throws std::runtime_error if the
/// context cannot be built (for example an unreadable ca_file).
std::unique_ptr<TlsBackend> make_openssl_tls(const TlsOptions& options);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
