#include "schannel_verify.hpp"

#include <ws2tcpip.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "errno_text.hpp"
#include "smtpcore/adapters/file_source.hpp"
#include "win_text.hpp"

namespace smtpcore::adapters::detail {
namespace {

// SECURITY_FLAG_IGNORE_* from <wininet.h>: the checks the SSL policy may skip.
constexpr DWORD kIgnoreUnknownCa = 0x00000100;
constexpr DWORD kIgnoreNameMismatch = 0x00001000;

// The SSL policy's verdicts in words (wine's FormatMessage has no text for them).
std::string policy_text(DWORD code) {
    switch (code) {
    case static_cast<DWORD>(CERT_E_UNTRUSTEDROOT): return "self-signed or unknown issuer (not a trusted CA)";
    case static_cast<DWORD>(CERT_E_CN_NO_MATCH): return "the certificate does not name the server";
    case static_cast<DWORD>(CERT_E_EXPIRED): return "the certificate has expired or is not yet valid";
    case static_cast<DWORD>(CERT_E_WRONG_USAGE): return "the certificate is not for TLS servers";
    case static_cast<DWORD>(CERT_E_CHAINING): return "no chain to a trusted CA";
    case static_cast<DWORD>(CRYPT_E_REVOKED): return "the certificate was revoked";
    default: return windows_error_text(code);
    }
}

// The server's identity against subjectAltName only (RFC 9525 §6.1: never the
// subject CN, which Windows' SSL policy falls back to): DNS names for a host
// name, iPAddress entries octet for octet for an IP literal (§6.2; the SSL
// policy matches no IP addresses, wine's least of all).
bool certificate_names(PCCERT_CONTEXT certificate, const PeerName& peer) {
    unsigned char ip[16];
    const bool v6 = peer.name.find(':') != std::string::npos;
    if (peer.is_ip && inet_pton(v6 ? AF_INET6 : AF_INET, peer.name.c_str(), ip) != 1) return false;
    const DWORD ip_size = v6 ? 16 : 4;
    const CERT_INFO* info = certificate->pCertInfo;
    const CERT_EXTENSION* san = CertFindExtension(szOID_SUBJECT_ALT_NAME2, info->cExtension, info->rgExtension);
    if (san == nullptr) return false;
    CERT_ALT_NAME_INFO* names = nullptr;
    DWORD size = 0;
    if (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, san->Value.pbData, san->Value.cbData,
                             CRYPT_DECODE_ALLOC_FLAG, nullptr, &names, &size))
        return false;
    bool found = false;
    for (DWORD i = 0; i < names->cAltEntry && !found; ++i) {
        const CERT_ALT_NAME_ENTRY& e = names->rgAltEntry[i];
        if (peer.is_ip)
            found = e.dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS && e.IPAddress.cbData == ip_size &&
                    std::memcmp(e.IPAddress.pbData, ip, ip_size) == 0;
        else if (e.dwAltNameChoice == CERT_ALT_NAME_DNS_NAME)
            found = dns_name_matches(narrow(e.pwszDNSName), peer.name);
    }
    LocalFree(names);
    return found;
}

std::string read_file(const std::string& path) {
    const int fd = open_read_only(path);
    if (fd < 0) throw std::runtime_error("cannot load CA file " + path + ": " + errno_text(errno));
    std::string text;
    char buf[4096];
    for (;;) {
        const int n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return text;
}

struct ChainFree {
    void operator()(PCCERT_CHAIN_CONTEXT chain) const noexcept { CertFreeCertificateChain(chain); }
};

// The root the chain ends in is one of the CA file's certificates.
bool root_in(PCCERT_CHAIN_CONTEXT chain, HCERTSTORE store) {
    if (store == nullptr || chain->cChain == 0) return false;
    const CERT_SIMPLE_CHAIN* simple = chain->rgpChain[0];
    if (simple->cElement == 0) return false;
    PCCERT_CONTEXT root = simple->rgpElement[simple->cElement - 1]->pCertContext;
    PCCERT_CONTEXT found = CertFindCertificateInStore(store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, 0,
                                                      CERT_FIND_EXISTING, root, nullptr);
    if (found == nullptr) return false;
    CertFreeCertificateContext(found);
    return true;
}

std::string policy_error(PCCERT_CHAIN_CONTEXT chain, const std::wstring& name, DWORD ignore) {
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl{};
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.fdwChecks = ignore;
    ssl.pwszServerName = const_cast<wchar_t*>(name.c_str());
    CERT_CHAIN_POLICY_PARA para{};
    para.cbSize = sizeof para;
    para.pvExtraPolicyPara = &ssl;
    if (ignore != 0) para.dwFlags = CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;
    CERT_CHAIN_POLICY_STATUS status{};
    status.cbSize = sizeof status;
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &para, &status))
        return "CertVerifyCertificateChainPolicy: " + windows_error_text(GetLastError());
    return status.dwError == 0 ? std::string() : policy_text(status.dwError);
}

}  // namespace

