// SCRAM-SHA-256(-PLUS) client, RFC 5802 §3 (the algorithm), §5 (attributes),
// §7 (ABNF); RFC 7677 (SHA-256); RFC 5801 §4 (gs2 header); RFC 9266
// (tls-exporter).
//
//   SaltedPassword  = Hi(password, salt, i)            PBKDF2-HMAC-SHA-256
//   ClientKey       = HMAC(SaltedPassword, "Client Key")
//   StoredKey       = H(ClientKey)
//   AuthMessage     = client-first-message-bare "," server-first-message ","
//                     client-final-message-without-proof
//   ClientProof     = ClientKey XOR HMAC(StoredKey, AuthMessage)
//   ServerSignature = HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage)
//
// AuthMessage is never stored: it is fed to both HMACs as it is produced.
#include "sasl_scram.hpp"

#include "reason.hpp"
#include "smtpcore/codec/hmac.hpp"
#include "smtpcore/codec/pbkdf2.hpp"

namespace smtpcore::detail {
namespace {

using codec::HmacSha256;
constexpr std::size_t kHash = HmacSha256::kDigestSize;

// Base64-encodes what is put into it and forwards the text to `Out` (the
// channel binding "c=" and the proof "p=" are base64 inside the message).
template <class Out>
class Base64Into {
public:
    explicit Base64Into(Out& out) noexcept : out_(out) {}
    void put(char c) noexcept {
        char text[4];
        out_.put(std::string_view(text, encoder_.update(&c, 1, text)));
    }
    void put(std::string_view s) noexcept {
        for (const char c : s) put(c);
    }
    void finish() noexcept {
        char text[4];
        out_.put(std::string_view(text, encoder_.finish(text)));
    }

private:
    Out& out_;
    codec::Base64Encoder encoder_;
};

// The two MACs over AuthMessage.
struct AuthMessageMacs {
    HmacSha256 client;  // keyed with StoredKey
    HmacSha256 server;  // keyed with ServerKey
    void put(char c) noexcept { put(std::string_view(&c, 1)); }
    void put(std::string_view s) noexcept {
        client.update(s);
        server.update(s);
    }
};

// Writes to the response and to the MACs at once.
struct Both {
    SaslOutput& out;
    AuthMessageMacs& macs;
    void put(char c) noexcept { put(std::string_view(&c, 1)); }
    void put(std::string_view s) noexcept {
        out.put(s);
        macs.put(s);
    }
};

std::string_view as_chars(const std::uint8_t* p, std::size_t n) noexcept {
    return std::string_view(reinterpret_cast<const char*>(p), n);
}

// attr-val *("," attr-val), attr-val = ALPHA "=" value (RFC 5802 §7). Reads
// one attribute at a time; an empty or malformed one marks the text bad.
class AttributeReader {
public:
    explicit AttributeReader(std::string_view text) noexcept : rest_(text), more_(true) {}

    bool next(char& name, std::string_view& value) noexcept {
        if (!more_) return false;
        const std::size_t comma = rest_.find(',');
        const std::string_view item = rest_.substr(0, comma);
        more_ = comma != std::string_view::npos;
        rest_ = more_ ? rest_.substr(comma + 1) : std::string_view();
        const bool alpha = !item.empty() && ((item[0] >= 'a' && item[0] <= 'z') || (item[0] >= 'A' && item[0] <= 'Z'));
        if (!alpha || item.size() < 2 || item[1] != '=') {
            malformed_ = true;
            more_ = false;
            return false;
        }
        name = item[0];
        value = item.substr(2);
        return true;
    }
    /// True when every remaining attribute (the extensions) is well formed.
    bool rest_well_formed() noexcept {
        char name;
        std::string_view value;
        while (next(name, value)) {
        }
        return !malformed_;
    }
    bool malformed() const noexcept { return malformed_; }

private:
    std::string_view rest_;
    bool more_;
    bool malformed_ = false;
};

// iteration-count = posit-number = %x31-39 *DIGIT; 0 when malformed or over `max`.
std::uint32_t parse_iterations(std::string_view text, std::uint32_t max) noexcept {
    if (text.empty() || text[0] < '1' || text[0] > '9') return 0;
    std::uint64_t n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + static_cast<unsigned>(c - '0');
        if (n > max) return 0;
    }
    return static_cast<std::uint32_t>(n);
}

bool equal_in_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) noexcept {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < n; ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

}  // namespace

