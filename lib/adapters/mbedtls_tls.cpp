// The mbedTLS TLS backend (tls.hpp): mbedTLS reads and writes through
// mbedtls_ssl_set_bio callbacks on this object's own byte queues, so, as with
// OpenSSL's memory BIOs, the Driver moves every byte and the engine never
// sees plaintext a STARTTLS injection slipped in (RFC 3207 §4).
// Compiles against mbedTLS 2.28 LTS and 3.x (3.6 LTS): where they differ,
// MBEDTLS_VERSION_MAJOR picks the call.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "mbedtls_identity.hpp"
#include "mbedtls_tls.hpp"
#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {
namespace {

// Debian's and most distributions' bundle of the system's trusted CAs. As
// with OpenSSL, SSL_CERT_FILE names another file instead.
constexpr const char* kSystemStore = "/etc/ssl/certs/ca-certificates.crt";
// The send queue's bound: four full records. Past it the send callback says
// WANT_WRITE until the Driver drains it with take_cipher().
constexpr std::size_t kCipherQueueLimit = 4 * (16384 + 512);
// A spurious WANT_* (the queue was not empty or full) is retried at once, a
// few times at most.
constexpr int kRetries = 8;

std::string mbedtls_text(int code) {
    char buf[160];
    mbedtls_strerror(code, buf, sizeof buf);
    return buf;
}

class MbedTls final : public TlsBackend {
public:
    MbedTls(const TlsOptions& options, bool interrupt)
        : options_(options), peer_(normalize_peer_name(options.server_name)), interrupt_(interrupt) {
        mbedtls_ssl_init(&ssl_);
        mbedtls_ssl_config_init(&conf_);
        mbedtls_x509_crt_init(&trust_);
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
        // mbedTLS 3 runs TLS 1.3 (and, with MBEDTLS_USE_PSA_CRYPTO, all of
        // its crypto) through PSA, which must be initialized first. Idempotent.
        if (psa_crypto_init() != PSA_SUCCESS) throw std::runtime_error("psa_crypto_init failed");
#endif
        if (options.verify) load_trust();
    }

    ~MbedTls() override {
        mbedtls_ssl_free(&ssl_);
        mbedtls_ssl_config_free(&conf_);
        mbedtls_x509_crt_free(&trust_);
        mbedtls_ctr_drbg_free(&drbg_);
        mbedtls_entropy_free(&entropy_);
    }

    MbedTls(const MbedTls&) = delete;
    MbedTls& operator=(const MbedTls&) = delete;

    bool start() override {
        if (options_.verify && peer_.name.empty()) {
            error_ = "cannot verify the server: no server name or IP address to check the certificate against";
            return false;
        }
        static const char kPersonalization[] = "smtpcore";
        int r = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                      reinterpret_cast<const unsigned char*>(kPersonalization), sizeof kPersonalization);
        if (r != 0) return fail("mbedtls_ctr_drbg_seed", r);
        r = mbedtls_ssl_config_defaults(&conf_, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
        if (r != 0) return fail("mbedtls_ssl_config_defaults", r);
        mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &drbg_);
        // TLS 1.2 is the minimum (docs/adapters.md; RFC 8996 retires 1.0/1.1).
#if MBEDTLS_VERSION_MAJOR >= 3
        mbedtls_ssl_conf_min_tls_version(&conf_, MBEDTLS_SSL_VERSION_TLS1_2);
#else
        mbedtls_ssl_conf_min_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
#if defined(MBEDTLS_SSL_RENEGOTIATION)
        mbedtls_ssl_conf_renegotiation(&conf_, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
        if (options_.verify) {
            mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_REQUIRED);
            mbedtls_ssl_conf_ca_chain(&conf_, &trust_, nullptr);
            mbedtls_ssl_conf_verify(&conf_, &MbedTls::check_identity, this);
        } else {
            mbedtls_ssl_conf_authmode(&conf_, MBEDTLS_SSL_VERIFY_NONE);
        }
        r = mbedtls_ssl_setup(&ssl_, &conf_);
        if (r != 0) return fail("mbedtls_ssl_setup", r);
        // mbedtls_ssl_set_hostname() sets both SNI and the name mbedTLS checks;
        // its check is overridden by check_identity(). RFC 6066 §3: no SNI
        // for IP literals, so they (and an empty name) set NULL: no SNI, no
        // name check by mbedTLS. (3.6.3 and later refuse a verified handshake
        // unless set_hostname was called, and take NULL as "called".)
        const char* sni = peer_.is_ip || peer_.name.empty() ? nullptr : peer_.name.c_str();
        if ((r = mbedtls_ssl_set_hostname(&ssl_, sni)) != 0) return fail("mbedtls_ssl_set_hostname", r);
        mbedtls_ssl_set_bio(&ssl_, this, &MbedTls::send_cb, &MbedTls::recv_cb, nullptr);
        started_ = true;
        return true;
    }

    HandshakeStatus handshake() override {
        const int r = retry([this] { return mbedtls_ssl_handshake(&ssl_); });
        if (r == 0) return HandshakeStatus::Done;
        if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return HandshakeStatus::InProgress;
        record_failure("TLS handshake failed", r);
        return HandshakeStatus::Failed;
    }

