#include "header_options.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

#include "options.hpp"

namespace smtpcore::cli {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

// RFC 5322 §3.6.4: 1*msg-id, separated by white space (older mailers also
// put commas between them). Each id's syntax is the writer's to check.
std::vector<std::string> split_msg_ids(const std::string& value) {
    std::vector<std::string> ids;
    std::size_t i = 0;
    while (true) {
        i = value.find_first_not_of(" \t,", i);
        if (i == std::string::npos) return ids;
        const std::size_t end = value.find_first_of(" \t,", i);
        ids.push_back(value.substr(i, end == std::string::npos ? std::string::npos : end - i));
        i = end;
    }
}

}  // namespace

std::vector<std::string> split_address_list(const std::string& list) {
    std::vector<std::string> out;
    std::string current;
    bool quoted = false, angle = false;
    int comment = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const char c = list[i];
        if ((quoted || comment > 0) && c == '\\' && i + 1 < list.size()) {
            current += c;
            current += list[++i];
            continue;
        }
        if (quoted) quoted = c != '"';
        else if (comment > 0) comment += c == '(' ? 1 : c == ')' ? -1 : 0;
        else if (angle) angle = c != '>';
        else if (c == '"') quoted = true;
        else if (c == '(') comment = 1;
        else if (c == '<') angle = true;
        else if (c == ',') {
            if (!trim(current).empty()) out.push_back(trim(current));
            current.clear();
            continue;
        }
        current += c;
    }
    if (!trim(current).empty()) out.push_back(trim(current));
    return out;
}

std::optional<mime::DateTime> parse_date(const std::string& text) {
    static const char* const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    std::string s = trim(text);
    if (const auto comma = s.find(','); comma != std::string::npos) s = s.substr(comma + 1);
    mime::DateTime d;
    char month[4] = {};
    char sign = 0;
    int zone = 0, n = 0;
    if (std::sscanf(s.c_str(), " %d %3s %d %d:%d:%d %c%4d%n", &d.day, month, &d.year, &d.hour, &d.minute, &d.second,
                    &sign, &zone, &n) < 8 ||
        (sign != '+' && sign != '-'))
        return std::nullopt;
    if (!trim(s.substr(static_cast<std::size_t>(n))).empty()) return std::nullopt;
    d.month = 0;
    for (int m = 0; m < 12; ++m)
        if (lower(month) == months[m]) d.month = m + 1;
    if (d.month == 0 || zone % 100 >= 60) return std::nullopt;
    d.utc_offset_minutes = (sign == '-' ? -1 : 1) * (zone / 100 * 60 + zone % 100);
    return d;
}

HeaderChoices sort_headers(const std::vector<std::string>& fields) {
    HeaderChoices out;
    for (const std::string& h : fields) {
        const auto colon = h.find(':');
        if (colon == std::string::npos || colon == 0) throw UsageError{"--header needs 'Name: value', got '" + h + "'"};
        const std::string name = h.substr(0, colon);
        const std::string value = trim(h.substr(colon + 1));
        const std::string key = lower(name);
        if (key == "return-path")
            throw UsageError{"--header '" + h + "': Return-Path is added by the server that delivers the message "
                             "(RFC 5321 §4.4); the envelope sender is --from (or -f)"};
        if (key == "reply-to") {
            for (const std::string& a : split_address_list(value)) out.reply_to.push_back(a);
        } else if (key == "date") {
            out.date = parse_date(value);
            if (!out.date) throw UsageError{"--header '" + h + "': not an RFC 5322 date such as 'Mon, 23 Nov 2026 10:00:00 +0000'"};
        } else if (key == "message-id") {
            out.message_id = value;
        } else if (key == "sender") {
            // RFC 5322 §3.6.2: exactly one mailbox, given once.
            const std::vector<std::string> list = split_address_list(value);
            if (list.size() != 1 || !out.sender.empty())
                throw UsageError{"--header '" + h + "': Sender is one mailbox (RFC 5322 §3.6.2), given once"};
            out.sender = list.front();
        } else if (key == "in-reply-to" || key == "references") {
            std::vector<std::string>& ids = key == "in-reply-to" ? out.in_reply_to : out.references;
            const std::vector<std::string> more = split_msg_ids(value);
            if (more.empty()) throw UsageError{"--header '" + h + "': needs one or more <id@host> message ids"};
            ids.insert(ids.end(), more.begin(), more.end());
        } else if (key == "from" || key == "to" || key == "cc" || key == "bcc" || key == "subject" ||
                   key == "mime-version" || key == "resent-bcc") {
            throw UsageError{"--header '" + h + "': use --from, --to, --cc, --bcc or --subject for " + name +
                             (key == "resent-bcc" ? " (Resent-Bcc is never written: it would show the blind recipients)" : "")};
        } else {
            out.custom.emplace_back(name, value);
        }
    }
    return out;
}

}  // namespace smtpcore::cli
