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

#include <cstring>

#include "qp_simd.hpp"

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

// ---- implementation selection (the same scheme as base64: asked once) -------

namespace detail {
namespace {
int g_qp_impl = -1;  // -1 until the CPU was asked; relaxed atomics (a benign race)

QpImpl detect_qp_impl() noexcept {
#if SMTPCORE_BASE64_X86
    if (qp_cpu_has_avx512bw()) return QpImpl::Avx512Bw;
    if (base64_cpu_has_avx2()) return QpImpl::Avx2;
#endif
    return QpImpl::Scalar;
}
}  // namespace

bool qp_impl_supported(QpImpl impl) noexcept {
#if SMTPCORE_BASE64_X86
    if (impl == QpImpl::Avx2) return base64_cpu_has_avx2();
    if (impl == QpImpl::Avx512Bw) return qp_cpu_has_avx512bw();
#endif
    return impl == QpImpl::Scalar;
}

QpImpl qp_impl() noexcept {
    int v = __atomic_load_n(&g_qp_impl, __ATOMIC_RELAXED);
    if (v < 0) {
        v = static_cast<int>(detect_qp_impl());
        __atomic_store_n(&g_qp_impl, v, __ATOMIC_RELAXED);
    }
    return static_cast<QpImpl>(v);
}

bool qp_select_impl(QpImpl impl) noexcept {
    if (!qp_impl_supported(impl)) return false;
    __atomic_store_n(&g_qp_impl, static_cast<int>(impl), __ATOMIC_RELAXED);
    return true;
}

const char* qp_impl_name(QpImpl impl) noexcept {
    switch (impl) {
        case QpImpl::Avx2: return "avx2";
        case QpImpl::Avx512Bw: return "avx512bw";
        case QpImpl::Scalar: break;
    }
    return "scalar";
}
}  // namespace detail

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

// One octet by the rules: the scalar encoder, and every octet the run search
// leaves to it.
char* QpEncoder::encode_octet(std::uint8_t c, char* o) noexcept {
    if (mode_ == Mode::Text) {
        if (c == '\n' && after_cr_) {  // the LF of a CRLF already written
            after_cr_ = false;
            return o;
        }
        after_cr_ = (c == '\r');
        if (c == '\r' || c == '\n') return hard_break(o);
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
    return o;
}

// A run of plain octets (detail::qp_plain): each would go out literally, as
// encode_octet() does one by one, so it is copied in pieces up to each soft
// break. A space or tab at the end of the run is held back (rule 3: the next
// octet may be a line break).
char* QpEncoder::emit_run(const std::uint8_t* p, std::size_t run, char* o) noexcept {
    after_cr_ = false;
    if (held_ws_ != 0) {
        o = emit_literal(held_ws_, o);
        held_ws_ = 0;
    }
    const std::uint8_t last = p[run - 1];
    const bool hold = last == ' ' || last == '\t';
    std::size_t left = hold ? run - 1 : run;
    while (left > 0) {
        if (column_ >= kLineChars - 1) o = soft_break_before(1, o);
        const std::size_t room = kLineChars - 1 - column_;
        const std::size_t take = left < room ? left : room;
        std::memmove(o, p, take);  // in place: o <= p (see update())
        o += take;
        p += take;
        left -= take;
        column_ = static_cast<std::uint8_t>(column_ + take);
    }
    if (hold) held_ws_ = static_cast<char>(last);
    return o;
}

std::size_t QpEncoder::update_runs(const std::uint8_t* p, std::size_t n, char* out, RunSearch search) noexcept {
    char* o = out;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t run = search(p + i, n - i);
        if (run > 0) {
            o = emit_run(p + i, run, o);
            i += run;
            if (i == n) break;
        }
        o = encode_octet(p[i++], o);
    }
    return static_cast<std::size_t>(o - out);
}

std::size_t QpEncoder::update(const void* in, std::size_t n, char* out) noexcept {
    const auto* p = static_cast<const std::uint8_t*>(in);
#if SMTPCORE_BASE64_X86
    switch (detail::qp_impl()) {
        case detail::QpImpl::Avx512Bw: return update_runs(p, n, out, &detail::qp_plain_run_avx512bw);
        case detail::QpImpl::Avx2: return update_runs(p, n, out, &detail::qp_plain_run_avx2);
        case detail::QpImpl::Scalar: break;
    }
#endif
    char* o = out;
    for (std::size_t i = 0; i < n; ++i) o = encode_octet(p[i], o);
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
