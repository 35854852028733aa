// Walks the certificate's extensions itself (RFC 5280 §4.1.2.9, §4.2.1.6):
// mbedTLS 2.28 lists only dNSName and otherName entries in
// subject_alt_names, and an IP literal needs the iPAddress entries.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // v3_ext is private on mbedTLS 3.x
#include "mbedtls_identity.hpp"

#include <arpa/inet.h>
#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>

#include <cstring>
#include <string_view>

namespace smtpcore::adapters::detail {
namespace {

constexpr unsigned char kDnsName = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2;    // GeneralName [2] IA5String
constexpr unsigned char kIpAddress = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7;  // GeneralName [7] OCTET STRING

bool same_label_text(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// RFC 9525 §6.3: "*" may only be the complete left-most label, and it
// matches exactly one label; it must leave at least two labels after it
// ("*.com" is refused, as OpenSSL does).
bool dns_name_matches(std::string_view pattern, std::string_view host) {
    if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
        const std::string_view rest = pattern.substr(2);
        if (rest.find('.') == std::string_view::npos || rest.find('*') != std::string_view::npos) return false;
        const auto dot = host.find('.');
        if (dot == std::string_view::npos || dot == 0) return false;
        return same_label_text(host.substr(dot + 1), rest);
    }
    if (pattern.find('*') != std::string_view::npos) return false;  // partial wildcards: never
    return same_label_text(pattern, host);
}

struct Address {
    unsigned char bytes[16];
    std::size_t size = 0;
};

Address parse_address(const std::string& text) {
    Address a;
    if (inet_pton(AF_INET, text.c_str(), a.bytes) == 1) a.size = 4;
    else if (inet_pton(AF_INET6, text.c_str(), a.bytes) == 1) a.size = 16;
    return a;
}

// Calls `on_name(tag, value, length)` for every GeneralName of the
// subjectAltName extension in `ext` (the SEQUENCE OF Extension).
template <typename OnName>
void for_each_alt_name(const mbedtls_x509_buf& ext, OnName on_name) {
    unsigned char* p = ext.p;
    const unsigned char* const end = ext.p + ext.len;
    std::size_t len = 0;
    if (p == nullptr || mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return;
    while (p < end) {
        // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return;
        unsigned char* const next = p + len;
        std::size_t oid_len = 0;
        if (mbedtls_asn1_get_tag(&p, next, &oid_len, MBEDTLS_ASN1_OID) != 0) return;
        const bool is_san = oid_len == MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME) &&
                            std::memcmp(p, MBEDTLS_OID_SUBJECT_ALT_NAME, oid_len) == 0;
        p += oid_len;
        if (is_san) {
            int critical = 0;
            (void)mbedtls_asn1_get_bool(&p, next, &critical);  // optional
            std::size_t value_len = 0;
            if (mbedtls_asn1_get_tag(&p, next, &value_len, MBEDTLS_ASN1_OCTET_STRING) != 0) return;
            if (mbedtls_asn1_get_tag(&p, next, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) return;
            const unsigned char* const names_end = p + len;
            while (p < names_end) {
                const unsigned char tag = *p++;
                if (mbedtls_asn1_get_len(&p, names_end, &len) != 0) return;
                on_name(tag, p, len);
                p += len;
            }
        }
        p = next;
    }
}

}  // namespace

bool certificate_names(const mbedtls_x509_crt& crt, const PeerName& peer) {
    bool found = false;
    const Address want = peer.is_ip ? parse_address(peer.name) : Address{};
    for_each_alt_name(crt.v3_ext, [&](unsigned char tag, const unsigned char* value, std::size_t len) {
        if (peer.is_ip && tag == kIpAddress)
            found = found || (len == want.size && want.size != 0 && std::memcmp(value, want.bytes, len) == 0);
        else if (!peer.is_ip && tag == kDnsName)
            found = found || dns_name_matches(std::string_view(reinterpret_cast<const char*>(value), len), peer.name);
    });
    return found;
}

}  // namespace smtpcore::adapters::detail
