// smtpcore — what the server said it supports in its EHLO reply (RFC 5321 §4.1.1.1).
#pragma once

#include <cstdint>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

/// Service extensions the engine understands. Unknown keywords are ignored.
enum class Extension : std::uint32_t {
    Pipelining = 1u << 0,           ///< RFC 2920
    Size = 1u << 1,                 ///< RFC 1870
    EightBitMime = 1u << 2,         ///< RFC 6152
    SmtpUtf8 = 1u << 3,             ///< RFC 6531
    StartTls = 1u << 4,             ///< RFC 3207
    Auth = 1u << 5,                 ///< RFC 4954
    Chunking = 1u << 6,             ///< RFC 3030
    BinaryMime = 1u << 7,           ///< RFC 3030
    Dsn = 1u << 8,                  ///< RFC 3461
    EnhancedStatusCodes = 1u << 9,  ///< RFC 2034
    RequireTls = 1u << 10,          ///< RFC 8689
};

/// SASL mechanisms named after AUTH (or the legacy "AUTH=" form).
enum class SaslMechanism : std::uint32_t {
    Plain = 1u << 0,        ///< RFC 4616
    Login = 1u << 1,        ///< draft-murchison-sasl-login
    XOAuth2 = 1u << 2,      ///< Google/Microsoft
    OAuthBearer = 1u << 3,  ///< RFC 7628
    ScramSha256 = 1u << 4,  ///< RFC 7677
    CramMd5 = 1u << 5,      ///< RFC 2195 (used only when forced)
    ScramSha256Plus = 1u << 6,  ///< RFC 7677 + RFC 9266 (not recognised with SMTPCORE_NO_SCRAM)
};

/// Extensions compiled out of this build (docs/footprint.md, "Optional
/// features"): with SMTPCORE_NO_SIZE the engine neither reads the SIZE
/// keyword nor writes MAIL's SIZE= parameter (RFC 1870), and has() says so
/// whatever the server offered, so the code behind it folds away. Likewise
/// for every extension whose code a SMTPCORE_NO_* macro takes out: the
/// EHLO parser does not even know its keyword then.
inline constexpr std::uint32_t kExtensionsCompiledOut = 0u
#ifdef SMTPCORE_NO_SIZE
                                                        | static_cast<std::uint32_t>(Extension::Size)
#endif
#ifdef SMTPCORE_NO_8BITMIME
                                                        | static_cast<std::uint32_t>(Extension::EightBitMime)
                                                        | static_cast<std::uint32_t>(Extension::SmtpUtf8)
                                                        | static_cast<std::uint32_t>(Extension::BinaryMime)
#endif
#ifdef SMTPCORE_NO_CHUNKING
                                                        | static_cast<std::uint32_t>(Extension::Chunking)
                                                        | static_cast<std::uint32_t>(Extension::BinaryMime)
#endif
#ifdef SMTPCORE_NO_DSN
                                                        | static_cast<std::uint32_t>(Extension::Dsn)
#endif
#ifdef SMTPCORE_NO_REQUIRETLS
                                                        | static_cast<std::uint32_t>(Extension::RequireTls)
#endif
#ifdef SMTPCORE_NO_ENHANCED_STATUS
                                                        | static_cast<std::uint32_t>(Extension::EnhancedStatusCodes)
#endif
    ;

/// SASL mechanisms compiled out of this build: the EHLO parser does not know
/// their names, so offers() is false for them and no choice can pick them.
inline constexpr std::uint32_t kMechanismsCompiledOut = 0u
#ifdef SMTPCORE_NO_OAUTH
                                                        | static_cast<std::uint32_t>(SaslMechanism::XOAuth2)
                                                        | static_cast<std::uint32_t>(SaslMechanism::OAuthBearer)
#endif
#ifdef SMTPCORE_NO_SCRAM
                                                        | static_cast<std::uint32_t>(SaslMechanism::ScramSha256)
                                                        | static_cast<std::uint32_t>(SaslMechanism::ScramSha256Plus)
#endif
#ifdef SMTPCORE_NO_CRAM_MD5
                                                        | static_cast<std::uint32_t>(SaslMechanism::CramMd5)
#endif
    ;

struct Capabilities {
    std::uint32_t extensions = 0;       ///< bits of Extension
    std::uint32_t mechanisms = 0;       ///< bits of SaslMechanism
    std::uint64_t size_limit = 0;       ///< SIZE parameter; 0 = none declared
    bool esmtp = false;                 ///< false after a HELO fallback

    constexpr bool has(Extension e) const noexcept {
        return (extensions & static_cast<std::uint32_t>(e) & ~kExtensionsCompiledOut) != 0;
    }
    constexpr bool offers(SaslMechanism m) const noexcept {
        return (mechanisms & static_cast<std::uint32_t>(m)) != 0;
    }
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