const char* check_saslprep_ascii(std::string_view text) noexcept {
    if (text.empty()) return SMTPCORE_REASON("SCRAM user name and password must not be empty");
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) return SMTPCORE_REASON("SCRAM: SASLprep of non-ASCII user names and passwords is not supported");
        if (u < 0x20 || u == 0x7f) return SMTPCORE_REASON("SCRAM: a control character is prohibited (RFC 4013 §5)");
    }
    return nullptr;
}

const char* ScramSha256::fail(const char* reason) noexcept {
    step_ = Step::Failed;
    codec::secure_zero(server_signature_, sizeof server_signature_);
    return reason;
}

template <class Out>
void ScramSha256::put_gs2_header(Out& out) const noexcept {
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","
    switch (binding_) {
    case ChannelBinding::NotSupported: out.put('n'); break;
    case ChannelBinding::ServerDidNotOffer: out.put('y'); break;
    case ChannelBinding::TlsExporter: out.put(std::string_view("p=tls-exporter")); break;
    }
    out.put(',');
    if (!authzid_.empty()) {
        out.put(std::string_view("a="));
        put_saslname(out, authzid_);
    }
    out.put(',');
}

template <class Out>
void ScramSha256::put_client_first_bare(Out& out) const noexcept {
    out.put(std::string_view("n="));
    put_saslname(out, username_);
    out.put(std::string_view(",r="));
    out.put(std::string_view(nonce_, nonce_size_));
}

template <class Out>
void ScramSha256::put_channel_binding(Out& out) const noexcept {
    // c= base64(gs2-header [cbind-data]); the data only with "p=" (§7).
    Base64Into<Out> c(out);
    put_gs2_header(c);
    if (binding_ == ChannelBinding::TlsExporter) c.put(as_chars(binding_data_, kTlsExporterOctets));
    c.finish();
}

const char* ScramSha256::start(const ScramParams& p, SaslOutput& out) noexcept {
    step_ = Step::Failed;
    if (const char* bad = check_saslprep_ascii(p.username)) return bad;
    if (const char* bad = check_saslprep_ascii(p.password)) return bad;
    if (!p.authzid.empty())
        if (const char* bad = check_saslprep_ascii(p.authzid)) return bad;
    if (p.username.size() > 255 || p.password.size() > 255 || p.authzid.size() > 255)
        return SMTPCORE_REASON("SCRAM user name, password and authzid are at most 255 octets");
    if (p.random.size() < kMinRandomOctets || p.random.size() > kMaxRandomOctets)
        return SMTPCORE_REASON("SCRAM needs 15 to 48 random octets for its nonce");
    if (p.binding == ChannelBinding::TlsExporter && p.binding_data.size() != kTlsExporterOctets)
        return SMTPCORE_REASON("SCRAM-SHA-256-PLUS needs the 32 tls-exporter octets (RFC 9266)");
    if (p.min_iterations == 0 || p.min_iterations > p.max_iterations)
        return SMTPCORE_REASON("SCRAM iteration bounds must satisfy 1 <= min <= max");

    username_ = p.username;
    password_ = p.password;
    authzid_ = p.authzid;
    binding_ = p.binding;
    min_iterations_ = p.min_iterations;
    max_iterations_ = p.max_iterations;
    for (std::size_t i = 0; i < kTlsExporterOctets; ++i)
        binding_data_[i] = binding_ == ChannelBinding::TlsExporter ? static_cast<std::uint8_t>(p.binding_data[i]) : 0;
    // Base64 of random octets is printable and has no ",": a valid c-nonce.
    nonce_size_ = static_cast<std::uint8_t>(codec::base64_encode(p.random.data(), p.random.size(), nonce_));

    put_gs2_header(out);
    put_client_first_bare(out);
    step_ = Step::SentClientFirst;
    return nullptr;
}

