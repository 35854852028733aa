#include "tls_peer.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace smtpcore::test {
namespace {

EVP_PKEY* new_key() {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
    EVP_PKEY* key = nullptr;
    if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) != 1 || EVP_PKEY_keygen(ctx, &key) != 1)
        throw std::runtime_error("EC key generation failed");
    EVP_PKEY_CTX_free(ctx);
    return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
    if (ext == nullptr) throw std::runtime_error("bad extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by `issuer_key` (self-signed when issuer is null).
X509* make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                const std::string& san) {
    static long serial = 1;
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509* signer = issuer != nullptr ? issuer : cert;
    add_ext(cert, signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    add_ext(cert, signer, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    if (!ca) add_ext(cert, signer, NID_ext_key_usage, "serverAuth");
    if (!san.empty()) add_ext(cert, signer, NID_subject_alt_name, san);
    if (X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0)
        throw std::runtime_error("X509_sign failed");
    return cert;
}

}  // namespace

Leaf::~Leaf() {
    X509_free(cert);
    EVP_PKEY_free(key);
}

TestCa::TestCa(const std::string& name) {
    self_.key = new_key();
    self_.cert = make_cert(self_.key, name, nullptr, nullptr, true, "");
    char path[] = "/tmp/smtpcore-test-ca-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    FILE* f = fdopen(fd, "w");
    PEM_write_X509(f, self_.cert);
    std::fclose(f);
    pem_file_ = path;
}

TestCa::~TestCa() { std::remove(pem_file_.c_str()); }

Leaf TestCa::issue(const std::string& cn, const std::string& san) const {
    Leaf leaf;
    leaf.key = new_key();
    leaf.cert = make_cert(leaf.key, cn, self_.cert, self_.key, false, san);
    return leaf;
}

TlsServerPeer::TlsServerPeer(const Leaf& leaf, int max_version) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, leaf.cert);
    SSL_CTX_use_PrivateKey(ctx_, leaf.key);
    if (max_version != 0) SSL_CTX_set_max_proto_version(ctx_, max_version);
    SSL_CTX_set_tlsext_servername_callback(ctx_, +[](SSL* s, int*, void* self) {
        const char* name = SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);
        static_cast<TlsServerPeer*>(self)->sni = name != nullptr ? name : "";
        return SSL_TLSEXT_ERR_OK;
    });
    SSL_CTX_set_tlsext_servername_arg(ctx_, this);
    ssl_ = SSL_new(ctx_);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_accept_state(ssl_);
}

TlsServerPeer::~TlsServerPeer() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
}

void TlsServerPeer::to_client(adapters::TlsBackend& client) {
    char buf[16384];
    for (int n; (n = BIO_read(out_, buf, sizeof buf)) > 0;) client.feed_cipher(Bytes(buf, std::size_t(n)));
}

void TlsServerPeer::pump(adapters::TlsBackend& client) {
    char buf[16384];
    while (client.cipher_pending()) {
        const std::size_t n = client.take_cipher(MutableBytes(buf, sizeof buf));
        BIO_write(in_, buf, static_cast<int>(n));
    }
    if (!SSL_is_init_finished(ssl_)) {
        const int r = SSL_do_handshake(ssl_);
        if (r <= 0 && SSL_get_error(ssl_, r) == SSL_ERROR_SSL) {
            char text[256];
            ERR_error_string_n(ERR_get_error(), text, sizeof text);
            last_error = text;
        }
    }
    ERR_clear_error();
    to_client(client);
}

adapters::HandshakeStatus TlsServerPeer::handshake(adapters::TlsBackend& client) {
    adapters::HandshakeStatus status = adapters::HandshakeStatus::InProgress;
    for (int i = 0; i < 50; ++i) {
        status = client.handshake();
        pump(client);
        if (status == adapters::HandshakeStatus::Failed) break;
        if (status == adapters::HandshakeStatus::Done && SSL_is_init_finished(ssl_)) break;
    }
    return status;
}

void TlsServerPeer::send(const std::string& plain) {
    SSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
}

void TlsServerPeer::shutdown() { SSL_shutdown(ssl_); }

std::string TlsServerPeer::receive() {
    std::string got;
    char buf[4096];
    for (;;) {
        const int n = SSL_read(ssl_, buf, sizeof buf);
        if (n > 0) {
            got.append(buf, std::size_t(n));
            continue;
        }
        const int e = SSL_get_error(ssl_, n);
        if (e == SSL_ERROR_ZERO_RETURN) closed = true;
        if (e == SSL_ERROR_SSL) {
            char text[256];
            ERR_error_string_n(ERR_get_error(), text, sizeof text);
            last_error = text;
        }
        ERR_clear_error();
        return got;
    }
}

}  // namespace smtpcore::test
