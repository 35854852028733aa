// The OpenSSL TLS backend over memory BIOs (tls.hpp): OpenSSL never sees the
// socket, so TLS is driven exactly like the engine and the Driver stays in
// charge of every byte, which is what keeps plaintext from a STARTTLS
// injection away from the engine (RFC 3207 §4, CVE-2021-33515 and kin).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <stdexcept>
#include <string>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {
namespace {

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string openssl_errors() {
    std::string text;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!text.empty()) text += "; ";
        text += buf;
    }
    return text;
}

class OpenSslTls final : public TlsBackend {
public:
    explicit OpenSslTls(const TlsOptions& options) : options_(options) {
        ctx_ = SSL_CTX_new(TLS_client_method());
        if (ctx_ == nullptr) throw std::runtime_error("SSL_CTX_new: " + openssl_errors());
        SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
        if (options_.verify) {
            SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
            if (SSL_CTX_set_default_verify_paths(ctx_) != 1)
                throw std::runtime_error("cannot load the system certificate store: " + openssl_errors());
        } else {
            SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
        }
        // The extra CA file is loaded even with --insecure so a bad path is reported.
        if (!options_.ca_file.empty() &&
            SSL_CTX_load_verify_locations(ctx_, options_.ca_file.c_str(), nullptr) != 1)
            throw std::runtime_error("cannot load CA file " + options_.ca_file + ": " + openssl_errors());
    }

    ~OpenSslTls() override {
        if (ssl_ != nullptr) SSL_free(ssl_);  // frees both BIOs
        SSL_CTX_free(ctx_);
    }

    bool start() override {
        ssl_ = SSL_new(ctx_);
        if (ssl_ == nullptr) return fail("SSL_new");
        in_ = BIO_new(BIO_s_mem());
        out_ = BIO_new(BIO_s_mem());
        if (in_ == nullptr || out_ == nullptr) return fail("BIO_new");
        SSL_set_bio(ssl_, in_, out_);
        SSL_set_connect_state(ssl_);
        // Partial writes let write() report what it took, like a socket.
        SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        const std::string& host = options_.server_name;
        if (is_ip_literal(host)) {
            // RFC 6066 §3: SNI carries host names only. Check the IP SANs instead.
            if (options_.verify &&
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str()) != 1)
                return fail("X509_VERIFY_PARAM_set1_ip_asc");
        } else if (!host.empty()) {
            if (SSL_set_tlsext_host_name(ssl_, host.c_str()) != 1) return fail("SNI");
            if (options_.verify && SSL_set1_host(ssl_, host.c_str()) != 1) return fail("SSL_set1_host");
        }
        return true;
    }

    HandshakeStatus handshake() override {
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
        const int r = SSL_read(ssl_, out.data(), static_cast<int>(out.size()));
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        return classify(r);
    }

    IoResult write(Bytes data) override {
        if (data.empty()) return {0, IoStatus::Ok};
        const int r = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        return classify(r);
    }

    bool plaintext_pending() const override { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

    std::string error() const override { return error_; }

    std::string description() const override {
        if (ssl_ == nullptr) return "no TLS";
        return std::string(SSL_get_version(ssl_)) + " " + SSL_get_cipher_name(ssl_);
    }

private:
    IoResult classify(int r) {
        switch (SSL_get_error(ssl_, r)) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            return {0, IoStatus::WouldBlock};
        case SSL_ERROR_ZERO_RETURN:  // close_notify
            return {0, IoStatus::Eof};
        case SSL_ERROR_SYSCALL:  // with memory BIOs: the fed stream ended without close_notify
            if (ERR_peek_error() == 0) return {0, IoStatus::Eof};
            [[fallthrough]];
        default:
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
    SSL_CTX* ctx_ = nullptr;
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
