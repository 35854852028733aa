// SCRAM-SHA-256 and SCRAM-SHA-256-PLUS client (RFC 5802, RFC 7677; channel
// binding RFC 5801 gs2 flags and RFC 9266 tls-exporter). Internal.
//
// Pure and allocation-free: the host supplies the random octets for the
// nonce (the core has no RNG) and, for -PLUS, the 32 tls-exporter octets its
// TLS library exported. Three steps, each writing the raw message into a
// SaslOutput (which base64-encodes it for the wire) or checking the server's:
//
//   start()              -> client-first-message
//   answer_server_first  -> client-final-message (PBKDF2 runs here)
//   verify_server_final  -> the server proved it knows the password (mutual
//                           authentication); anything else is fatal
//
// The user name, password and authzid views must stay valid until the
// exchange ends; everything else is copied. Secrets are wiped after use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sasl_output.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::detail {

/// The gs2-cbind-flag of RFC 5801 §4 the client sends.
enum class ChannelBinding : std::uint8_t {
    /// "n": the client cannot bind (no exporter from its TLS library, or no TLS).
    NotSupported,
    /// "y": the client could bind but the server did not offer -PLUS. A server
    /// that does offer -PLUS then fails the exchange: a downgrade is detected.
    ServerDidNotOffer,
    /// "p=tls-exporter": SCRAM-SHA-256-PLUS with the RFC 9266 binding.
    TlsExporter,
};

struct ScramParams {
    std::string_view username;  ///< SASLprep'd as ASCII only (see check_saslprep_ascii)
    std::string_view password;
    std::string_view authzid;   ///< empty: act as the authenticated user
    ChannelBinding binding = ChannelBinding::NotSupported;
    /// With TlsExporter: the output of the TLS exporter with label
    /// "EXPORTER-Channel-Binding", no context, 32 octets (RFC 9266 §2).
    Bytes binding_data;
    /// Octets from the host's CSPRNG; the nonce is their base64.
    Bytes random;
    /// The server chooses the iteration count; outside these bounds the
    /// exchange is refused. RFC 7677 §4: at least 4096 SHOULD be used.
    std::uint32_t min_iterations = 4096;
    std::uint32_t max_iterations = 65536;
};

/// ASCII subset of SASLprep (RFC 4013): printable ASCII and space pass
/// unchanged (no mapping or normalisation applies to them); controls are
/// prohibited (§5, C.2.1); any non-ASCII octet is refused because full
/// SASLprep (NFKC, the Unicode tables) is not built. Empty is refused.
const char* check_saslprep_ascii(std::string_view text) noexcept;

class ScramSha256 {
public:
    static constexpr std::size_t kMinRandomOctets = 15;  ///< 120 bits (the RFC 7677 example's size)
    static constexpr std::size_t kMaxRandomOctets = 48;
    static constexpr std::size_t kTlsExporterOctets = 32;  ///< RFC 9266 §2
    static constexpr std::size_t kMaxSaltOctets = 128;

    /// Checks the parameters and writes client-first-message
    /// (gs2-header "n=" saslname ",r=" nonce, RFC 5802 §7).
    const char* start(const ScramParams& params, SaslOutput& out) noexcept;

    /// Parses server-first-message (the decoded 334 text), checks it (no "m=",
    /// our nonce extended, salt and iteration count within bounds), derives
    /// the keys and writes client-final-message with the proof.
    const char* answer_server_first(std::string_view server_first, SaslOutput& out) noexcept;

    /// Checks server-final-message: "v=" must equal the ServerSignature we
    /// computed (RFC 5802 §3: the client authenticates the server). "e=" is
    /// the server's refusal; its value is put in `server_error` if given.
    /// Returns nullptr only when the server is authenticated.
    const char* verify_server_final(std::string_view server_final, std::string_view* server_error = nullptr) noexcept;

    bool server_verified() const noexcept { return step_ == Step::Done; }

private:
    enum class Step : std::uint8_t { Idle, SentClientFirst, SentClientFinal, Done, Failed };

    template <class Out> void put_gs2_header(Out& out) const noexcept;
    template <class Out> void put_client_first_bare(Out& out) const noexcept;
    template <class Out> void put_channel_binding(Out& out) const noexcept;
    const char* fail(const char* reason) noexcept;

    std::string_view username_, password_, authzid_;
    ChannelBinding binding_ = ChannelBinding::NotSupported;
    Step step_ = Step::Idle;
    std::uint8_t nonce_size_ = 0;
    char nonce_[codec::base64_encoded_size(kMaxRandomOctets)] = {};
    std::uint8_t binding_data_[kTlsExporterOctets] = {};
    std::uint8_t server_signature_[32] = {};
    std::uint32_t min_iterations_ = 0, max_iterations_ = 0;
};

}  // namespace smtpcore::detail
