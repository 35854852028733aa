// The order in which an asynchronous host completes its work must not change
// what a message's outcome may be (RFC 5321 §6.1, issue 8 defects 1 and 2).
//
// A random schedule interleaves: send_buf() handing bytes out (the server
// sees them at once, as a kernel would), late and partial send_ack()s, server
// bytes delivered in random pieces (a reply may arrive before the write
// completion of the line it answers), and an end of file at any moment. The
// rules asserted at the end:
//  - exactly one outcome for the submitted message;
//  - MessageAccepted only if the server took the message and its 250 arrived;
//  - once the server took the message, never MessageRejected;
//  - MessageUnknown only once the end-of-data marker was handed out;
//  - a message whose marker the server never saw is never accepted or unknown.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <cstring>
#include <string>
#include <vector>

#include "smtpcore/client.hpp"

using namespace smtpcore;

namespace {

// A server that answers every complete line it has seen.
struct Server {
    bool refuse_message = false;  // 554 to the end of data instead of 250
    std::string seen;             // everything handed out so far
    std::size_t parsed = 0;
    bool in_data = false;
    bool took = false;            // saw the marker and answered 250
    bool marker_seen = false;
    std::string output = "220 mx\r\n";
    std::size_t delivered = 0;
    std::size_t final_reply_at = std::string::npos;  // offset of the end-of-data reply in output

    void see(const std::string& bytes) {
        seen += bytes;
        for (std::size_t eol; (eol = seen.find("\r\n", parsed)) != std::string::npos; parsed = eol + 2) {
            const std::string line = seen.substr(parsed, eol - parsed);
            if (in_data) {
                if (line != ".") continue;
                in_data = false;
                marker_seen = true;
                final_reply_at = output.size();
                took = !refuse_message;
                output += refuse_message ? "554 5.7.1 no\r\n" : "250 queued\r\n";
            } else if (line.rfind("EHLO", 0) == 0) {
                output += "250-mx\r\n250 PIPELINING\r\n";
            } else if (line == "DATA") {
                output += "354 go\r\n";
                in_data = true;
            } else if (line == "QUIT") {
                output += "221 bye\r\n";
            } else {
                output += "250 ok\r\n";
            }
        }
    }
    bool final_reply_delivered() const { return final_reply_at != std::string::npos && delivered > final_reply_at; }
};

struct Outcomes {
    int count = 0;
    EventType type = EventType::None;
};

}  // namespace

TEST_CASE("property: host completion order never turns a taken message into 'not sent'") {
    CHECK(rc::check("host completions", [] {
        Config config;
        config.client_name = "client.example";
        config.tls = TlsMode::None;
        std::vector<char> storage(1024);
        Client client(config, MutableBytes(storage.data(), storage.size()));
        Server server;
        server.refuse_message = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
        const std::string_view to[] = {"b@example.net"};
        const Envelope envelope{"a@example.org", Span<const std::string_view>(to, 1)};
        bool submitted = false;
        std::size_t handed = 0, acked = 0;  // bytes of the client's output
        Outcomes out;

        auto pull = [&] {
            for (Event e = client.next_event(); e.type != EventType::None; e = client.next_event()) {
                switch (e.type) {
                case EventType::Ready:
                    if (!submitted) submitted = !client.submit(envelope);
                    else client.quit();
                    break;
                case EventType::BodyWanted: {
                    const MutableBytes w = client.body_buf();
                    RC_ASSERT(w.size() >= 8);
                    std::memcpy(w.data(), "hello\r\n", 7);
                    client.body_ack(7);
                    client.body_end();
                    break;
                }
                case EventType::MessageAccepted:
                case EventType::MessageRejected:
                case EventType::MessageUnknown:
                    ++out.count;
                    out.type = e.type;
                    break;
                default:
                    break;
                }
            }
        };
        bool eof = false;
        for (int step = 0; step < 400 && client.ok() && client.state() != SessionState::Closed && !eof; ++step) {
            switch (*rc::gen::inRange(0, 4)) {
            case 0: {  // hand out what is pending: the server sees it at once
                const Bytes b = client.send_buf();
                if (b.size() > handed - acked) {
                    const std::string fresh(b.data() + (handed - acked), b.size() - (handed - acked));
                    handed += fresh.size();
                    server.see(fresh);
                }
                break;
            }
            case 1: {  // a late, possibly partial write completion
                if (handed > acked) {
                    const std::size_t n = *rc::gen::inRange<std::size_t>(1, handed - acked + 1);
                    RC_ASSERT(!client.send_ack(n));
                    acked += n;
                }
                break;
            }
            case 2:
            case 3: {  // server bytes, in a random piece
                if (server.delivered < server.output.size()) {
                    const std::size_t left = server.output.size() - server.delivered;
                    const std::size_t n = *rc::gen::inRange<std::size_t>(1, left + 1);
                    server.delivered += client.feed(std::string_view(server.output).substr(server.delivered, n));
                }
                break;
            }
            case 4:  // the connection ends, whatever is in flight
                if (*rc::gen::inRange(0, 8) == 0) {
                    client.connection_closed();
                    eof = true;
                }
                break;
            }
            pull();
        }
        if (client.ok() && client.state() != SessionState::Closed) {
            client.connection_closed();
            pull();
        }
        // The server sees exactly what was handed out.
        const bool marker_handed_out = server.marker_seen;
        if (!submitted) return;
        RC_ASSERT(out.count == 1);
        if (out.type == EventType::MessageAccepted) RC_ASSERT(server.took && server.final_reply_delivered());
        if (server.took) RC_ASSERT(out.type != EventType::MessageRejected);
        if (out.type == EventType::MessageUnknown) RC_ASSERT(marker_handed_out);
        if (!server.marker_seen) RC_ASSERT(out.type == EventType::MessageRejected);
    }));
}
