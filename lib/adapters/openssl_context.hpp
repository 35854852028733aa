// The OpenSSL client context, shared between connections with the same trust
// settings: loading the system store parses every CA certificate (42-72 ms
// on 2 shared cores, bench/bench_tls_context), which is more than
// a loopback handshake. Contexts are cached per (verify, ca_file as it is on
// disk now, ca_file_only, SSL_CERT_FILE, SSL_CERT_DIR); a CA file that
// changes on disk gets a new context.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters::detail {

using SslContext = std::shared_ptr<SSL_CTX>;

/// The context for `options`, built on first use. Thread-safe. Throws
/// std::runtime_error when the store or the CA file cannot be loaded.
SslContext client_context(const TlsOptions& options);

/// Empties OpenSSL's error queue into one line of text, for people.
std::string openssl_errors();

/// How many contexts were built so far (for tests and the benchmark).
unsigned contexts_built();

}  // namespace smtpcore::adapters::detail
