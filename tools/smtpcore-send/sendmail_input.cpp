// sendmail -t input handling: header parsing is only as deep as recipients
// and Bcc removal need; the message itself is sent as the user wrote it.
#include "sendmail_input.hpp"

#include <unistd.h>

#include <cctype>

namespace smtpcore::cli {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

std::string read_stdin_message(bool dot_is_data) {
    std::string all;
    char buf[65536];
    for (ssize_t n; (n = ::read(0, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
    if (dot_is_data) return all;
    // sendmail without -i: input ends at a line consisting of a single dot.
    for (std::size_t start = 0; start < all.size();) {
        std::size_t eol = all.find('\n', start);
        const std::size_t end = eol == std::string::npos ? all.size() : eol;
        std::string_view line(all.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == ".") return all.substr(0, start);
        if (eol == std::string::npos) break;
        start = eol + 1;
    }
    return all;
}

std::vector<std::string> addresses_in(std::string_view value) {
    std::vector<std::string> out;
    std::string token, angle;
    bool quoted = false, in_angle = false;
    int comment = 0;
    auto finish = [&] {
        std::string a = trim(in_angle || !angle.empty() ? angle : token);
        if (a.find('@') != std::string::npos) out.push_back(a);
        token.clear();
        angle.clear();
        in_angle = false;
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (quoted) {
            if (c == '\\' && i + 1 < value.size()) ++i;
            else if (c == '"') quoted = false;
            continue;  // quoted display names are not addresses
        }
        if (comment > 0) {
            if (c == '\\') ++i;
            else if (c == '(') ++comment;
            else if (c == ')') --comment;
            continue;
        }
        if (in_angle) {
            if (c == '>') in_angle = false;
            else angle += c;
            continue;
        }
        switch (c) {
        case '"': quoted = true; break;
        case '(': ++comment; break;
        case '<': in_angle = true; angle.clear(); break;
        case ',': case ';': finish(); break;
        case ':': token.clear(); break;  // "group-name:" starts a group (RFC 5322 §3.4)
        default: token += c;
        }
    }
    finish();
    return out;
}

SendmailInput parse_sendmail_input(std::string raw) {
    SendmailInput in;
    // The header ends at the first empty line (RFC 5322 §2.1), CRLF or LF.
    std::size_t pos = 0;
    std::string kept;
    std::string field;  // the current unfolded field, and its raw lines
    std::string field_raw;
    auto finish_field = [&] {
        if (field_raw.empty()) return;
        const auto colon = field.find(':');
        const std::string name = trim(std::string_view(field).substr(0, colon == std::string::npos ? 0 : colon));
        const std::string_view value =
            colon == std::string::npos ? std::string_view() : std::string_view(field).substr(colon + 1);
        const bool bcc = iequals(name, "Bcc");
        if (iequals(name, "To") || iequals(name, "Cc") || bcc)
            for (std::string& a : addresses_in(value)) in.recipients.push_back(std::move(a));
        if (iequals(name, "From") && in.from.empty()) {
            const auto from = addresses_in(value);
            if (!from.empty()) in.from = from.front();
        }
        if (!bcc) kept += field_raw;
        field.clear();
        field_raw.clear();
    };
    while (pos < raw.size()) {
        std::size_t eol = raw.find('\n', pos);
        const std::size_t next = eol == std::string::npos ? raw.size() : eol + 1;
        std::string_view line(raw.data() + pos, next - pos);
        std::string_view bare = line;
        while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
        if (bare.empty()) {  // end of the header
            finish_field();
            kept.append(raw, pos, std::string::npos);
            pos = raw.size();
            break;
        }
        if (bare.front() == ' ' || bare.front() == '\t') {  // folded continuation (RFC 5322 §2.2.3)
            field += bare;
            field_raw += line;
        } else {
            finish_field();
            field = std::string(bare);
            field_raw = std::string(line);
        }
        pos = next;
    }
    finish_field();
    in.message = std::move(kept);
    for (const char c : in.message)
        if (static_cast<unsigned char>(c) > 127) { in.eight_bit = true; break; }
    return in;
}

}  // namespace smtpcore::cli
