#include "transcript.hpp"

#include <cctype>

namespace smtpcore::cli {
namespace {
constexpr unsigned long kBodyLinesShown = 12;

bool starts_with_nocase(const std::string& s, const char* prefix) {
    for (std::size_t i = 0; prefix[i] != '\0'; ++i)
        if (i >= s.size() || std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}
}  // namespace

void Transcript::note(const std::string& text) { std::fprintf(out_, "* %s\n", text.c_str()); }

void Transcript::on_wire(adapters::Direction direction, Bytes bytes) {
    std::string& partial = direction == adapters::Direction::Sent ? client_partial_ : server_partial_;
    partial.append(bytes.data(), bytes.size());
    for (std::size_t eol; (eol = partial.find("\r\n")) != std::string::npos;) {
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
        if (++body_lines_ <= kBodyLinesShown) std::fprintf(out_, "> %s\n", line.c_str());
        body_bytes_ += line.size() + 2;
        return;
    }
    if (starts_with_nocase(line, "AUTH ")) {
        // "AUTH PLAIN <initial response>": keep the mechanism, hide the secret.
        in_auth_ = true;
        const auto space = line.find(' ', 5);
        std::fprintf(out_, "> %s%s\n", line.substr(0, space).c_str(), space == std::string::npos ? "" : " ********");
        return;
    }
    std::fprintf(out_, "> %s\n", in_auth_ ? "********" : line.c_str());
}

void Transcript::server_line(const std::string& line) {
    std::fprintf(out_, "< %s\n", line.c_str());
    const bool last_line = line.size() < 4 || line[3] != '-';
    if (!last_line) return;
    if (in_auth_ && line.compare(0, 3, "334") != 0) in_auth_ = false;  // 235 or a failure ends AUTH
    if (line.compare(0, 3, "354") == 0) {
        in_body_ = true;
        body_lines_ = body_bytes_ = 0;
    }
}

}  // namespace smtpcore::cli
