// XOAUTH2 and OAUTHBEARER (RFC 7628) responses, and the server's JSON status.
#include "sasl_oauth.hpp"

#include "reason.hpp"

namespace smtpcore::detail {
namespace {

constexpr char kSeparator = '\x01';  // RFC 7628 §3.1: kvsep = %x01

bool is_alnum(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Values RFC 7628 §3.1 allows are wider (VCHAR / SP / HTAB / CR / LF); the
// user name and host we send never need controls, so none are allowed.
const char* check_visible(std::string_view text, const char* what_if_bad) noexcept {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') return what_if_bad;
    return nullptr;
}

void put_decimal(SaslOutput& out, std::uint16_t n) noexcept {
    char digits[5];
    int k = 0;
    do {
        digits[k++] = static_cast<char>('0' + n % 10);
        n = static_cast<std::uint16_t>(n / 10);
    } while (n > 0);
    while (k > 0) out.put(digits[--k]);
}

}  // namespace

const char* check_bearer_token(std::string_view token) noexcept {
    std::size_t i = 0;
    while (i < token.size()) {
        const char c = token[i];
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_' && c != '~' && c != '+' && c != '/') break;
        ++i;
    }
    if (i == 0) return SMTPCORE_REASON("OAuth token is empty or does not start with a token character");
    while (i < token.size() && token[i] == '=') ++i;
    if (i != token.size()) return SMTPCORE_REASON("OAuth token holds a character outside RFC 6750 b64token");
    return nullptr;
}

const char* write_xoauth2_response(SaslOutput& out, std::string_view user, std::string_view token) noexcept {
    if (const char* bad = check_bearer_token(token)) return bad;
    if (user.empty()) return SMTPCORE_REASON("XOAUTH2 needs a username");
    if (const char* bad = check_visible(user, SMTPCORE_REASON("username contains a control character"))) return bad;
    out.put(std::string_view("user="));
    out.put(user);
    out.put(kSeparator);
    out.put(std::string_view("auth=Bearer "));
    out.put(token);
    out.put(kSeparator);
    out.put(kSeparator);
    return nullptr;
}

const char* write_oauthbearer_response(SaslOutput& out, std::string_view user, std::string_view host,
                                       std::uint16_t port, std::string_view token) noexcept {
    if (const char* bad = check_bearer_token(token)) return bad;
    if (const char* bad = check_visible(user, SMTPCORE_REASON("username contains a control character"))) return bad;
    if (const char* bad = check_visible(host, SMTPCORE_REASON("host name contains a control character"))) return bad;
    // gs2-header = gs2-cbind-flag "," [ authzid ] ","  (RFC 5801 §4); "n": no channel binding.
    out.put(std::string_view("n,"));
    if (!user.empty()) {
        out.put(std::string_view("a="));
        put_saslname(out, user);
    }
    out.put(',');
    out.put(kSeparator);
    if (!host.empty()) {
        out.put(std::string_view("host="));
        out.put(host);
        out.put(kSeparator);
    }
    if (port != 0) {
        out.put(std::string_view("port="));
        put_decimal(out, port);
        out.put(kSeparator);
    }
    out.put(std::string_view("auth=Bearer "));
    out.put(token);
    out.put(kSeparator);
    out.put(kSeparator);
    return nullptr;
}

std::string_view oauth_error_ack(OAuthMechanism mechanism) noexcept {
    return mechanism == OAuthMechanism::OAuthBearer ? std::string_view("\x01", 1) : std::string_view();
}

// A small JSON scanner (RFC 8259): enough to find one member of the top-level
// object and to skip any value, with a depth bound instead of recursion.
namespace {

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) noexcept : text_(text) {}

    void skip_space() noexcept {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
            ++at_;
    }
    bool take(char c) noexcept {
        skip_space();
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }
    bool peek(char c) noexcept {
        skip_space();
        return at_ < text_.size() && text_[at_] == c;
    }
    /// A string at the cursor; `body` gets the text between the quotes.
    bool string(std::string_view& body) noexcept {
        if (!take('"')) return false;
        const std::size_t start = at_;
        while (at_ < text_.size() && text_[at_] != '"') {
            if (static_cast<unsigned char>(text_[at_]) < 0x20) return false;
            at_ += text_[at_] == '\\' ? 2 : 1;
        }
        if (at_ >= text_.size()) return false;
        body = text_.substr(start, at_ - start);
        ++at_;
        return true;
    }
    /// Skips one value of any kind; brackets are counted, at most 16 deep.
    bool skip_value() noexcept {
        skip_space();
        const std::size_t start = at_;
        int depth = 0;
        while (at_ < text_.size()) {
            const char c = text_[at_];
            if (c == '"') {
                std::string_view ignored;
                if (!string(ignored)) return false;
                if (depth == 0) return true;
            } else if (c == '{' || c == '[') {
                if (++depth > 16) return false;
                ++at_;
            } else if (c == '}' || c == ']') {
                if (depth == 0) break;  // closes the enclosing object: a scalar ended
                ++at_;
                if (--depth == 0) return true;
            } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                break;
            } else {
                ++at_;
            }
        }
        return depth == 0 && at_ > start;
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

std::string_view oauth_error_status(std::string_view json) noexcept {
    JsonScanner s(json);
    if (!s.take('{')) return {};
    if (s.take('}')) return {};
    for (;;) {
        std::string_view key;
        if (!s.string(key) || !s.take(':')) return {};
        if (key == "status" && s.peek('"')) {
            std::string_view value;
            return s.string(value) ? value : std::string_view();
        }
        if (!s.skip_value()) return {};
        if (s.take('}')) return {};
        if (!s.take(',')) return {};
    }
}

}  // namespace smtpcore::detail
