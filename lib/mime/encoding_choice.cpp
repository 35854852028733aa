#include "encoding_choice.hpp"

#include "ascii.hpp"

namespace smtpcore::mime::detail {
namespace {

struct Scan {
    std::size_t non_ascii = 0;
    bool clean = true;  // usable as 7bit/8bit: no NUL, lines ≤ 998, no boundary line
};

// True when data[i..] starts with "--" stem.
bool boundary_at(Bytes data, std::size_t i, std::string_view stem) noexcept {
    if (stem.empty() || i + 2 + stem.size() > data.size() || data[i] != '-' || data[i + 1] != '-') return false;
    for (std::size_t k = 0; k < stem.size(); ++k)
        if (data[i + 2 + k] != stem[k]) return false;
    return true;
}

Scan scan(Bytes data, std::string_view stem) noexcept {
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
        if (line_start && boundary_at(data, i, stem)) s.clean = false;
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
    return (istarts_with(p.content_type, "text/") || istarts_with(p.content_type, "message/")) ? Kind::Text
                                                                                                 : Kind::Binary;
}

bool ascii_compatible_charset(std::string_view cs) noexcept {
    static constexpr std::string_view kExact[] = {
        "us-ascii", "ascii",  "utf-8",     "utf8",   "koi8-r", "koi8-u", "euc-jp",   "euc-kr", "euc-cn",
        "euc-tw",   "gb2312", "gbk",       "gb18030", "big5",  "big5-hkscs", "shift_jis", "tis-620", "viscii",
        "macintosh", "utf-7", "iso-ir-6",
    };
    for (std::string_view e : kExact)
        if (iequal(cs, e)) return true;
    static constexpr std::string_view kPrefixes[] = {"iso-8859-", "iso-2022-", "windows-125"};
    for (std::string_view p : kPrefixes)
        if (cs.size() > p.size() && istarts_with(cs, p)) return true;
    return false;
}

bool writes_charset(const Part& p) noexcept { return istarts_with(p.content_type, "text/"); }

bool canonical_line_breaks(const Part& p) noexcept {
    if (resolve_kind(p) != Kind::Text) return false;
    return !writes_charset(p) || ascii_compatible_charset(p.charset);
}

bool is_unencodable_message(const Part& p) noexcept {
    return iequal(p.content_type, "message/rfc822") || iequal(p.content_type, "message/partial") ||
           iequal(p.content_type, "message/external-body");
}

TransferEncoding choose_encoding(const Part& p, bool eight_bit_mime, std::string_view stem) noexcept {
    switch (p.encoding) {
        case Encoding::SevenBit: return TransferEncoding::SevenBit;
        case Encoding::EightBit: return TransferEncoding::EightBit;
        case Encoding::QuotedPrintable: return TransferEncoding::QuotedPrintable;
        case Encoding::Base64: return TransferEncoding::Base64;
        case Encoding::Auto: break;
    }
    const bool streamed = p.source.read != nullptr;
    if (is_unencodable_message(p)) {
        // A stream is checked while it is written; a buffer by check_part_encoding.
        if (streamed) return eight_bit_mime ? TransferEncoding::EightBit : TransferEncoding::SevenBit;
        return scan(p.data, stem).non_ascii == 0 ? TransferEncoding::SevenBit : TransferEncoding::EightBit;
    }
    // Octets that must come back exactly, including text whose line breaks
    // are not CR and LF octets (UTF-16, UTF-32, unknown charsets).
    if (!canonical_line_breaks(p)) return TransferEncoding::Base64;
    if (streamed) {
        // A stream cannot be scanned ahead: quoted-printable is valid for any
        // content; the optional sniff only decides whether base64 is shorter.
        const Scan s = scan(p.sniff, std::string_view());
        return mostly_non_ascii(s, p.sniff.size()) ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
    }
    const Scan s = scan(p.data, stem);
    if (s.clean && s.non_ascii == 0) return TransferEncoding::SevenBit;
    if (s.clean && eight_bit_mime) return TransferEncoding::EightBit;
    return mostly_non_ascii(s, p.data.size()) ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
}

// RFC 2046 §5.2.1: "No encoding other than "7bit", "8bit", or "binary" is
// permitted for the body of a "message/rfc822" entity" (§5.2.2, §5.2.3 say
// the same of message/partial and message/external-body).
const char* check_part_encoding(const Part& p, bool eight_bit_mime, std::string_view stem) noexcept {
    if (!is_unencodable_message(p)) return nullptr;
    if (p.encoding == Encoding::QuotedPrintable || p.encoding == Encoding::Base64)
        return "message/rfc822, message/partial and message/external-body are only 7bit or 8bit (RFC 2046 §5.2)";
    if (p.encoding != Encoding::Auto || p.source.read != nullptr) return nullptr;  // checked while written
    const Scan s = scan(p.data, stem);
    if (!s.clean) return "message content has a NUL, a line over 998 octets or this message's boundary";
    if (s.non_ascii > 0 && !eight_bit_mime) return "message content is 8bit and 8BITMIME is not in use";
    return nullptr;
}

}  // namespace smtpcore::mime::detail
