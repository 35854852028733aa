// Throughput of the engine itself, with no network: a scripted in-memory
// server answers every command at once, so what is measured is the engine's
// own work (parsing replies, writing commands, dot-stuffing the body or
// writing BDAT chunks).
// Each figure is printed next to memcpy of the same octets in the same run.
//
// usage: bench_engine [messages]   (default 20000 small messages)
#include <smtpcore/client.hpp>
#include <smtpcore/detail/dot_stuffer.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace smtpcore;
using Clock = std::chrono::steady_clock;

namespace {

volatile char g_sink;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double memcpy_seconds(const std::vector<char>& src, std::size_t total) {
    std::vector<char> dst(src.size());
    const auto t0 = Clock::now();
    for (std::size_t done = 0; done < total; done += src.size()) {
        std::memcpy(dst.data(), src.data(), src.size());
        g_sink = dst[done % dst.size()];
    }
    return seconds_since(t0);
}

// A server that answers each complete command line immediately and, in the
// message content, only looks for the end-of-data line (cheaply, so that the
// engine's work dominates).
struct InstantServer {
    bool pipelining = true;
    bool chunking = false;       // offers CHUNKING (RFC 3030)
    std::size_t chunk_left = 0;  // BDAT content octets still to skip
    bool chunk_last = false;
    std::string replies;
    std::string line;
    bool in_data = false;
    std::string tail;  // the last octets of content, to find "\r\n.\r\n" across pieces

    void take(const char* p, std::size_t n) {
        std::size_t i = 0;
        while (i < n) {
            if (chunk_left > 0) {  // BDAT content: skipped by its size
                const std::size_t k = std::min(chunk_left, n - i);
                i += k;
                chunk_left -= k;
                if (chunk_left == 0) replies += chunk_last ? "250 2.0.0 queued\r\n" : "250 2.0.0 chunk\r\n";
                continue;
            }
            if (in_data) {
                i += take_content(p + i, n - i);
                continue;
            }
            line += p[i];
            if (p[i++] != '\n') continue;
            if (line.compare(0, 4, "EHLO") == 0) {
                replies += pipelining ? "250-mx.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n" : "250-mx.example\r\n250-8BITMIME\r\n";
                replies += chunking ? "250-CHUNKING\r\n250 SIZE 100000000\r\n" : "250 SIZE 100000000\r\n";
            } else if (line.compare(0, 5, "BDAT ") == 0) {
                chunk_left = std::strtoul(line.c_str() + 5, nullptr, 10);
                chunk_last = line.find(" LAST") != std::string::npos;
                if (chunk_left == 0) replies += chunk_last ? "250 2.0.0 queued\r\n" : "250 2.0.0 chunk\r\n";
            } else if (line.compare(0, 4, "DATA") == 0) {
                replies += "354 go\r\n";
                in_data = true;
                tail = "\r\n";
            } else if (line.compare(0, 4, "QUIT") == 0) {
                replies += "221 bye\r\n";
            } else {
                replies += "250 2.1.0 ok\r\n";
            }
            line.clear();
        }
    }

    // Consumes content up to and including the end-of-data line; returns octets used.
    std::size_t take_content(const char* p, std::size_t n) {
        const std::string_view marker = "\r\n.\r\n";
        std::string joined = tail + std::string(p, std::min<std::size_t>(n, 4));
        std::size_t at = joined.find(marker);
        if (at != std::string::npos) return finish_data(at + marker.size() - tail.size());
        const std::string_view view(p, n);
        at = view.find(marker);
        if (at != std::string_view::npos) return finish_data(at + marker.size());
        tail.assign(p + (n >= 4 ? n - 4 : 0), n >= 4 ? 4 : n);
        return n;
    }

