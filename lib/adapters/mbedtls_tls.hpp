// The mbedTLS backend's test hook (tests/adapters only): the same backend as
// make_mbedtls_tls(), with its I/O callbacks interrupted the way mbedTLS's
// own test programs do with nbio=2.
#pragma once

#include <memory>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters::detail {

/// Every first attempt of the receive and send callbacks returns
/// MBEDTLS_ERR_SSL_WANT_READ / WANT_WRITE; the retry goes through. A backend
/// that does not retry, or retries mbedtls_ssl_write with other arguments,
/// stalls or corrupts the stream under it.
std::unique_ptr<TlsBackend> make_mbedtls_tls_interrupted(const TlsOptions& options);

/// How many times the callbacks interrupted a call (the test checks it was exercised).
unsigned long mbedtls_interruptions(const TlsBackend& backend);

}  // namespace smtpcore::adapters::detail