const char* ScramSha256::answer_server_first(std::string_view server_first, SaslOutput& out) noexcept {
    if (step_ != Step::SentClientFirst) return fail(SMTPCORE_REASON("SCRAM server-first-message out of order"));
    AttributeReader reader(server_first);
    char name = 0;
    std::string_view nonce, salt_text, count_text;
    // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
    if (!reader.next(name, nonce)) return fail(SMTPCORE_REASON("SCRAM server-first-message is malformed"));
    if (name == 'm') return fail(SMTPCORE_REASON("SCRAM server requires an extension (m=) this client does not support"));
    if (name != 'r') return fail(SMTPCORE_REASON("SCRAM server-first-message does not start with r="));
    const std::string_view ours(nonce_, nonce_size_);
    if (nonce.size() <= ours.size() || nonce.substr(0, ours.size()) != ours)
        return fail(SMTPCORE_REASON("SCRAM server nonce does not extend the client nonce"));
    for (const char c : nonce)
        if (c < 0x21 || c > 0x7e) return fail(SMTPCORE_REASON("SCRAM server nonce holds a non-printable octet"));
    if (!reader.next(name, salt_text) || name != 's') return fail(SMTPCORE_REASON("SCRAM server-first-message lacks s="));
    if (!reader.next(name, count_text) || name != 'i') return fail(SMTPCORE_REASON("SCRAM server-first-message lacks i="));
    if (!reader.rest_well_formed()) return fail(SMTPCORE_REASON("SCRAM server-first-message is malformed"));

    std::uint8_t salt[kMaxSaltOctets + 4];
    const long salt_size = codec::base64_decode(salt_text, salt, kMaxSaltOctets);
    if (salt_size < 1) return fail(SMTPCORE_REASON("SCRAM salt is not base64 of 1 to 128 octets"));
    const std::uint32_t iterations = parse_iterations(count_text, max_iterations_);
    if (iterations == 0) return fail(SMTPCORE_REASON("SCRAM iteration count is malformed or above the configured maximum"));
    if (iterations < min_iterations_) return fail(SMTPCORE_REASON("SCRAM iteration count is below the configured minimum"));

    std::uint8_t salted[kHash], client_key[kHash], stored_key[kHash], server_key[kHash];
    codec::pbkdf2_hmac_sha256(password_.data(), password_.size(), salt, static_cast<std::size_t>(salt_size), iterations,
                              salted, kHash);
    HmacSha256::mac(salted, kHash, "Client Key", 10, client_key);
    HmacSha256::mac(salted, kHash, "Server Key", 10, server_key);
    codec::Sha256::hash(client_key, kHash, stored_key);

    AuthMessageMacs macs{HmacSha256(stored_key, kHash), HmacSha256(server_key, kHash)};
    put_client_first_bare(macs);
    macs.put(',');
    macs.put(server_first);
    macs.put(',');
    // client-final-message-without-proof = channel-binding "," nonce
    Both both{out, macs};
    both.put(std::string_view("c="));
    put_channel_binding(both);
    both.put(std::string_view(",r="));
    both.put(nonce);

    std::uint8_t proof[kHash];
    macs.client.finish(proof);
    for (std::size_t i = 0; i < kHash; ++i) proof[i] ^= client_key[i];
    macs.server.finish(server_signature_);
    out.put(std::string_view(",p="));
    Base64Into<SaslOutput> p(out);
    p.put(as_chars(proof, kHash));
    p.finish();

    codec::secure_zero(salted, sizeof salted);
    codec::secure_zero(client_key, sizeof client_key);
    codec::secure_zero(stored_key, sizeof stored_key);
    codec::secure_zero(server_key, sizeof server_key);
    codec::secure_zero(proof, sizeof proof);
    codec::secure_zero(&macs, sizeof macs);
    step_ = Step::SentClientFinal;
    return nullptr;
}

const char* ScramSha256::verify_server_final(std::string_view server_final, std::string_view* server_error) noexcept {
    if (step_ != Step::SentClientFinal) return fail(SMTPCORE_REASON("SCRAM server-final-message out of order"));
    // server-final-message = (server-error / verifier) ["," extensions]
    AttributeReader reader(server_final);
    char name = 0;
    std::string_view value;
    if (!reader.next(name, value)) return fail(SMTPCORE_REASON("SCRAM server-final-message is malformed"));
    if (name == 'e') {
        if (server_error != nullptr) *server_error = value;
        return fail(SMTPCORE_REASON("SCRAM server reported an error (e=)"));
    }
    if (name != 'v' || !reader.rest_well_formed()) return fail(SMTPCORE_REASON("SCRAM server-final-message lacks v="));
    std::uint8_t signature[kHash];
    if (codec::base64_validate(value) != static_cast<long>(kHash) || codec::base64_decode(value, signature, kHash) < 0)
        return fail(SMTPCORE_REASON("SCRAM server signature is not base64 of 32 octets"));
    if (!equal_in_constant_time(signature, server_signature_, kHash))
        return fail(SMTPCORE_REASON("SCRAM server signature is wrong: the server is not authenticated"));
    codec::secure_zero(server_signature_, sizeof server_signature_);
    step_ = Step::Done;
    return nullptr;
}

}  // namespace smtpcore::detail
