// EHLO keyword parser; grammar in capability_parser.hpp.
#include "smtpcore/detail/capability_parser.hpp"

namespace smtpcore::detail {
namespace {

char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// `word` is NUL-terminated upper case: compared as it is read, with no
// strlen() (the tables below are all such words).
bool equals_upper(const char* token, std::uint8_t len, const char* word) noexcept {
    for (std::uint8_t i = 0; i < len; ++i)
        if (word[i] == '\0' || upper(token[i]) != word[i]) return false;
    return word[len] == '\0';
}

struct Named {
    const char* name;
    std::uint32_t bit;
};

// Keywords without parameters of interest (RFC numbers in capabilities.hpp).
constexpr Named kAllExtensions[] = {
    {"PIPELINING", static_cast<std::uint32_t>(Extension::Pipelining)},
    {"SIZE", static_cast<std::uint32_t>(Extension::Size)},
    {"8BITMIME", static_cast<std::uint32_t>(Extension::EightBitMime)},
    {"SMTPUTF8", static_cast<std::uint32_t>(Extension::SmtpUtf8)},
    {"STARTTLS", static_cast<std::uint32_t>(Extension::StartTls)},
    {"AUTH", static_cast<std::uint32_t>(Extension::Auth)},
    {"CHUNKING", static_cast<std::uint32_t>(Extension::Chunking)},
    {"BINARYMIME", static_cast<std::uint32_t>(Extension::BinaryMime)},
    {"DSN", static_cast<std::uint32_t>(Extension::Dsn)},
    {"ENHANCEDSTATUSCODES", static_cast<std::uint32_t>(Extension::EnhancedStatusCodes)},
    {"REQUIRETLS", static_cast<std::uint32_t>(Extension::RequireTls)},
};

constexpr Named kAllMechanisms[] = {
    {"PLAIN", static_cast<std::uint32_t>(SaslMechanism::Plain)},
    {"LOGIN", static_cast<std::uint32_t>(SaslMechanism::Login)},
    {"XOAUTH2", static_cast<std::uint32_t>(SaslMechanism::XOAuth2)},
    {"OAUTHBEARER", static_cast<std::uint32_t>(SaslMechanism::OAuthBearer)},
    {"SCRAM-SHA-256", static_cast<std::uint32_t>(SaslMechanism::ScramSha256)},
    {"CRAM-MD5", static_cast<std::uint32_t>(SaslMechanism::CramMd5)},
    {"SCRAM-SHA-256-PLUS", static_cast<std::uint32_t>(SaslMechanism::ScramSha256Plus)},
};

// The tables the parser searches: the names above less those a macro
// compiled out (capabilities.hpp), chosen at compile time so that their
// strings are not in the build's flash at all.
template <std::size_t N>
constexpr std::size_t count_built(const Named (&all)[N], std::uint32_t compiled_out) noexcept {
    std::size_t n = 0;
    for (const Named& k : all) n += (k.bit & compiled_out) == 0 ? 1 : 0;
    return n;
}

template <std::size_t N>
struct Keywords {
    Named of[N];
};

template <std::size_t M, std::size_t N>
constexpr Keywords<M> built(const Named (&all)[N], std::uint32_t compiled_out) noexcept {
    Keywords<M> t{};
    std::size_t i = 0;
    for (const Named& k : all)
        if ((k.bit & compiled_out) == 0) t.of[i++] = k;
    return t;
}

constexpr auto kExtensions =
    built<count_built(kAllExtensions, kExtensionsCompiledOut)>(kAllExtensions, kExtensionsCompiledOut);
constexpr auto kMechanisms =
    built<count_built(kAllMechanisms, kMechanismsCompiledOut)>(kAllMechanisms, kMechanismsCompiledOut);

constexpr bool compiled_out(Extension e) noexcept {
    return (kExtensionsCompiledOut & static_cast<std::uint32_t>(e)) != 0;
}

template <std::size_t N>
std::uint32_t lookup(const Named (&table)[N], const char* token, std::uint8_t len) noexcept {
    for (const Named& n : table)
        if (equals_upper(token, len, n.name)) return n.bit;
    return 0;
}

}  // namespace

void CapabilityParser::begin_line() noexcept {
    len_ = 0;
    overflow_ = false;
    index_ = 0;
    keyword_ = Keyword::None;
}

void CapabilityParser::end_token(Capabilities& caps) noexcept {
    if (len_ == 0 && !overflow_) return;  // runs of spaces
    const std::uint16_t index = index_++;
    const bool usable = !overflow_;
    const std::uint8_t len = len_;
    len_ = 0;
    overflow_ = false;
    if (!usable) {
        if (index == 0) keyword_ = Keyword::Other;
        return;
    }
    if (index == 0) {
        const std::uint32_t bit = lookup(kExtensions.of, token_, len) & ~kExtensionsCompiledOut;
        caps.extensions |= bit;
        keyword_ = bit == static_cast<std::uint32_t>(Extension::Auth)   ? Keyword::Auth
                   : bit == static_cast<std::uint32_t>(Extension::Size) ? Keyword::Size
                                                                        : Keyword::Other;
        return;
    }
    if (keyword_ == Keyword::Auth) {
        caps.mechanisms |= lookup(kMechanisms.of, token_, len);
    } else if (keyword_ == Keyword::Size && index == 1 && !compiled_out(Extension::Size)) {
        // RFC 1870 §4: size-param = [1*DIGIT]; 0 means no fixed limit.
        std::uint64_t value = 0;
        for (std::uint8_t i = 0; i < len; ++i) {
            if (token_[i] < '0' || token_[i] > '9') return;
            // Saturate rather than wrap: a limit past 2^64 octets is no limit.
            value = value > (~std::uint64_t(0) - 9) / 10
                        ? ~std::uint64_t(0)
                        : value * 10 + static_cast<std::uint64_t>(token_[i] - '0');
        }
        caps.size_limit = value;
    }
}

void CapabilityParser::text(Capabilities& caps, std::string_view piece) noexcept {
    for (const char c : piece) {
        // "AUTH=LOGIN PLAIN": '=' right after the AUTH keyword ends it.
        const bool legacy_auth = c == '=' && index_ == 0 && equals_upper(token_, len_, "AUTH");
        if (c == ' ' || c == '\t' || legacy_auth) {
            end_token(caps);
            continue;
        }
        if (len_ < kTokenMax) {
            token_[len_++] = c;
        } else {
            overflow_ = true;
        }
    }
}

void CapabilityParser::end_line(Capabilities& caps) noexcept {
    end_token(caps);
    begin_line();
}

}  // namespace smtpcore::detail
