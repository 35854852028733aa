// smtpcore — what the SASL mechanisms beyond PLAIN and LOGIN need from the
// host: an OAuth token, random octets for SCRAM, the SCRAM cost bounds.
//
// Given to the Client constructor that takes AuthOptions (the one without
// them keeps PLAIN and LOGIN only, and the minimal session's size). The
// channel binding for SCRAM-SHA-256-PLUS comes later, with
// Client::tls_established(binding), because it exists only once TLS is up.
//
// Firmware that does not need them compiles the mechanisms out:
// -DSMTPCORE_NO_SCRAM, -DSMTPCORE_NO_OAUTH, -DSMTPCORE_NO_CRAM_MD5 (all three
// also remove this constructor; docs/footprint.md prices each).
#pragma once

#include <cstdint>
#include <string_view>

#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

#if defined(SMTPCORE_NO_SCRAM) && defined(SMTPCORE_NO_OAUTH) && defined(SMTPCORE_NO_CRAM_MD5)
#define SMTPCORE_SASL_EXTENSIONS 0
#else
#define SMTPCORE_SASL_EXTENSIONS 1
#endif

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

/// Borrowed like Config's views: the caller keeps the octets alive for the
/// whole life of the Client.
struct AuthOptions {
    /// An OAuth 2.0 access token (RFC 6750 §2.1 b64token). When set,
    /// AuthChoice::Auto uses OAUTHBEARER (RFC 7628), else XOAUTH2, and never
    /// the password (which may then be empty).
    std::string_view oauth_token;
    /// OAUTHBEARER's optional "host=" and "port=" (RFC 7628 §3.1): the server
    /// name and port the client connected to; empty and 0 leave them out.
    std::string_view oauth_host;
    std::uint16_t oauth_port = 0;
    /// 15 to 48 octets from the host's CSPRNG for the SCRAM client nonce (the
    /// engine has no random source). Empty: Auto never picks SCRAM.
    Bytes random;
    /// SCRAM: the server picks the PBKDF2 iteration count; outside
    /// [min, max] the exchange is refused before any work. RFC 7677 §4 asks
    /// for at least 4096. The ceiling bounds what a server can make the
    /// client compute: 65536 iterations are about 120 ms on a desktop and
    /// 4 to 5 s on a 168 MHz Cortex-M4 (docs/footprint.md).
    std::uint32_t scram_min_iterations = 4096;
    std::uint32_t scram_max_iterations = 65536;
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
