// Picks the TLS backend at run time among those compiled in (-Dtls=...).
#include <stdexcept>

#include "smtpcore/adapters/tls.hpp"

namespace smtpcore::adapters {

bool tls_library_built(TlsLibrary library) {
    switch (library) {
    case TlsLibrary::OpenSsl: return SMTPCORE_TLS_OPENSSL != 0;
    case TlsLibrary::MbedTls: return SMTPCORE_TLS_MBEDTLS != 0;
    case TlsLibrary::Schannel: return SMTPCORE_TLS_SCHANNEL != 0;
    }
    return false;
}

std::unique_ptr<TlsBackend> make_tls(TlsLibrary library, const TlsOptions& options) {
    switch (library) {
#if SMTPCORE_TLS_OPENSSL
    case TlsLibrary::OpenSsl: return make_openssl_tls(options);
#endif
#if SMTPCORE_TLS_MBEDTLS
    case TlsLibrary::MbedTls: return make_mbedtls_tls(options);
#endif
#if SMTPCORE_TLS_SCHANNEL
    case TlsLibrary::Schannel: return make_schannel_tls(options);
#endif
    default: break;
    }
    switch (library) {
    case TlsLibrary::MbedTls: throw std::runtime_error("this build has no mbedTLS backend (-Dtls=...,mbedtls)");
    case TlsLibrary::Schannel: throw std::runtime_error("this build has no Schannel backend (Windows, -Dtls=schannel)");
    default: throw std::runtime_error("this build has no OpenSSL backend (-Dtls=openssl,...)");
    }
}

}  // namespace smtpcore::adapters