    std::size_t finish_data(std::size_t used) {
        in_data = false;
        replies += "250 2.0.0 queued\r\n";
        return used;
    }
};

// Client flights: runs of client writes with no server reply delivered in
// between (what a round trip costs on a real network).
std::size_t g_flights = 0;

// Sends `messages` messages of `body` to `recipients` recipients each, in one
// session; returns seconds, or -1 if the session did not end well. Counts
// client flights in g_flights. `pipelining`: whether the server offers it;
// `ahead`: submit each next message as soon as the previous body ended;
// `chunking`: the server offers CHUNKING and the engine sends BDAT;
// `in_flight`: Limits::messages_in_flight (BDAT bodies behind the oldest).
double run_session(std::size_t messages, const std::string& body, std::size_t recipients,
                   std::size_t storage_size, bool pipelining = true, bool ahead = false, bool chunking = false,
                   std::uint8_t in_flight = 1) {
    Config config;
    config.limits.messages_in_flight = in_flight;
    config.client_name = "bench.example";
    config.tls = TlsMode::None;
    config.chunking = chunking ? ChunkingPolicy::Always : ChunkingPolicy::Never;
    std::vector<char> storage(storage_size);
    Client client(config, MutableBytes(storage.data(), storage.size()));
    InstantServer server;
    server.pipelining = pipelining;
    server.chunking = chunking;
    server.replies = "220 mx.example ESMTP\r\n";
    g_flights = 0;
    bool replies_since_write = true;
    bool moved = false;  // this turn the host had something to do besides reading
    auto send = [&](Bytes out) {
        if (out.empty()) return;
        moved = true;
        if (replies_since_write) ++g_flights;
        replies_since_write = false;
        server.take(out.data(), out.size());
        client.send_ack(out.size());
    };

    std::vector<std::string> addresses;
    for (std::size_t i = 0; i < recipients; ++i) addresses.push_back("user" + std::to_string(i) + "@example.net");
    std::vector<std::string_view> views(addresses.begin(), addresses.end());
    Envelope envelope;
    envelope.from = "bench@example.org";
    envelope.recipients = Span<const std::string_view>(views.data(), views.size());

    std::size_t sent = 0, accepted = 0, body_offset = 0;
    bool body_open = false;  // a BodyWanted came and its body has not ended (maybe behind the oldest)
    const auto t0 = Clock::now();
    auto pump_events = [&] {
        bool any = false;
        for (Event e = client.next_event(); e.type != EventType::None; e = client.next_event()) {
            any = true;
            if (e.type == EventType::Ready) {
                if (sent == messages) {
                    client.quit();
                } else {
                    client.submit(envelope);
                    ++sent;
                    body_offset = 0;
                }
            }
            if (e.type == EventType::MessageAccepted) ++accepted;
            if (e.type == EventType::BodyWanted) body_open = true;
        }
        return any;
    };
    while (client.ok() && client.state() != SessionState::Closed) {
        moved = pump_events();
        while (body_open) {
            const MutableBytes window = client.body_buf();
            if (window.empty()) break;
            const std::size_t n = std::min(window.size(), body.size() - body_offset);
            std::memcpy(window.data(), body.data() + body_offset, n);
            client.body_ack(n);
            body_offset += n;
            if (body_offset == body.size()) {
                client.body_end();
                body_open = false;
                // Submit the next message ahead: its envelope joins this flight.
                if (ahead && sent < messages && client.can_submit()) {
                    client.submit(envelope);
                    ++sent;
                    body_offset = 0;
                }
            }
            send(client.send_buf());
        }
        send(client.send_buf());
        // A host writes what it can before it reads: on a real network the
        // replies to this flight are a round trip away.
        if (moved) continue;
        // ... and reads every reply that came before it writes again.
        while (!server.replies.empty()) {
            const std::size_t n = client.feed(server.replies);
            server.replies.erase(0, n);
            replies_since_write = true;
            if (n == 0 && !pump_events()) break;  // parse what was fed, then feed on
        }
    }
    const double s = seconds_since(t0);
    return (client.ok() && accepted == messages) ? s : -1;
}

std::string make_body(std::size_t size) {
    std::string body = "Subject: bench\r\n\r\n";
    while (body.size() < size) body += "The quick brown fox jumps over the lazy dog. .dot at start\r\n";
    body.resize(size);
    return body;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t messages = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;

    // 1. Small messages: per-message engine cost (one recipient, 1 KiB).
    const std::string small = make_body(1024);
    const double s1 = run_session(messages, small, 1, 4096);
    if (s1 < 0) return std::printf("small-message session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 1 recipient, pipelined: %.2f us per message (%.0f messages/s)\n",
                messages, s1 / double(messages) * 1e6, double(messages) / s1);
    const double sa = run_session(messages, small, 1, 4096, true, true);
    if (sa < 0) return std::printf("submit-ahead session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 1 recipient, pipelined across messages (submit ahead): %.2f us per message\n",
                messages, sa / double(messages) * 1e6);
    const double sb = run_session(messages, small, 1, 4096, true, false, true);
    if (sb < 0) return std::printf("BDAT session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 1 recipient, BDAT (RFC 3030) pipelined: %.2f us per message\n",
                messages, sb / double(messages) * 1e6);
    const double sba = run_session(messages, small, 1, 4096, true, true, true);
    if (sba < 0) return std::printf("BDAT submit-ahead session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 1 recipient, BDAT pipelined across messages (submit ahead): %.2f us per message\n",
                messages, sba / double(messages) * 1e6);
    const double sbf = run_session(messages, small, 1, 16384, true, true, true, 8);
    if (sbf < 0) return std::printf("BDAT in-flight session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 1 recipient, BDAT pipelined, 8 messages in flight (16 KiB storage): "
                "%.2f us per message, %.2f client flights per message\n",
                messages, sbf / double(messages) * 1e6, double(g_flights - 2) / double(messages));
    // Flights per message for a batch of 10 (the greeting/EHLO and QUIT
    // flights excluded).
    struct Batch { bool pipelining, ahead, chunking; const char* name; std::uint8_t in_flight = 1; };
    for (const Batch b : {Batch{true, true, false, "DATA, batch of 10, PIPELINING, submitted ahead"},
                          Batch{true, false, false, "DATA, batch of 10, PIPELINING, one at a time"},
                          Batch{false, false, false, "DATA, batch of 10, no PIPELINING"},
                          Batch{true, true, true, "BDAT, batch of 10, PIPELINING, submitted ahead, 10 in flight", 10},
                          Batch{true, true, true, "BDAT, batch of 10, PIPELINING, submitted ahead, 8 in flight", 8},
                          Batch{true, true, true, "BDAT, batch of 10, PIPELINING, submitted ahead"},
                          Batch{true, false, true, "BDAT, batch of 10, PIPELINING, one at a time"},
                          Batch{false, false, true, "BDAT, batch of 10, no PIPELINING"}}) {
        const double s = run_session(10, small, 1, b.in_flight > 1 ? 16384 : 4096, b.pipelining, b.ahead, b.chunking,
                                     b.in_flight);
        if (s < 0) return std::printf("batch session failed\n"), 1;
        std::printf("client flights per message, %s: %.1f\n", b.name, double(g_flights - 2) / 10.0);
    }

    // A 1 MiB message with BDAT and PIPELINING: whether its chunks wait for
    // each other's replies (1 flight: they do not; 32 KiB chunks).
    const std::string mib = make_body(1u << 20);
    for (const bool pipelining : {true, false}) {
        const double s = run_session(1, mib, 1, 64 * 1024, pipelining, false, true);
        if (s < 0) return std::printf("1 MiB BDAT session failed\n"), 1;
        std::printf("client flights, one 1 MiB message, BDAT, %s, 64 KiB storage: %zu\n",
                    pipelining ? "PIPELINING" : "no PIPELINING", g_flights - 2);
    }

    // 2. 50 recipients: envelope work.
    const std::size_t m2 = messages / 10 + 1;
    const double s2 = run_session(m2, small, 50, 4096);
    if (s2 < 0) return std::printf("50-recipient session failed\n"), 1;
    std::printf("engine, %zu messages of 1 KiB, 50 recipients: %.2f us per message\n", m2, s2 / double(m2) * 1e6);

    // 3. Large body: DATA transparency through the whole engine, against
    //    memcpy of the same 64 MiB (both stream from memory).
    const std::string big = make_body(64u << 20);
    const std::vector<char> whole(big.begin(), big.end());
    const double mc = memcpy_seconds(whole, whole.size());
    const double gbs_memcpy = double(big.size()) / mc / 1e9;
    std::printf("memcpy of the same 64 MiB: %.2f GB/s\n", gbs_memcpy);
    for (const std::size_t storage : {std::size_t(1024), std::size_t(16 * 1024), std::size_t(256 * 1024)}) {
        const double s3 = run_session(1, big, 1, storage);
        if (s3 < 0) return std::printf("large-body session failed\n"), 1;
        std::printf("engine body path (window fill + dot-stuffing + send), %6zu B of storage: %.2f GB/s (%.0f%% of memcpy)\n",
                    storage, double(big.size()) / s3 / 1e9, 100.0 * mc / s3);
    }

    // 4. The dot-stuffer alone.
    std::vector<char> out(detail::DotStuffer::max_output(big.size()));
    detail::DotStuffer stuffer;
    const auto t0 = Clock::now();
    const std::size_t w = stuffer.stuff(big.data(), big.size(), out.data());
    const double s4 = seconds_since(t0);
    g_sink = out[w / 2];
    std::printf("dot-stuffer alone, 64 MiB of text: %.2f GB/s (%.0f%% of memcpy)\n", double(big.size()) / s4 / 1e9,
                100.0 * mc / s4);
    return 0;
}
