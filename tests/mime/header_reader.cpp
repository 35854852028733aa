#include "header_reader.hpp"

#include <smtpcore/codec/base64.hpp>

namespace smtpcore::mime::test {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// RFC 2047 §2: encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
bool decode_word(const std::string& w, std::string& out) {
    if (w.size() < 8 || w.compare(0, 2, "=?") != 0 || w.compare(w.size() - 2, 2, "?=") != 0) return false;
    const std::size_t q1 = w.find('?', 2);
    if (q1 == std::string::npos || q1 + 2 >= w.size() || w[q1 + 2] != '?') return false;
    const char enc = w[q1 + 1];
    const std::string text = w.substr(q1 + 3, w.size() - q1 - 5);
    if (enc == 'B' || enc == 'b') {
        std::string d(text.size() + 3, '\0');
        const long n = codec::base64_decode(text, d.data(), d.size());
        if (n < 0) return false;
        out += d.substr(0, static_cast<std::size_t>(n));
        return true;
    }
    if (enc != 'Q' && enc != 'q') return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out += ' ';
        } else if (text[i] == '=') {
            if (i + 2 >= text.size()) return false;
            const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return true;
}

}  // namespace

std::string header_block(const std::string& message) {
    const std::size_t end = message.find("\r\n\r\n");
    return end == std::string::npos ? message : message.substr(0, end + 2);
}

std::string body_of(const std::string& message) {
    const std::size_t end = message.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : message.substr(end + 4);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find("\r\n", start);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

std::string field_body(const std::string& block, const std::string& name) {
    const std::vector<std::string> lines = lines_of(block);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].compare(0, name.size() + 1, name + ":") != 0) continue;
        // RFC 5322 §2.2.3: unfolding removes each CRLF that precedes WSP.
        std::string v = lines[i].substr(name.size() + 1);
        for (std::size_t k = i + 1; k < lines.size() && !lines[k].empty() && is_wsp(lines[k][0]); ++k) v += lines[k];
        if (!v.empty() && v[0] == ' ') v.erase(0, 1);
        return v;
    }
    return "<none>";
}

std::string decode_unstructured(const std::string& value) {
    std::string out, pending_ws;
    bool prev_encoded = false;
    std::size_t i = 0;
    while (i < value.size()) {
        std::size_t j = i;
        while (j < value.size() && is_wsp(value[j])) ++j;
        const std::string ws = value.substr(i, j - i);
        std::size_t k = j;
        while (k < value.size() && !is_wsp(value[k])) ++k;
        const std::string word = value.substr(j, k - j);
        std::string decoded;
        const bool encoded = word.size() >= 8 && word.compare(0, 2, "=?") == 0 && decode_word(word, decoded);
        if (word.compare(0, 2, "=?") == 0 && !encoded) return "<bad>";
        if (!(encoded && prev_encoded)) out += ws;  // RFC 2047 §6.2
        out += encoded ? decoded : word;
        prev_encoded = encoded;
        i = k;
    }
    return out;
}

std::string base64_lines_decode(const std::string& text) {
    std::string flat;
    for (char c : text)
        if (c != '\r' && c != '\n') flat += c;
    std::string d(flat.size() + 3, '\0');
    const long n = codec::base64_decode(flat, d.data(), d.size());
    if (n < 0) return "<bad>";
    d.resize(static_cast<std::size_t>(n));
    return d;
}

std::vector<std::string> layout_breaches(const std::string& block) {
    std::vector<std::string> out;
    for (const std::string& line : lines_of(block)) {
        const bool encoded = line.find("=?") != std::string::npos;
        // RFC 5322 §2.1.1: over 78 is allowed only where nothing could fold,
        // i.e. the line is "Name: token" or " token".
        std::string rest = line;
        if (!rest.empty() && is_wsp(rest[0])) {
            rest.erase(0, 1);
        } else if (rest.find(':') != std::string::npos) {
            rest.erase(0, rest.find(':') + 1);
            while (!rest.empty() && is_wsp(rest[0])) rest.erase(0, 1);
        }
        const bool one_token = rest.find_first_of(" \t") == std::string::npos;
        if (line.size() > 998 || (line.size() > 78 && !one_token) || (encoded && line.size() > 76))
            out.push_back(std::to_string(line.size()) + ": " + line.substr(0, 100));
    }
    return out;
}

}  // namespace smtpcore::mime::test
