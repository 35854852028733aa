#include "openssl_context.hpp"

#include <openssl/err.h>
#include <sys/stat.h>

#include <cstdlib>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace smtpcore::adapters::detail {
namespace {

constexpr std::size_t kCachedContexts = 8;  // distinct trust settings kept alive

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

// Everything that decides what the context trusts.
std::string cache_key(const TlsOptions& o) {
    std::string key = std::string(o.verify ? "v" : "-") + (o.ca_file_only ? "o" : "-") + '\n' + o.ca_file + '\n';
    struct stat st {};
    if (!o.ca_file.empty() && stat(o.ca_file.c_str(), &st) == 0)
        key += std::to_string(st.st_ino) + ':' + std::to_string(st.st_size) + ':' + std::to_string(st.st_mtim.tv_sec) +
               '.' + std::to_string(st.st_mtim.tv_nsec);
    if (o.verify && !o.ca_file_only) key += '\n' + env("SSL_CERT_FILE") + '\n' + env("SSL_CERT_DIR");
    return key;
}

SslContext build(const TlsOptions& options) {
    ERR_clear_error();
    SslContext ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
    if (!ctx) throw std::runtime_error("SSL_CTX_new: " + openssl_errors());
    SSL_CTX* c = ctx.get();
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    // A server-initiated TLS 1.2 renegotiation would re-run the handshake in
    // the middle of the dialogue, unbounded: refuse it (the backend's contract).
    SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_verify(c, options.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    if (options.ca_file_only && options.ca_file.empty())
        throw std::runtime_error("ca_file_only without a ca_file: nothing would be trusted");
    // The system store is OpenSSL's default paths, which the SSL_CERT_FILE
    // and SSL_CERT_DIR variables redefine; ca_file_only skips it.
    if (options.verify && !options.ca_file_only && SSL_CTX_set_default_verify_paths(c) != 1)
        throw std::runtime_error("cannot load the system certificate store: " + openssl_errors());
    // The extra CA file is loaded even with --insecure so a bad path is reported.
    if (!options.ca_file.empty() && SSL_CTX_load_verify_locations(c, options.ca_file.c_str(), nullptr) != 1)
        throw std::runtime_error("cannot load CA file " + options.ca_file + ": " + openssl_errors());
    return ctx;
}

std::mutex cache_mutex;
std::list<std::pair<std::string, SslContext>> cache;  // most recently used first
unsigned built = 0;

}  // namespace

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

SslContext client_context(const TlsOptions& options) {
    const std::string key = cache_key(options);
    std::lock_guard<std::mutex> lock(cache_mutex);
    for (auto it = cache.begin(); it != cache.end(); ++it) {
        if (it->first != key) continue;
        cache.splice(cache.begin(), cache, it);
        return it->second;
    }
    SslContext ctx = build(options);
    ++built;
    cache.emplace_front(key, ctx);
    if (cache.size() > kCachedContexts) cache.pop_back();
    return ctx;
}

unsigned contexts_built() {
    std::lock_guard<std::mutex> lock(cache_mutex);
    return built;
}

}  // namespace smtpcore::adapters::detail
