#include "commands.hpp"

#include <cstring>

#include "smtpcore/codec/decimal.hpp"
#include "envelope_extensions.hpp"

namespace smtpcore::detail {

LineBuilder& LineBuilder::put(const char* s, std::size_t n) noexcept {
    if (out_ != nullptr && n > 0 && (!kBounded || (size_ <= room_ && n <= room_ - size_))) std::memcpy(out_ + size_, s, n);
    size_ += n;
    return *this;
}

LineBuilder& LineBuilder::put_decimal(std::uint64_t v) noexcept {
#if !defined(SMTPCORE_SMALL_CODE)
    char digits[codec::kMaxDecimalDigits];
    return put(std::string_view(digits, codec::format_decimal(v, digits)));
#else
    // By subtracting powers of ten: a 64-bit division would pull ~700 bytes
    // of runtime helper into 32-bit microcontroller builds. The powers are
    // built on the stack: a table of them would cost 160 bytes of flash.
    std::uint64_t powers[20];
    std::uint64_t p = 1;
    for (std::size_t i = 20; i-- > 0; p *= 10) powers[i] = p;  // powers[0] = 10^19
    char digits[20];
    std::size_t n = 0;
    for (const std::uint64_t power : powers) {
        char d = '0';
        while (v >= power) {
            v -= power;
            ++d;
        }
        if (n > 0 || d != '0' || power == 1) digits[n++] = d;
    }
    return put(std::string_view(digits, n));
#endif
}

void put_mail_command(LineBuilder& line, const Envelope& env, const Capabilities& caps) noexcept {
    line.put("MAIL FROM:<").put(env.from).put(">");
    if (caps.has(Extension::Size) && env.size_hint > 0) line.put(" SIZE=").put_decimal(env.size_hint);  // RFC 1870 §6
#ifndef SMTPCORE_NO_8BITMIME  // else submit() refused any but a 7-bit body with ASCII addresses
    if (env.body == BodyType::EightBitMime) line.put(" BODY=8BITMIME");                  // RFC 6152 §2
#ifndef SMTPCORE_NO_CHUNKING
    if (env.body == BodyType::BinaryMime) line.put(" BODY=BINARYMIME");                  // RFC 3030 §3
#endif
    if (env.smtputf8) line.put(" SMTPUTF8");                                              // RFC 6531 §3.4
#endif
#ifdef SMTPCORE_ENVELOPE_EXTENSIONS
    put_mail_extensions(line, env, caps);  // RFC 3461 §4.3-4.4, RFC 8689 §4.1
#endif
    line.put("\r\n");
}

void put_rcpt_command(LineBuilder& line, const Envelope& env, std::size_t index, const Capabilities& caps) noexcept {
    line.put("RCPT TO:<").put(env.recipients[index]).put(">");
#ifdef SMTPCORE_ENVELOPE_EXTENSIONS
    put_rcpt_extensions(line, env, index, caps);  // RFC 3461 §4.1-4.2
#else
    (void)caps;
#endif
    line.put("\r\n");
}

#ifndef SMTPCORE_NO_CHUNKING
std::size_t bdat_command(std::uint32_t size, bool last, char* out) noexcept {
    LineBuilder line(out);
    line.put("BDAT ").put_decimal(size);  // RFC 3030 §2: "BDAT" SP chunk-size [SP end-marker]
    if (last) line.put(" LAST");
    return line.put("\r\n").size();
}
#endif

std::size_t simple_command(std::string_view verb, std::string_view argument, char* out) noexcept {
    LineBuilder line(out);
    line.put(verb);
    if (!argument.empty()) line.put(" ").put(argument);
    return line.put("\r\n").size();
}

}  // namespace smtpcore::detail