bool dns_name_matches(std::string pattern, std::string name) {
    for (std::string* t : {&pattern, &name})
        for (char& c : *t) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (pattern.size() > 2 && pattern[0] == '*' && pattern[1] == '.') {
        const auto dot = name.find('.');
        return dot != std::string::npos && dot > 0 && name.compare(dot, std::string::npos, pattern, 1) == 0;
    }
    return pattern.find('*') == std::string::npos && pattern == name;
}

CertStore load_pem_store(const std::string& path) {
    const std::string pem = read_file(path);
    CertStore store(CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_CREATE_NEW_FLAG, nullptr));
    if (!store) throw std::runtime_error("CertOpenStore: " + windows_error_text(GetLastError()));
    static const std::string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
    unsigned added = 0;
    for (std::size_t at = pem.find(begin); at != std::string::npos; at = pem.find(begin, at + 1)) {
        const std::size_t stop = pem.find(end, at);
        if (stop == std::string::npos) break;
        const std::string block = pem.substr(at, stop + end.size() - at);
        DWORD size = 0;
        if (!CryptStringToBinaryA(block.c_str(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER,
                                  nullptr, &size, nullptr, nullptr))
            continue;
        std::string der(size, '\0');
        CryptStringToBinaryA(block.c_str(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER,
                             reinterpret_cast<BYTE*>(der.data()), &size, nullptr, nullptr);
        if (CertAddEncodedCertificateToStore(store.get(), X509_ASN_ENCODING, reinterpret_cast<const BYTE*>(der.data()),
                                             size, CERT_STORE_ADD_USE_EXISTING, nullptr))
            ++added;
    }
    if (added == 0) throw std::runtime_error("cannot load CA file " + path + ": no PEM certificate in it");
    return store;
}

std::string verify_server_certificate(PCCERT_CONTEXT certificate, const PeerName& peer, HCERTSTORE extra,
                                      bool extra_only) {
    CERT_CHAIN_PARA para{};
    para.cbSize = sizeof para;
    // RFC 5280 §4.2.1.12: a certificate for TLS servers.
    LPSTR server_auth = const_cast<LPSTR>(szOID_PKIX_KP_SERVER_AUTH);
    para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
    para.RequestedUsage.Usage.cUsageIdentifier = 1;
    para.RequestedUsage.Usage.rgpszUsageIdentifier = &server_auth;
    PCCERT_CHAIN_CONTEXT raw = nullptr;
    // `extra` lends its certificates as intermediates; trust in them as
    // roots is decided below, since the system engine does not know them.
    if (!CertGetCertificateChain(nullptr, certificate, nullptr, extra,
                                 &para, 0, nullptr, &raw))
        return "CertGetCertificateChain: " + windows_error_text(GetLastError());
    const std::unique_ptr<const CERT_CHAIN_CONTEXT, ChainFree> chain(raw);

    const bool trusted_by_file = root_in(chain.get(), extra);
    if (extra_only && !trusted_by_file) return "the certificate was not issued by a CA in the CA file";
    // A root from the CA file is unknown to the system: that one check is
    // waived for it, every other (name, dates, usage) still applies.
    const std::wstring name = widen(peer.name);
    // Host names: the policy's own name check too (with the name as SNI
    // sent it); IP literals: certificate_names() alone.
    const DWORD ignore = (trusted_by_file ? kIgnoreUnknownCa : 0) | (peer.is_ip ? kIgnoreNameMismatch : 0);
    std::string why = policy_error(chain.get(), name, ignore);
    if (why.empty() && !certificate_names(certificate, peer))
        why = "the certificate does not name the server (no subjectAltName " +
              std::string(peer.is_ip ? "IP address " : "DNS name ") + peer.name + ")";
    return why;
}

}  // namespace smtpcore::adapters::detail
