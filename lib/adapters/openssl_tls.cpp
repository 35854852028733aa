// The OpenSSL TLS backend over memory BIOs (tls.hpp): OpenSSL never sees the
// socket, so TLS is driven exactly like the engine and the Driver stays in
// charge of every byte, which is what keeps plaintext from a STARTTLS
// injection away from the engine (RFC 3207 §4, CVE-2021-33515 and kin).
// Works with OpenSSL 1.1.1 and 3.x; where they differ, both are handled here.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <string>

#include "openssl_context.hpp"
#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {
namespace {

using detail::openssl_errors;

// The stream ended without close_notify. OpenSSL 1.1.1 says SSL_ERROR_SYSCALL
// with an empty error queue (a memory BIO's EOF is not an errno); OpenSSL 3
// says SSL_ERROR_SSL with SSL_R_UNEXPECTED_EOF_WHILE_READING on the queue.
bool is_bare_eof(int ssl_error) {
    if (ssl_error == SSL_ERROR_SYSCALL) return ERR_peek_error() == 0;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
    if (ssl_error == SSL_ERROR_SSL) {
        const unsigned long e = ERR_peek_error();
        return ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
    }
#endif
    return false;
}

class OpenSslTls final : public TlsBackend {
public:
    explicit OpenSslTls(const TlsOptions& options)
        : options_(options), peer_(normalize_peer_name(options.server_name)), ctx_(detail::client_context(options)) {}

    ~OpenSslTls() override {
        if (ssl_ != nullptr) SSL_free(ssl_);  // frees both BIOs
    }

    bool start() override {
        ERR_clear_error();
        if (options_.verify && peer_.name.empty()) {
            error_ = "cannot verify the server: no server name or IP address to check the certificate against";
            return false;
        }
        ssl_ = SSL_new(ctx_.get());
        if (ssl_ == nullptr) return fail("SSL_new");
        in_ = BIO_new(BIO_s_mem());
        out_ = BIO_new(BIO_s_mem());
        if (in_ == nullptr || out_ == nullptr) return fail("BIO_new");
        SSL_set_bio(ssl_, in_, out_);
        SSL_set_connect_state(ssl_);
        // Partial writes let write() report what it took, like a socket.
        SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        if (peer_.is_ip) {
            // RFC 6066 §3: SNI carries host names only. Check the IP SANs instead.
            if (options_.verify && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), peer_.name.c_str()) != 1)
                return fail("X509_VERIFY_PARAM_set1_ip_asc");
        } else if (!peer_.name.empty()) {
            if (SSL_set_tlsext_host_name(ssl_, peer_.name.c_str()) != 1) return fail("SNI");
            // RFC 9525 §6.3: a wildcard only as the whole left-most label, and
            // §6.1 / §2: DNS-ID in subjectAltName only, never the subject CN.
            SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
            if (options_.verify && SSL_set1_host(ssl_, peer_.name.c_str()) != 1) return fail("SSL_set1_host");
        }
        return true;
    }

    // Every SSL_* call below starts with ERR_clear_error(): SSL_get_error()
    // reads the thread's error queue, so one stale entry left by anyone
    // (the application, a hook, another library) turns WANT_READ into a
    // fatal SSL_ERROR_SSL.
    HandshakeStatus handshake() override {
        ERR_clear_error();
        const int r = SSL_do_handshake(ssl_);
        if (r == 1) return HandshakeStatus::Done;
        const int e = SSL_get_error(ssl_, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return HandshakeStatus::InProgress;
        record_failure("TLS handshake failed");
        return HandshakeStatus::Failed;
    }

    void feed_cipher(Bytes data) override {
        if (!data.empty()) BIO_write(in_, data.data(), static_cast<int>(data.size()));
    }
    void feed_eof() override { BIO_set_mem_eof_return(in_, 0); }

    std::size_t take_cipher(MutableBytes out) override {
        const int n = BIO_read(out_, out.data(), static_cast<int>(out.size()));
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    bool cipher_pending() const override { return BIO_ctrl_pending(out_) > 0; }

    IoResult read(MutableBytes out) override {
        if (out.empty()) return {0, IoStatus::Ok};
        ERR_clear_error();
        const int r = SSL_read(ssl_, out.data(), static_cast<int>(out.size()));
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        return classify(r);
    }

    IoResult write(Bytes data) override {
        if (data.empty()) return {0, IoStatus::Ok};
        ERR_clear_error();
        const int r = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        return classify(r);
    }

    bool plaintext_pending() const override { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

    bool shutdown() override {
        // The first SSL_shutdown() queues close_notify and returns 0 (the
        // peer's is not in yet) or 1 (it already was); the Driver reads on
        // for the peer's through read(), which ends Eof.
        ERR_clear_error();
        if (SSL_shutdown(ssl_) >= 0) return true;
        record_failure("TLS shutdown failed");
        return false;
    }

    bool close_notify_received() const override {
        return ssl_ != nullptr && (SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN) != 0;
    }

    std::string error() const override { return error_; }

    std::string channel_binding() const override {
        // RFC 9266 §2: the exporter with label "EXPORTER-Channel-Binding", no
        // context, 32 octets. Only over TLS 1.3: with TLS 1.2 the exporter is
        // safe only with the extended master secret (RFC 9266 §3), so no
        // binding is offered there and SCRAM runs without -PLUS.
        if (ssl_ == nullptr || SSL_version(ssl_) != TLS1_3_VERSION) return {};
        static const char kLabel[] = "EXPORTER-Channel-Binding";
        unsigned char out[32];
        if (SSL_export_keying_material(ssl_, out, sizeof out, kLabel, sizeof kLabel - 1, nullptr, 0, 0) != 1) return {};
        return std::string(reinterpret_cast<const char*>(out), sizeof out);
    }

    std::string description() const override {
        if (ssl_ == nullptr) return "no TLS";
        return std::string(SSL_get_version(ssl_)) + " " + SSL_get_cipher_name(ssl_);
    }

private:
    IoResult classify(int r) {
        const int e = SSL_get_error(ssl_, r);
        switch (e) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            return {0, IoStatus::WouldBlock};
        case SSL_ERROR_ZERO_RETURN:  // close_notify
            return {0, IoStatus::Eof};
        default:
            if (is_bare_eof(e)) {
                // No close_notify: an end of stream all the same (tls.hpp).
                // OpenSSL 3 has queued a fatal alert for a socket the peer
                // closed: drop it rather than write into the void.
                ERR_clear_error();
                (void)BIO_reset(out_);
                return {0, IoStatus::Eof};
            }
            record_failure("TLS error");
            return {0, IoStatus::Failed};
        }
    }

    void record_failure(const char* what) {
        error_ = what;
        const long verify = SSL_get_verify_result(ssl_);
        if (verify != X509_V_OK) {
            error_ += ": certificate verification failed: ";
            error_ += X509_verify_cert_error_string(verify);
        }
        const std::string details = openssl_errors();
        if (!details.empty()) error_ += " (" + details + ")";
    }

    bool fail(const char* what) {
        error_ = std::string(what) + ": " + openssl_errors();
        return false;
    }

    TlsOptions options_;
    PeerName peer_;
    detail::SslContext ctx_;  // shared with other connections that trust the same
    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;   // network -> OpenSSL
    BIO* out_ = nullptr;  // OpenSSL -> network
    std::string error_;
};

}  // namespace

std::unique_ptr<TlsBackend> make_openssl_tls(const TlsOptions& options) {
    return std::make_unique<OpenSslTls>(options);
}


}  // namespace smtpcore::adapters
