// The server certificate's identity check for the mbedTLS backend, by the
// same rules as the OpenSSL backend (docs/adapters.md "Verification rules"):
// subjectAltName only, never the subject CN (RFC 9525 §6.1), a wildcard only
// as the whole left-most label (RFC 9525 §6.3), IP literals against
// iPAddress entries only. mbedTLS's own check falls back to the CN when a
// certificate has no subjectAltName, and 2.28 cannot match IP addresses at
// all, so the backend replaces it with this one.
#pragma once

#include <mbedtls/x509_crt.h>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters::detail {

/// True if the leaf certificate `crt` names `peer`.
bool certificate_names(const mbedtls_x509_crt& crt, const PeerName& peer);

}  // namespace smtpcore::adapters::detail
