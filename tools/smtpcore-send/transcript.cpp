#include "transcript.hpp"

#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace smtpcore::cli {
namespace {
constexpr unsigned long kBodyLinesShown = 12;

bool starts_with_nocase(const std::string& s, const char* prefix) {
    for (std::size_t i = 0; prefix[i] != '\0'; ++i)
        if (i >= s.size() || std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// Length of the well-formed UTF-8 sequence at s[i] that is not a C1 control
// (U+0080..U+009F: 0x9B is CSI on many terminals), or 0.
std::size_t printable_utf8(const std::string& s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    const std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    std::uint32_t cp = c & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp <= 0x9F) return 0;
    return n;
}

}  // namespace

std::string Transcript::escape(const std::string& line) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size();) {
        const auto c = static_cast<unsigned char>(line[i]);
        if ((c >= 0x20 && c < 0x7F) || c == '\t') {
            out += line[i++];
        } else if (const std::size_t n = c >= 0x80 ? printable_utf8(line, i) : 0) {
            out.append(line, i, n);
            i += n;
        } else {
            // ESC, BEL, CR, C1 and broken UTF-8 never reach the terminal raw.
            static const char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
            ++i;
        }
    }
    return out;
}

void Transcript::note(const std::string& text) { std::fprintf(out_, "* %s\n", escape(text).c_str()); }

void Transcript::on_wire(adapters::Direction direction, Bytes bytes) {
    std::string& partial = direction == adapters::Direction::Sent ? client_partial_ : server_partial_;
    partial.append(bytes.data(), bytes.size());
    for (;;) {
        if (direction == adapters::Direction::Sent && chunk_left_ > 0) {
            // BDAT content is counted, not shown: it has line ends of its own.
            const std::size_t n = chunk_left_ < partial.size() ? chunk_left_ : partial.size();
            partial.erase(0, n);
            chunk_left_ -= n;
            chunk_bytes_ += n;
            if (chunk_left_ > 0) break;
            if (chunk_last_) end_of_chunks();
            continue;
        }
        const std::size_t eol = partial.find("\r\n");
        if (eol == std::string::npos) break;
        const std::string line = partial.substr(0, eol);
        partial.erase(0, eol + 2);
        if (direction == adapters::Direction::Sent) client_line(line);
        else server_line(line);
    }
}

void Transcript::client_line(const std::string& line) {
    if (in_body_) {
        if (line == ".") {
            if (body_lines_ > kBodyLinesShown)
                std::fprintf(out_, "> ... (%lu more lines, %lu octets of message in all)\n",
                             body_lines_ - kBodyLinesShown, body_bytes_);
            std::fprintf(out_, "> .\n");
            in_body_ = false;
            return;
        }
        if (++body_lines_ <= kBodyLinesShown) std::fprintf(out_, "> %s\n", escape(line).c_str());
        body_bytes_ += line.size() + 2;
        return;
    }
    if (starts_with_nocase(line, "BDAT ")) {  // "BDAT" SP size [SP "LAST"] (RFC 3030 §2)
        chunk_left_ = std::strtoul(line.c_str() + 5, nullptr, 10);
        chunk_last_ = line.find(" LAST") != std::string::npos;
        std::fprintf(out_, "> %s\n", escape(line).c_str());
        if (chunk_left_ == 0 && chunk_last_) end_of_chunks();
        return;
    }
    if (starts_with_nocase(line, "AUTH ")) {
        // "AUTH PLAIN <initial response>": keep the mechanism, hide the secret.
        in_auth_ = true;
        const auto space = line.find(' ', 5);
        std::fprintf(out_, "> %s%s\n", escape(line.substr(0, space)).c_str(), space == std::string::npos ? "" : " ********");
        return;
    }
    std::fprintf(out_, "> %s\n", in_auth_ ? "********" : escape(line).c_str());
}

void Transcript::end_of_chunks() {
    std::fprintf(out_, "> ... (%lu octets of message in BDAT chunks)\n", chunk_bytes_);
    chunk_bytes_ = 0;
}

void Transcript::server_line(const std::string& line) {
    std::fprintf(out_, "< %s\n", escape(line).c_str());
    const bool last_line = line.size() < 4 || line[3] != '-';
    if (!last_line) return;
    if (in_auth_ && line.compare(0, 3, "334") != 0) in_auth_ = false;  // 235 or a failure ends AUTH
    if (line.compare(0, 3, "354") == 0) {
        in_body_ = true;
        body_lines_ = body_bytes_ = 0;
    }
}

}  // namespace smtpcore::cli
