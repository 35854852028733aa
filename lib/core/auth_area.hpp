// The state of the SASL mechanisms beyond PLAIN and LOGIN, kept at the start
// of the Client's storage when it was made with AuthOptions (so the Client
// object itself does not grow: the minimal session stays 1 KiB). Internal.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/client.hpp"

#if SMTPCORE_SASL_EXTENSIONS

#ifndef SMTPCORE_NO_SCRAM
#include "sasl_scram.hpp"
#endif

namespace smtpcore::detail {

struct AuthArea {
    AuthOptions options;
#ifndef SMTPCORE_NO_SCRAM
    ScramSha256 scram;
    std::uint8_t binding[ScramSha256::kTlsExporterOctets];
#endif
#ifndef SMTPCORE_NO_OAUTH
    // The "status" of the server's JSON error challenge (RFC 7628 §3.2.2),
    // kept until the final 535 reports it.
    static constexpr std::size_t kStatusMax = 40;
    char status[kStatusMax];
    std::uint8_t status_length;
#endif
    bool has_binding;  // tls_established() was given a 32-octet tls-exporter
};

/// Puts a fresh AuthArea holding `auth` at the start of `storage` (aligned)
/// and returns the storage after it; empty when it does not fit.
MutableBytes place_auth_area(MutableBytes storage, const AuthOptions& auth) noexcept;

/// The checks the AuthOptions constructor adds to Config's (nullptr: fine).
/// Replaces the PLAIN credential check, which it applies when a password
/// mechanism may be used.
const char* check_auth_options(const Config& config, const AuthOptions& auth) noexcept;

/// Send-buffer octets the longest first AUTH line may need with these options.
std::size_t auth_line_size(const Config& config, const AuthOptions& auth) noexcept;

}  // namespace smtpcore::detail

#endif
