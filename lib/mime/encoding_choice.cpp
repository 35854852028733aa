#include "encoding_choice.hpp"

namespace smtpcore::mime::detail {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

struct Scan {
    std::size_t non_ascii = 0;
    bool clean = true;  // usable as 7bit/8bit: no NUL, lines ≤ 998, no "--=_" line
};

Scan scan(Bytes data) noexcept {
    Scan s;
    std::size_t line = 0;
    bool line_start = true;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == '\r' || c == '\n') {
            line = 0;
            line_start = true;
            continue;
        }
        if (c >= 0x80) ++s.non_ascii;
        if (c == 0 || ++line > 998) s.clean = false;
        if (line_start && c == '-' && i + 3 < data.size() && data[i + 1] == '-' && data[i + 2] == '=' &&
            data[i + 3] == '_')
            s.clean = false;
        line_start = false;
    }
    return s;
}

// Mostly non-ASCII text (CJK, Cyrillic…) is shorter in base64 than in
// quoted-printable, which triples every such octet: switch above 1 in 6.
bool mostly_non_ascii(const Scan& s, std::size_t size) noexcept { return s.non_ascii * 6 > size; }

}  // namespace

Kind resolve_kind(const Part& p) noexcept {
    if (p.kind != Kind::Auto) return p.kind;
    return (starts_with_ci(p.content_type, "text/") || starts_with_ci(p.content_type, "message/")) ? Kind::Text
                                                                                                 : Kind::Binary;
}

TransferEncoding choose_encoding(const Part& p, bool eight_bit_mime) noexcept {
    switch (p.encoding) {
        case Encoding::SevenBit: return TransferEncoding::SevenBit;
        case Encoding::EightBit: return TransferEncoding::EightBit;
        case Encoding::QuotedPrintable: return TransferEncoding::QuotedPrintable;
        case Encoding::Base64: return TransferEncoding::Base64;
        case Encoding::Auto: break;
    }
    if (resolve_kind(p) == Kind::Binary) return TransferEncoding::Base64;
    if (p.source.read != nullptr) {
        // A stream cannot be scanned ahead: quoted-printable is valid for any
        // content; the optional sniff only decides whether base64 is shorter.
        const Scan s = scan(p.sniff);
        return mostly_non_ascii(s, p.sniff.size()) ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
    }
    const Scan s = scan(p.data);
    if (s.clean && s.non_ascii == 0) return TransferEncoding::SevenBit;
    if (s.clean && eight_bit_mime) return TransferEncoding::EightBit;
    return mostly_non_ascii(s, p.data.size()) ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
}

}  // namespace smtpcore::mime::detail
