// Parameters (RFC 2045 §5.1, RFC 2231 §3, §4).
#include "params.hpp"

#include <cstring>

#include "header_text.hpp"
#include "smtpcore/codec/base64.hpp"

namespace smtpcore::mime::detail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::string_view kCharsetPrefix = "UTF-8''";
// A parameter token goes on a line after "; " or " ": keep it to 76 so the
// line with its ";" stays within 78 columns.
constexpr std::size_t kMaxParamToken = kSoftLimit - 2;
// The longest RFC 2047 name= fallback (see put_name_param).
constexpr std::size_t kMaxNameFallback = 240;

//   tspecials := "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" / <">
//                "/" / "[" / "]" / "?" / "="
bool is_tspecial(char c) noexcept { return c != 0 && std::strchr("()<>@,;:\\\"/[]?=", c) != nullptr; }

bool is_token_char(char c) noexcept { return c > 0x20 && c < 0x7F && !is_tspecial(c); }

// RFC 2231 §7: attribute-char := <any (US-ASCII) CHAR except SPACE, CTLs,
//                                 "*", "'", "%", or tspecials>
bool is_attribute_char(unsigned char c) noexcept {
    return is_token_char(static_cast<char>(c)) && c != '*' && c != '\'' && c != '%';
}

std::size_t pct_width(unsigned char c) noexcept { return is_attribute_char(c) ? 1 : 3; }

// Appends the %-encoding of value[from, to) to buf; returns the new length.
std::size_t append_pct(char* buf, std::size_t len, std::string_view value, std::size_t from, std::size_t to) noexcept {
    for (std::size_t i = from; i < to; ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (is_attribute_char(c)) {
            buf[len++] = static_cast<char>(c);
        } else {
            buf[len++] = '%';
            buf[len++] = kHex[c >> 4];
            buf[len++] = kHex[c & 15];
        }
    }
    return len;
}

std::size_t append(char* buf, std::size_t len, std::string_view s) noexcept {
    std::memcpy(buf + len, s.data(), s.size());
    return len + s.size();
}

// Writes the decimal `n` (small) into buf; returns the new length.
std::size_t append_number(char* buf, std::size_t len, std::size_t n) noexcept {
    char digits[20];
    std::size_t k = 0;
    do {
        digits[k++] = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (k > 0) buf[len++] = digits[--k];
    return len;
}

void put_token(Sink& sink, const char* buf, std::size_t len) noexcept {
    sink.put(';');
    sink.token(std::string_view(buf, len));
}

// RFC 2231 §3 and §4:
//   extended-initial-parameter := attribute "*0*" "=" extended-initial-value  (or "*=" alone)
//   extended-initial-value := [charset] "'" [language] "'" extended-other-values
//   extended-other-parameter := attribute "*" 1*DIGIT "*" "=" extended-other-values
void put_extended(Sink& sink, std::string_view attribute, std::string_view value) noexcept {
    std::size_t encoded = 0;
    for (char c : value) encoded += pct_width(static_cast<unsigned char>(c));
    char buf[kMaxParamToken + 8];
    if (attribute.size() + 2 + kCharsetPrefix.size() + encoded <= kMaxParamToken) {
        std::size_t len = append(buf, 0, attribute);
        len = append(buf, len, "*=");
        len = append(buf, len, kCharsetPrefix);
        len = append_pct(buf, len, value, 0, value.size());
        put_token(sink, buf, len);
        return;
    }
    std::size_t pos = 0;
    for (std::size_t section = 0; pos < value.size(); ++section) {
        std::size_t len = append(buf, 0, attribute);
        buf[len++] = '*';
        len = append_number(buf, len, section);
        len = append(buf, len, "*=");
        if (section == 0) len = append(buf, len, kCharsetPrefix);
        // Whole UTF-8 characters per section: decoders that convert each
        // section on its own then still see valid text.
        std::size_t end = pos, width = len;
        while (end < value.size()) {
            const std::size_t clen = utf8_char_length(value, end);
            std::size_t w = 0;
            for (std::size_t k = 0; k < clen; ++k) w += pct_width(static_cast<unsigned char>(value[end + k]));
            if (width + w > kMaxParamToken) break;
            width += w;
            end += clen;
        }
        len = append_pct(buf, len, value, pos, end);
        put_token(sink, buf, len);
        pos = end;
    }
}

}  // namespace

bool is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_token_char(c)) return false;
    return true;
}

