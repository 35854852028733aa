// Certificate verification for the Schannel backend. Schannel is told to
// leave validation to us (SCH_CRED_MANUAL_CRED_VALIDATION) so that the extra
// CA file and the trust-only-that-file mode work as with OpenSSL.
#pragma once

#include <winsock2.h>  // before windows.h, which would pull in the old winsock.h
#include <windows.h>
#include <wincrypt.h>

#include <memory>
#include <string>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters::detail {

struct StoreClose {
    void operator()(HCERTSTORE store) const noexcept { CertCloseStore(store, 0); }
};
using CertStore = std::unique_ptr<void, StoreClose>;

/// The certificates of a PEM file in a memory store. Throws
/// std::runtime_error if the file cannot be read or holds no certificate.
CertStore load_pem_store(const std::string& path);

/// RFC 9525 §6.3: a DNS-ID `pattern` matches `name` case-insensitively; a
/// wildcard only as the whole left-most label, standing for one label.
bool dns_name_matches(std::string pattern, std::string name);

/// Checks the server's certificate: a chain to a trusted root
/// (CertGetCertificateChain, with `extra` as additional trust anchors and
/// intermediates), then the SSL policy with the server's name
/// (CertVerifyCertificateChainPolicy, CERT_CHAIN_POLICY_SSL: host name,
/// expiry, key usage), then the name against subjectAltName alone (DNS names,
/// or IP addresses for an IP literal; never the subject CN, which the SSL
/// policy would accept). With `extra_only`, the root must be one of `extra`.
/// Returns "" when the certificate is good, else why not, for people.
std::string verify_server_certificate(PCCERT_CONTEXT certificate, const PeerName& peer, HCERTSTORE extra,
                                      bool extra_only);

}  // namespace smtpcore::adapters::detail
