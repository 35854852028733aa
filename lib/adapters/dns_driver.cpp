// The builtin resolver's host loop: datagrams, TCP, waiting, the clock and
// random octets, over the socket layer of the system (dns_sockets.hpp:
// POSIX or Winsock). No DNS logic lives here (lib/dns has it).
#include "smtpcore/adapters/dns_driver.hpp"

#include <algorithm>
#include <memory>

#include "dns_sockets.hpp"
#include "smtpcore/adapters/transport.hpp"

namespace smtpcore::adapters {
namespace {

using dns_sockets::Handle;
using dns_sockets::kClosed;

// One resolver's sockets.
struct Slot {
    dns::Resolver* r = nullptr;
    Handle udp = kClosed;
    Handle tcp = kClosed;
    bool connecting = false;
    bool done = false;
    ~Slot() {
        dns_sockets::close(udp);
        dns_sockets::close(tcp);
    }
};

void open_stream(Slot& s, const dns::Endpoint& server) {
    dns_sockets::close(s.tcp);
    s.tcp = dns_sockets::open(server, true);
    switch (dns_sockets::connect_start(s.tcp, server)) {
    case dns_sockets::Connect::Done: s.r->stream_connected(); break;
    case dns_sockets::Connect::Pending: s.connecting = true; break;
    case dns_sockets::Connect::Failed:
        dns_sockets::close(s.tcp);
        s.r->connection_closed();
        break;
    }
}

void handle_events(std::size_t index, Slot& s, const dns::ResolverConfig& config,
                   const std::function<void(std::size_t, const dns::DnsEvent&)>& on_event) {
    for (dns::DnsEvent ev = s.r->next_event(); ev.type != dns::DnsEventType::None; ev = s.r->next_event()) {
        switch (ev.type) {
        case dns::DnsEventType::SendDatagram: {
            // A new socket per query: a new random source port (RFC 5452 §9.2),
            // and late answers to the last query cannot reach this one.
            dns_sockets::close(s.udp);
            const dns::Endpoint& server = config.servers[ev.server];
            s.udp = dns_sockets::open(server, false);
            // A datagram that cannot be sent is a try that gets no answer:
            // the resolver's timeout moves on.
            const Bytes q = s.r->send_buf();
            if (dns_sockets::send_to(s.udp, server, q)) s.r->send_ack(q.size());
            break;
        }
        case dns::DnsEventType::OpenStream: open_stream(s, config.servers[ev.server]); break;
        case dns::DnsEventType::CloseStream:
            dns_sockets::close(s.tcp);
            s.connecting = false;
            break;
        case dns::DnsEventType::Done:
            s.done = true;
            dns_sockets::close(s.udp);
            dns_sockets::close(s.tcp);
            on_event(index, ev);
            return;
        default: on_event(index, ev); break;
        }
    }
}

void read_udp(Slot& s) {
    MutableBytes w = s.r->recv_buf();
    char scratch[512];
    const bool expected = !w.empty();
    if (!expected) w = MutableBytes(scratch, sizeof scratch);  // not expected now: drained and dropped
    dns::Endpoint from;
    const long n = dns_sockets::receive_from(s.udp, w, from);
    if (n < 0 || !expected) return;
    s.r->datagram_received(from, static_cast<std::size_t>(n));
}

void fail_stream(Slot& s) {
    dns_sockets::close(s.tcp);
    s.r->connection_closed();
}

// `woke`: the socket was reported ready (readable, writable or failed).
void service_tcp(Slot& s, bool woke) {
    if (s.connecting) {
        if (!woke) return;
        s.connecting = false;
        if (!dns_sockets::connect_succeeded(s.tcp)) return fail_stream(s);
        s.r->stream_connected();
    }
    const Bytes out = s.r->send_buf();
    if (!out.empty()) {
        const long n = dns_sockets::stream_send(s.tcp, out);
        if (n < 0) return fail_stream(s);
        if (n > 0) s.r->send_ack(static_cast<std::size_t>(n));
    }
    if (woke) {
        MutableBytes w = s.r->recv_buf();
        if (w.empty()) return;
        const long n = dns_sockets::stream_receive(s.tcp, w);
        if (n < 0) return fail_stream(s);
        if (n > 0) s.r->recv_ack(static_cast<std::size_t>(n));
    }
}

}  // namespace

void run_resolvers(const std::vector<dns::Resolver*>& resolvers,
                   const std::function<void(std::size_t, const dns::DnsEvent&)>& on_event,
                   const std::function<Millis(Millis)>& on_wake) {
    std::vector<std::unique_ptr<Slot>> slots;
    for (dns::Resolver* r : resolvers) {
        slots.push_back(std::make_unique<Slot>());
        slots.back()->r = r;
    }
    // Time, random octets and events for every resolver still running.
    auto service = [&](Millis now) {
        for (std::size_t i = 0; i < slots.size(); ++i) {
            Slot& s = *slots[i];
            if (s.done) continue;
            s.r->handle_timeout(now);
            if (s.r->want_random()) {
                const MutableBytes w = s.r->random_buf();
                fill_random(w);
                s.r->random_ack(w.size());
            }
            handle_events(i, s, s.r->config(), on_event);
            if (!s.done && s.tcp != kClosed && !s.connecting) service_tcp(s, false);  // write what is pending
        }
    };
    for (;;) {
        const Millis now = monotonic_ms();
        service(now);
        Millis wake = kNever;
        if (on_wake) {
            // After the events, so it sees them; what it cancels is serviced at once.
            wake = on_wake(now);
            service(now);
        }
        std::vector<dns_sockets::Watch> watches;
        std::vector<std::size_t> owner;
        bool all_done = true;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            Slot& s = *slots[i];
            if (s.done) continue;
            all_done = false;
            wake = std::min(wake, s.r->deadline());
            if (s.udp != kClosed && !s.r->over_tcp()) {
                watches.push_back({s.udp, true, false});
                owner.push_back(i);
            }
            if (s.tcp != kClosed) {
                watches.push_back({s.tcp, !s.connecting, s.connecting || s.r->want_write()});
                owner.push_back(i);
            }
        }
        if (all_done) return;
        const int timeout = wake == kNever ? 1000 : wake <= now ? 0 : static_cast<int>(std::min<Millis>(wake - now, 60000));
        dns_sockets::wait(watches, timeout);
        for (std::size_t k = 0; k < watches.size(); ++k) {
            if (!watches[k].ready) continue;
            Slot& s = *slots[owner[k]];
            if (watches[k].handle == s.udp) read_udp(s);
            else if (watches[k].handle == s.tcp) service_tcp(s, true);
        }
    }
}

}  // namespace smtpcore::adapters