// RFC 2045 §5.1: content := "Content-Type" ":" type "/" subtype *(";" parameter)
// Parameters are the writer's business (charset, name, boundary), so the
// caller gives "type/subtype" only.
const char* check_content_type(std::string_view type) noexcept {
    const std::size_t slash = type.find('/');
    if (slash == std::string_view::npos) return "has no '/' (expected type/subtype)";
    if (type.size() > 100) return "is longer than 100 octets";
    if (!is_token(std::string_view(type.data(), slash)) ||
        !is_token(std::string_view(type.data() + slash + 1, type.size() - slash - 1)))
        return "type or subtype is not an RFC 2045 token";
    return nullptr;
}

const char* check_filename(std::string_view name) noexcept {
    if (has_line_break_or_nul(name)) return "contains CR, LF or NUL";
    if (!valid_utf8(name)) return "is not valid UTF-8";
    if (name.size() > 1000) return "is longer than 1000 octets";
    return nullptr;
}

// RFC 2045 §5.1: parameter := attribute "=" value;  value := token / quoted-string
namespace {

// A token that RFC 2231 decoders cannot mistake for part of an extended
// parameter: "'", "*" and "%" are token characters (RFC 2045 §5.1), but
// readers that look for RFC 2231 syntax drop or cut values holding them.
bool is_plain_token(std::string_view value) noexcept {
    if (!is_token(value)) return false;
    for (char c : value)
        if (c == '\'' || c == '*' || c == '%') return false;
    return true;
}

// Whether put_param writes `value` as a token or a quoted-string (rather
// than as RFC 2231 extended parameters).
bool fits_plain(std::string_view attribute, std::string_view value) noexcept {
    if (is_plain_token(value) && attribute.size() + 1 + value.size() <= kMaxParamToken) return true;
    // Only printable ASCII, and neither '"' nor '\\': readers (ripmime) lose
    // names holding quoted-pairs, which RFC 2231 %-encoding avoids.
    for (char c : value)
        if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
    // Many clients decode encoded-words even inside quoted parameter values
    // (RFC 2047 §5 forbids them there), so "=?" goes the RFC 2231 way too.
    return attribute.size() + 3 + value.size() <= kMaxParamToken && value.find("=?") == std::string_view::npos;
}

// A long name that is still plain ASCII with no white space: one
// unbreakable quoted token (over 78 columns, under 998) that every name=
// reader takes as it is.
bool fits_long_token(std::string_view value) noexcept {
    if (value.size() > kMaxToken || value.find("=?") != std::string_view::npos) return false;
    for (char c : value)
        if (c <= 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
    return true;
}

}  // namespace

void put_param(Sink& sink, std::string_view attribute, std::string_view value) noexcept {
    char buf[kMaxParamToken + 8];
    if (is_plain_token(value) && attribute.size() + 1 + value.size() <= kMaxParamToken) {
        std::size_t len = append(buf, 0, attribute);
        buf[len++] = '=';
        put_token(sink, buf, append(buf, len, value));
        return;
    }
    if (!fits_plain(attribute, value)) {
        put_extended(sink, attribute, value);
        return;
    }
    std::size_t len = append(buf, 0, attribute);
    buf[len++] = '=';
    buf[len++] = '"';
    len = append(buf, len, value);  // fits_plain: nothing to escape
    buf[len++] = '"';
    put_token(sink, buf, len);
}

// The Content-Type name= parameter (RFC 2046 §4.5.1 mentions it for
// compatibility; RFC 2183 replaced it by filename=). Readers that know only
// name= (munpack, mhonarc, many webmail clients) do not read RFC 2231, so a
// name that cannot be written plainly goes as RFC 2047 encoded-words inside a
// quoted-string, as Thunderbird writes it; a long name of plain ASCII
// without white space goes as one quoted token instead, since those readers
// do not decode RFC 2047 either (munpack). RFC 2047 §5 does not sanction
// that form; it is a fallback beside filename*= on Content-Disposition,
// which every RFC 2231 reader prefers.
void put_name_param(Sink& sink, std::string_view filename) noexcept {
    if (fits_plain("name", filename)) {
        put_param(sink, "name", filename);
        return;
    }
    if (fits_long_token(filename)) {
        sink.put(';');
        if (sink.fold_needed(8 + filename.size())) sink.crlf();
        sink.put(" name=\"");
        sink.put(filename);
        sink.put('"');
        sink.mark_word();
        return;
    }
    // Readers that know only name= use its raw text as the file name: an
    // encoded value longer than a file name may be (255 octets) would make
    // them lose the part (munpack does), so a long name gets no name= at all.
    const std::size_t b_words = filename.size() / 45 + 1;  // 45 octets fill a 75-character B word
    if (codec::base64_encoded_size(filename.size()) + 13 * b_words > kMaxNameFallback) return;
    sink.put(';');
    put_encoded_words(sink, " ", filename, WordFrame{"name=\"", "\""});
}

}  // namespace smtpcore::mime::detail
