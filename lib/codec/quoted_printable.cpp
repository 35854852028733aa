// Quoted-printable (RFC 2045 §6.7).
//
//   quoted-printable := qp-line *(CRLF qp-line)
//   qp-line := *(qp-segment transport-padding CRLF) qp-part transport-padding
//   qp-part := qp-section          ; Maximum length of 76 characters
//   qp-segment := qp-section *(SPACE / TAB) "="   ; Maximum length of 76 characters
//   qp-section := [*(ptext / SPACE / TAB) ptext]
//   ptext := hex-octet / safe-char
//   safe-char := <any octet with decimal value of 33 through 60 inclusive,
//                 and 62 through 126>
//   hex-octet := "=" 2(DIGIT / "A" / "B" / "C" / "D" / "E" / "F")
#include "smtpcore/codec/quoted_printable.hpp"

namespace smtpcore::codec {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

constexpr bool is_safe(std::uint8_t c) noexcept { return (c >= 33 && c <= 60) || (c >= 62 && c <= 126); }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

// Rule 5: a line holds at most 76 characters including the trailing "=" of a
// soft break, so content stops at column 75 before a soft break.
char* QpEncoder::soft_break_before(std::size_t width, char* o) noexcept {
    if (std::size_t{column_} + width <= kLineChars - 1) return o;
    o[0] = '=';
    o[1] = '\r';
    o[2] = '\n';
    column_ = 0;
    return o + 3;
}

char* QpEncoder::emit_literal(char c, char* o) noexcept {
    o = soft_break_before(1, o);
    *o++ = c;
    ++column_;
    return o;
}

char* QpEncoder::emit_escaped(std::uint8_t c, char* o) noexcept {
    o = soft_break_before(3, o);
    o[0] = '=';
    o[1] = kHex[c >> 4];
    o[2] = kHex[c & 15];
    column_ = static_cast<std::uint8_t>(column_ + 3);
    return o + 3;
}

// Rule 3: whitespace right before a hard line break must be encoded, since
// transports may strip trailing white space.
char* QpEncoder::hard_break(char* o) noexcept {
    if (held_ws_ != 0) {
        o = emit_escaped(static_cast<std::uint8_t>(held_ws_), o);
        held_ws_ = 0;
    }
    o[0] = '\r';
    o[1] = '\n';
    column_ = 0;
    return o + 2;
}

std::size_t QpEncoder::update(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
    char* o = out;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t c = p[i];
        if (mode_ == Mode::Text) {
            if (c == '\n' && after_cr_) {  // the LF of a CRLF already written
                after_cr_ = false;
                continue;
            }
            after_cr_ = (c == '\r');
            if (c == '\r' || c == '\n') {
                o = hard_break(o);
                continue;
            }
        }
        // The held whitespace is followed by something on this line: literal.
        if (held_ws_ != 0) {
            o = emit_literal(held_ws_, o);
            held_ws_ = 0;
        }
        if (c == ' ' || c == '\t') {
            held_ws_ = static_cast<char>(c);
        } else if (is_safe(c)) {
            // Fast path: a run of safe characters that fits the line.
            if (column_ < kLineChars - 1) {
                *o++ = static_cast<char>(c);
                ++column_;
            } else {
                o = emit_literal(static_cast<char>(c), o);
            }
        } else {
            o = emit_escaped(c, o);
        }
    }
    return static_cast<std::size_t>(o - out);
}

std::size_t QpEncoder::finish(char* out) noexcept {
    char* o = out;
    if (held_ws_ != 0) {
        o = emit_escaped(static_cast<std::uint8_t>(held_ws_), o);
        held_ws_ = 0;
    }
    after_cr_ = false;
    return static_cast<std::size_t>(o - out);
}

long qp_decode(std::string_view text, void* out, std::size_t cap) noexcept {
    auto* o = static_cast<std::uint8_t*>(out);
    std::size_t w = 0;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c != '=') {
            if (w == cap) return -1;
            o[w++] = static_cast<std::uint8_t>(c);
            continue;
        }
        if (i + 1 < n && text[i + 1] == '\n') {  // soft break, lenient LF form
            i += 1;
            continue;
        }
        if (i + 2 < n && text[i + 1] == '\r' && text[i + 2] == '\n') {  // soft break
            i += 2;
            continue;
        }
        if (i + 2 >= n) return -1;
        const int hi = hex_value(text[i + 1]);
        const int lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0 || w == cap) return -1;
        o[w++] = static_cast<std::uint8_t>(hi * 16 + lo);
        i += 2;
    }
    return static_cast<long>(w);
}

}  // namespace smtpcore::codec