    void feed_cipher(Bytes data) override {
        if (in_pos_ > 0 && in_pos_ == in_.size()) { in_.clear(); in_pos_ = 0; }
        in_.append(reinterpret_cast<const char*>(data.data()), data.size());
    }
    void feed_eof() override { eof_ = true; }

    std::size_t take_cipher(MutableBytes out) override {
        if (close_pending_) queue_close_notify();  // it waited for room in the queue
        const std::size_t n = std::min(out.size(), out_.size());
        std::memcpy(out.data(), out_.data(), n);
        out_.erase(0, n);
        return n;
    }
    bool cipher_pending() const override { return !out_.empty() || close_pending_; }

    IoResult read(MutableBytes out) override {
        if (out.empty()) return {0, IoStatus::Ok};
        if (close_notify_received_ || bare_eof_) return {0, IoStatus::Eof};
        const int r = retry([&] { return mbedtls_ssl_read(&ssl_, reinterpret_cast<unsigned char*>(out.data()), out.size()); });
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        switch (r) {
        case MBEDTLS_ERR_SSL_WANT_READ:
        case MBEDTLS_ERR_SSL_WANT_WRITE:
            return {0, IoStatus::WouldBlock};
        case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
            close_notify_received_ = true;
            return {0, IoStatus::Eof};
        case 0:
        case MBEDTLS_ERR_SSL_CONN_EOF:
            // No close_notify: an end of stream all the same (tls.hpp);
            // nothing more goes to a socket the peer has closed.
            bare_eof_ = true;
            out_.clear();
            return {0, IoStatus::Eof};
        default:
            record_failure("TLS error", r);
            return {0, IoStatus::Failed};
        }
    }

    IoResult write(Bytes data) override {
        if (data.empty()) return {0, IoStatus::Ok};
        // After WANT_*, mbedTLS must be called again with the same buffer
        // and length (it may have encrypted part of it already): the Driver
        // hands us its unsent bytes again, which begin with those.
        if (!retry_write_.empty()) {
            if (data.size() < retry_write_.size() || std::memcmp(data.data(), retry_write_.data(), retry_write_.size()) != 0) {
                error_ = "TLS write retried with different data";
                return {0, IoStatus::Failed};
            }
        } else {
            retry_write_.assign(reinterpret_cast<const char*>(data.data()), std::min<std::size_t>(data.size(), 16384));
        }
        const int r = retry([this] {
            return mbedtls_ssl_write(&ssl_, reinterpret_cast<const unsigned char*>(retry_write_.data()), retry_write_.size());
        });
        if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) return {0, IoStatus::WouldBlock};
        retry_write_.clear();
        if (r > 0) return {static_cast<std::size_t>(r), IoStatus::Ok};
        record_failure("TLS error", r);
        return {0, IoStatus::Failed};
    }

    bool plaintext_pending() const override { return started_ && mbedtls_ssl_get_bytes_avail(&ssl_) > 0; }

    bool shutdown() override {
        close_pending_ = true;
        return queue_close_notify();
    }

    bool close_notify_received() const override { return close_notify_received_; }

    std::string error() const override { return error_; }

    std::string description() const override {
        if (!started_) return "no TLS";
        return std::string(mbedtls_ssl_get_version(&ssl_)) + " " + mbedtls_ssl_get_ciphersuite(&ssl_);
    }

    unsigned long interruptions() const { return interruptions_; }

