// sendmail -t input handling: header parsing is only as deep as recipients,
// Bcc removal and the fields -t adds need; the message itself is sent as the
// user wrote it, the body streamed from its file.
#include "sendmail_input.hpp"

#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "input_file.hpp"
#include "options.hpp"
#include "smtpcore/adapters/host_clock.hpp"
#include "smtpcore/mime/message.hpp"

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

std::vector<std::string> addresses_in(std::string_view value) {
    std::vector<std::string> out;
    std::string token, angle;
    bool quoted = false, in_angle = false;
    int comment = 0;
    auto finish = [&] {
        std::string a = trim(in_angle || !angle.empty() ? angle : token);
        if (!a.empty()) out.push_back(a);  // "root" too: refused by name later, never dropped
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

SendmailInput::~SendmailInput() {
    if (owned && fd >= 0) close(fd);
}

namespace {

// RFC 5322 §3.3, written as the MIME writer writes its Date field (in the
// C locale, whatever the user's).
std::string date_now() {
    char text[64];
    return std::string(text, mime::format_date(adapters::local_now(), text, sizeof text));
}

// 128 random bits at the sender's domain, like the writer's Message-ID.
std::string message_id(const std::string& from) {
    unsigned char random[16];
    adapters::random_octets(random, sizeof random);
    std::string id = "<";
    for (const unsigned char b : random) {
        id += "0123456789abcdef"[b >> 4];
        id += "0123456789abcdef"[b & 15];
    }
    const auto at = from.rfind('@');
    return id + "@" + (at == std::string::npos ? "localhost" : from.substr(at + 1)) + ">";
}

// A display name as a phrase (RFC 5322 §3.2.5): atoms as they are, a quoted
// string when it holds specials, an RFC 2047 encoded word when not ASCII.
std::string phrase(const std::string& name) {
    bool ascii = true, plain = true;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u > 127 || u < 32) ascii = false;
        if (!std::isalnum(u) && std::strchr(" !#$%&'*+-/=?^_`{|}~", c) == nullptr) plain = false;
    }
    if (!ascii) {
        static const char* const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out = "=?UTF-8?B?";
        for (std::size_t i = 0; i < name.size(); i += 3) {
            const std::uint32_t v = (static_cast<unsigned char>(name[i]) << 16) |
                                    (i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) << 8 : 0) |
                                    (i + 2 < name.size() ? static_cast<unsigned char>(name[i + 2]) : 0);
            out += b64[v >> 18];
            out += b64[(v >> 12) & 63];
            out += i + 1 < name.size() ? b64[(v >> 6) & 63] : '=';
            out += i + 2 < name.size() ? b64[v & 63] : '=';
        }
        return out + "?=";
    }
    if (plain) return name;
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void read_sendmail_input(bool dot_is_data, const AddedFields& add, SendmailInput& in) {
    struct stat st {};
    if (fstat(0, &st) == 0 && S_ISREG(st.st_mode)) {
        in.fd = 0;
        const off_t here = lseek(0, 0, SEEK_CUR);
        in.body_offset = here > 0 ? static_cast<std::uint64_t>(here) : 0;
    } else {
        in.fd = spool_to_temporary(0, "standard input");
        in.owned = true;
    }
    // The header: up to the first empty line (RFC 5322 §2.1), CRLF or LF.
    std::string raw;
    std::size_t header_end = std::string::npos, scanned = 0;
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = pread(in.fd, buf, sizeof buf, static_cast<off_t>(in.body_offset + raw.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputMissing{std::string("cannot read standard input: ") + std::strerror(errno)};
        raw.append(buf, static_cast<std::size_t>(n));
        for (; scanned < raw.size() && header_end == std::string::npos; ++scanned) {
            if (raw[scanned] != '\n') continue;
            if (scanned + 1 < raw.size() && raw[scanned + 1] == '\n') header_end = scanned + 2;
            else if (scanned + 2 < raw.size() && raw[scanned + 1] == '\r' && raw[scanned + 2] == '\n') header_end = scanned + 3;
        }
        if (header_end != std::string::npos || n == 0) break;
        if (raw.size() > kMaxHeader)
            throw DataError{"the message header is over " + std::to_string(kMaxHeader / 1024) + " KiB (no empty line ends it)"};
    }
    if (!raw.empty() && (raw[0] == '\n' || (raw.size() > 1 && raw[0] == '\r' && raw[1] == '\n'))) header_end = 0;
    if (header_end == std::string::npos) header_end = raw.size();
    raw.resize(header_end);
    if (raw.size() > kMaxHeader) throw DataError{"the message header is over 1 MiB"};

    bool have_from = false, have_date = false, have_id = false;
    std::size_t pos = 0;
    std::string kept, field, field_raw;  // the current unfolded field, and its raw lines
    auto finish_field = [&] {
        if (field_raw.empty()) return;
        const auto colon = field.find(':');
        const std::string name = trim(std::string_view(field).substr(0, colon == std::string::npos ? 0 : colon));
        const std::string_view value =
            colon == std::string::npos ? std::string_view() : std::string_view(field).substr(colon + 1);
        const bool bcc = iequals(name, "Bcc");
        if (iequals(name, "To") || iequals(name, "Cc") || bcc)
            for (std::string& a : addresses_in(value)) in.recipients.push_back(std::move(a));
        if (iequals(name, "From")) {
            have_from = true;
            const auto from = addresses_in(value);
            if (!from.empty() && in.from.empty()) in.from = from.front();
        }
        have_date = have_date || iequals(name, "Date");
        have_id = have_id || iequals(name, "Message-ID");
        if (!bcc) kept += field_raw;
        field.clear();
        field_raw.clear();
    };
    std::string blank;
    while (pos < raw.size()) {
        const std::size_t eol = raw.find('\n', pos);
        const std::size_t next = eol == std::string::npos ? raw.size() : eol + 1;
        std::string_view line(raw.data() + pos, next - pos);
        std::string_view bare = line;
        while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
        if (bare.empty()) {  // the empty line that ends the header
            blank = std::string(line);
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
    if (!kept.empty() && kept.back() != '\n') kept += "\r\n";  // input that ended inside the header

    // RFC 5322 §3.6: From and Date are required; Message-ID should be there. msmtp adds them too.
    std::string added;
    const std::string sender = add.from.empty() ? in.from : add.from;
    if (!have_from && !sender.empty())
        added += "From: " + (add.full_name.empty() ? sender : phrase(add.full_name) + " <" + sender + ">") + "\r\n";
    if (!have_date) added += "Date: " + date_now() + "\r\n";
    if (!have_id) added += "Message-ID: " + message_id(sender) + "\r\n";
    if (in.from.empty()) in.from = sender;
    in.header = added + kept + (blank.empty() ? "\r\n" : blank);
    for (const char c : in.header) {
        if (static_cast<unsigned char>(c) > 127) in.eight_bit = true;
        if (c == '\n') ++in.bare_line_ends;  // at most one more octet per line end
    }

    // The body, scanned once: 8-bit octets, line ends, and sendmail's lone "." line.
    in.body_offset += header_end;
    std::uint64_t at = in.body_offset;
    bool line_start = true;
    int dot_state = 0;  // 1: "." at a line start; 2: ".\r"
    for (;;) {
        const ssize_t n = pread(in.fd, buf, sizeof buf, static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputMissing{std::string("cannot read standard input: ") + std::strerror(errno)};
        if (n == 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            const char c = buf[i];
            if (static_cast<unsigned char>(c) > 127) in.eight_bit = true;
            if (!dot_is_data) {
                if (c == '\n' && dot_state > 0) {  // "." alone on its line: the input ends before it
                    in.body_length = at + static_cast<std::uint64_t>(i) - in.body_offset - static_cast<std::uint64_t>(dot_state);
                    return;
                }
                dot_state = (line_start && c == '.') ? 1 : (dot_state == 1 && c == '\r') ? 2 : 0;
            }
            if (c == '\n') ++in.bare_line_ends;
            line_start = c == '\n';
        }
        at += static_cast<std::uint64_t>(n);
    }
    in.body_length = at - in.body_offset;
}

ReadResult SendmailSource::read(MutableBytes out) noexcept {
    std::size_t w = 0;
    const std::uint64_t total = in_.header.size() + in_.body_length;
    while (w < out.size() && pos_ < total) {
        if (pos_ < in_.header.size()) {
            const std::size_t k = std::min<std::size_t>(out.size() - w, in_.header.size() - pos_);
            std::memcpy(out.data() + w, in_.header.data() + pos_, k);
            w += k;
            pos_ += k;
            continue;
        }
        const std::uint64_t body_pos = pos_ - in_.header.size();
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size() - w, in_.body_length - body_pos));
        const ssize_t n = pread(in_.fd, out.data() + w, want, static_cast<off_t>(in_.body_offset + body_pos));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return {0, ReadStatus::Failed};  // the file shrank under us: never send a cut message
        w += static_cast<std::size_t>(n);
        pos_ += static_cast<std::uint64_t>(n);
    }
    return {w, pos_ == total ? ReadStatus::End : ReadStatus::Data};
}

}  // namespace smtpcore::cli
