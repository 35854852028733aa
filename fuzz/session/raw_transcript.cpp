// The raw-transcript host: the input is what a real server sent; a plain,
// well-behaved host replays it. It acknowledges all output before pulling the
// next event (so replies never arrive before their command went out), says
// tls_established() after StartTls, submits one message per 354 in the
// transcript, writes a small body with dot lines, and quits at the end.
//
// What the application must submit is guessed from the transcript: TLS when
// an EHLO reply offers STARTTLS, credentials when a 235 appears, and as many
// recipients as there are replies between the envelope's MAIL reply and the
// 354 (the MAIL reply follows the last EHLO or AUTH reply).
#include <string>
#include <string_view>
#include <vector>

#include "alloc_probe.hpp"
#include "checked_session.hpp"
#include "hosts.hpp"
#include "report.hpp"

namespace smtpcore::fuzz {
namespace {

struct Reply {
    int code = 0;
    int lines = 0;
    std::size_t end = 0;  // offset just past the reply's last line
};

// Splits server bytes into replies: a reply ends with a line whose fourth
// octet is not '-'. Tolerant: a transcript is only a hint.
std::vector<Reply> split_replies(std::string_view s) {
    std::vector<Reply> replies;
    Reply r;
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string_view::npos) end = s.size();
        const std::string_view line = s.substr(start, end - start);
        if (line.size() >= 3) {
            if (r.lines == 0) r.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            ++r.lines;
            if (line.size() < 4 || line[3] != '-') {
                r.end = end < s.size() ? end + 1 : s.size();
                replies.push_back(r);
                r = Reply{};
            }
        }
        start = end + 1;
    }
    return replies;
}

bool contains_nocase(std::string_view haystack, std::string_view needle) {
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && (haystack[i + k] | 0x20) == (needle[k] | 0x20)) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

struct Guess {
    Config config;
    std::size_t recipients = 1;
    std::size_t messages = 1;
    std::vector<Reply> replies;
};

Guess guess(std::string_view server) {
    Guess g;
    g.config.client_name = "client.example";
    g.config.tls = contains_nocase(server, "STARTTLS") ? TlsMode::StartTlsRequired : TlsMode::None;
    g.replies = split_replies(server);
    const std::vector<Reply>& replies = g.replies;
    // The hello phase ends with the last EHLO (multi-line 250) or AUTH (235)
    // reply before the first 354; after a HELO, with the first 250.
    std::size_t hello_end = 0, first_250 = 0, first_354 = 0, count_354 = 0;
    bool authenticated = false;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (replies[i].code == 354 && count_354++ == 0) first_354 = i;
        if (replies[i].code == 250 && first_250 == 0) first_250 = i;
        if (count_354 == 0 && ((replies[i].code == 250 && replies[i].lines > 1) || replies[i].code == 235))
            hello_end = i;
        if (replies[i].code == 235) authenticated = true;
    }
    if (hello_end == 0) hello_end = first_250;
    if (authenticated) {
        g.config.username = "user@example.org";
        g.config.password = "secret";
        g.config.allow_plaintext_auth = true;
    }
    if (first_354 > hello_end + 2) g.recipients = first_354 - hello_end - 2;
    if (g.recipients > 16) g.recipients = 16;
    g.messages = count_354 > 0 ? count_354 : 1;
    return g;
}

constexpr std::string_view kBody =
    "Subject: fuzz seed\r\n\r\nHello.\r\n.leading dot\r\n.\r\nlast line without a line end";

}  // namespace

void run_raw_transcript(const std::uint8_t* data, std::size_t size) {
    const std::string_view server(reinterpret_cast<const char*>(data), size);
    const Guess g = guess(server);
    test::CheckedSession s(g.config, 4096, &allocations);
    // A real server answers one command at a time: feed one reply, then let
    // the client act on it before the next (the last reply runs to the end,
    // so trailing bytes that are no reply still reach the engine).
    std::size_t offset = 0, reply = 0, submitted = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        s.ack(~std::size_t(0));
        const Event e = s.pull_event();
        stop_if_violated(s);
        if (e.type == EventType::None) {
            if (offset == server.size()) break;
            while (reply + 1 < g.replies.size() && g.replies[reply].end <= offset) ++reply;
            const std::size_t end = reply + 1 < g.replies.size() ? g.replies[reply].end : server.size();
            const std::size_t taken = s.feed(server.substr(offset, end - offset));
            offset += taken;
            if (taken == 0) break;
            continue;
        }
        if (e.type == EventType::StartTls) s.tls_established();
        if (e.type == EventType::Ready) {
            if (submitted < g.messages) {
                test::CheckedSession::Submission m;
                m.from = "sender@example.org";
                for (std::size_t i = 0; i < g.recipients; ++i)
                    m.recipients.push_back("rcpt" + std::to_string(i) + "@example.net");
                if (!s.submit(m)) ++submitted;
            } else {
                s.quit();
            }
        }
        if (e.type == EventType::BodyWanted) {
            for (std::string_view rest = kBody; !rest.empty();) {
                const std::size_t n = s.body(rest);
                rest.remove_prefix(n);
                if (n == 0) {
                    if (s.client().send_buf().empty()) break;
                    s.ack(~std::size_t(0));
                }
            }
            s.body_end();
        }
        stop_if_violated(s);
    }
    s.finish();
    print_if_verbose(s);
    stop_if_violated(s);
}

}  // namespace smtpcore::fuzz