private:
    void load_trust() {
        if (options_.ca_file_only && options_.ca_file.empty())
            throw std::runtime_error("ca_file_only without a ca_file: nothing would be trusted");
        if (!options_.ca_file_only) {
            const char* env = std::getenv("SSL_CERT_FILE");
            const std::string store = env != nullptr && *env != '\0' ? env : kSystemStore;
            // A positive result counts certificates mbedTLS could not parse
            // (a bundle may hold a few it does not support): the rest load.
            if (mbedtls_x509_crt_parse_file(&trust_, store.c_str()) < 0 && options_.ca_file.empty())
                throw std::runtime_error("cannot load the system certificate store " + store);
        }
        if (!options_.ca_file.empty()) {
            const int r = mbedtls_x509_crt_parse_file(&trust_, options_.ca_file.c_str());
            if (r != 0)
                throw std::runtime_error("cannot load the CA file " + options_.ca_file + ": " +
                                         (r < 0 ? mbedtls_text(r) : std::to_string(r) + " certificates unreadable"));
        }
    }

    // Called by mbedTLS for each certificate of the chain, the server's last
    // (depth 0). Replaces mbedTLS's name check with ours (mbedtls_identity.hpp).
    static int check_identity(void* self, mbedtls_x509_crt* crt, int depth, std::uint32_t* flags) {
        if (depth != 0) return 0;
        const auto& me = *static_cast<MbedTls*>(self);
        *flags &= ~static_cast<std::uint32_t>(MBEDTLS_X509_BADCERT_CN_MISMATCH);
        if (!detail::certificate_names(*crt, me.peer_)) *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
        return 0;
    }

    static int send_cb(void* self, const unsigned char* data, std::size_t size) {
        auto& me = *static_cast<MbedTls*>(self);
        if (me.interrupted(me.send_interrupted_)) return MBEDTLS_ERR_SSL_WANT_WRITE;
        const std::size_t room = kCipherQueueLimit - std::min(kCipherQueueLimit, me.out_.size());
        if (room == 0) return MBEDTLS_ERR_SSL_WANT_WRITE;
        const std::size_t n = std::min(room, size);
        me.out_.append(reinterpret_cast<const char*>(data), n);
        return static_cast<int>(n);
    }

    static int recv_cb(void* self, unsigned char* data, std::size_t size) {
        auto& me = *static_cast<MbedTls*>(self);
        if (me.interrupted(me.recv_interrupted_)) return MBEDTLS_ERR_SSL_WANT_READ;
        const std::size_t available = me.in_.size() - me.in_pos_;
        if (available == 0) return me.eof_ ? 0 : MBEDTLS_ERR_SSL_WANT_READ;  // 0: the stream ended
        const std::size_t n = std::min(available, size);
        std::memcpy(data, me.in_.data() + me.in_pos_, n);
        me.in_pos_ += n;
        return static_cast<int>(n);
    }

    // The fault injection of make_mbedtls_tls_interrupted(): every other call.
    bool interrupted(bool& last_was_interrupted) {
        if (!interrupt_) return false;
        last_was_interrupted = !last_was_interrupted;
        if (last_was_interrupted) ++interruptions_;
        return last_was_interrupted;
    }

    // Repeats `call` while its WANT_* was not the queues' doing (input is
    // still waiting, or the send queue has room): with nothing left to wait
    // for, the Driver would otherwise wait for the network forever.
    template <typename Call>
    int retry(Call call) {
        int r = call();
        for (int i = 0; i < kRetries; ++i) {
            const bool spurious_read = r == MBEDTLS_ERR_SSL_WANT_READ && (in_pos_ < in_.size() || eof_);
            const bool spurious_write = r == MBEDTLS_ERR_SSL_WANT_WRITE && out_.size() < kCipherQueueLimit;
            if (!spurious_read && !spurious_write) break;
            r = call();
        }
        return r;
    }

    bool queue_close_notify() {
        const int r = retry([this] { return mbedtls_ssl_close_notify(&ssl_); });
        if (r == MBEDTLS_ERR_SSL_WANT_WRITE || r == MBEDTLS_ERR_SSL_WANT_READ) return true;  // again in take_cipher()
        close_pending_ = false;
        if (r == 0) return true;
        record_failure("TLS shutdown failed", r);
        return false;
    }

    void record_failure(const char* what, int code) {
        error_ = what;
        const std::uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_);
        if (code == MBEDTLS_ERR_SSL_CONN_EOF) error_ += ": the connection closed";
        if (options_.verify && flags != 0 && flags != static_cast<std::uint32_t>(-1)) {
            error_ += ": certificate verification failed:";
            if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) error_ += " hostname mismatch;";
            char info[512];
            const std::uint32_t rest = flags & ~static_cast<std::uint32_t>(MBEDTLS_X509_BADCERT_CN_MISMATCH);
            if (rest != 0 && mbedtls_x509_crt_verify_info(info, sizeof info, " ", rest) > 0) {
                std::string text = info;
                for (char& c : text) if (c == '\n') c = ';';
                error_ += text;
            }
        }
        error_ += " (" + mbedtls_text(code) + ")";
    }

    bool fail(const char* what, int code) {
        error_ = std::string(what) + ": " + mbedtls_text(code);
        return false;
    }

    TlsOptions options_;
    PeerName peer_;
    bool interrupt_;
    mbedtls_ssl_context ssl_;
    mbedtls_ssl_config conf_;
    mbedtls_x509_crt trust_;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    std::string in_;           // network -> mbedTLS, consumed from in_pos_
    std::size_t in_pos_ = 0;
    std::string out_;          // mbedTLS -> network, bounded by kCipherQueueLimit
    std::string retry_write_;  // what the last mbedtls_ssl_write() was given, until it completes
    bool eof_ = false;
    bool started_ = false;
    bool bare_eof_ = false;
    bool close_notify_received_ = false;
    bool close_pending_ = false;
    bool send_interrupted_ = false;
    bool recv_interrupted_ = false;
    unsigned long interruptions_ = 0;
    std::string error_;
};

}  // namespace

std::unique_ptr<TlsBackend> make_mbedtls_tls(const TlsOptions& options) {
    return std::make_unique<MbedTls>(options, false);
}

namespace detail {

std::unique_ptr<TlsBackend> make_mbedtls_tls_interrupted(const TlsOptions& options) {
    return std::make_unique<MbedTls>(options, true);
}

unsigned long mbedtls_interruptions(const TlsBackend& backend) {
    return static_cast<const MbedTls&>(backend).interruptions();
}

}  // namespace detail
}  // namespace smtpcore::adapters
