// DNS over the serial link: the Resolver's host loop (smtpcore/dns/resolver.hpp)
// with a UART instead of sockets. Everything is static; nothing allocates.
//
// The bridge at the other end forwards each framed query to one server and
// frames back only what comes from that server, so the link stands for that
// one server: datagrams arrive labelled with kLinkServer, and the resolver's
// other checks (ID, question, type, class; RFC 5452 §9.1) apply as on a
// network. TCP fallback is off: the link carries whole messages, and the
// 1232-octet EDNS0 size lets the server send answers of that size in one piece.
#include "dns_link.hpp"

#include "board/semihosting.hpp"
#include "smtpcore/dns/resolver.hpp"

using namespace smtpcore;

namespace superloop {
namespace {

// A label for the server behind the link (TEST-NET-1, never dialled).
const dns::Endpoint kLinkServer[] = {dns::ipv4(192, 0, 2, 53)};

dns::ResolverConfig link_config() {
    dns::ResolverConfig c;
    c.servers = Span<const dns::Endpoint>(kLinkServer, 1);
    c.timeout = 2000;
    c.attempts = 3;
    c.tcp_fallback = false;
    c.randomize_case = true;  // 0x20: more bits an off-path forger must guess
    return c;
}

dns::StaticResolver<> g_resolver(link_config());

// One framed message each way at a time.
struct Frame {
    std::uint8_t octets[2 + dns::Resolver::kSendCapacity];
    std::uint16_t length = 0;
    std::uint16_t sent = 0;
};
Frame g_out;

// The answer being read: 2 length octets, then the message into recv_buf().
struct Incoming {
    std::uint8_t prefix[2];
    std::uint8_t prefix_read = 0;
    std::uint16_t length = 0;
    std::uint16_t read = 0;
} g_in;

void queue_query() {
    const Bytes q = g_resolver.send_buf();
    g_out.octets[0] = static_cast<std::uint8_t>(q.size() >> 8);
    g_out.octets[1] = static_cast<std::uint8_t>(q.size());
    for (std::size_t i = 0; i < q.size(); ++i) g_out.octets[2 + i] = static_cast<std::uint8_t>(q.data()[i]);
    g_out.length = static_cast<std::uint16_t>(2 + q.size());
    g_out.sent = 0;
    g_resolver.send_ack(q.size());
}

void pump_out(board::Uart& link) {
    while (g_out.sent < g_out.length && link.try_send(g_out.octets[g_out.sent])) ++g_out.sent;
}

// Reads what the link has; a whole answer goes to the resolver. One that
// is not expected now, or larger than the receive buffer, is read and dropped.
void pump_in(board::Uart& link) {
    std::uint8_t byte = 0;
    while (link.try_receive(byte)) {
        if (g_in.prefix_read < 2) {
            g_in.prefix[g_in.prefix_read++] = byte;
            if (g_in.prefix_read == 2) g_in.length = static_cast<std::uint16_t>(g_in.prefix[0] << 8 | g_in.prefix[1]);
            if (g_in.prefix_read == 2 && g_in.length == 0) g_in.prefix_read = 0;  // an empty frame: nothing
            g_in.read = 0;
            continue;
        }
        const MutableBytes window = g_resolver.recv_buf();
        if (g_in.read < window.size()) window.data()[g_in.read] = static_cast<char>(byte);
        if (++g_in.read < g_in.length) continue;
        g_in.prefix_read = 0;
        if (g_in.length <= window.size()) g_resolver.datagram_received(kLinkServer[0], g_in.length);
        return;  // let the resolver look at it before more arrives
    }
}

}  // namespace

bool resolve_ipv4(board::Uart& link, board::MillisecondClock& clock, std::string_view host, std::uint8_t out[4]) {
    if (g_resolver.start(host, dns::RrType::A)) return false;
    bool found = false;
    for (;;) {
        g_resolver.handle_timeout(clock.tick());
        if (g_resolver.want_random()) {
            const MutableBytes pool = g_resolver.random_buf();
            if (!board::host_random(pool.data(), pool.size())) return false;
            g_resolver.random_ack(pool.size());
        }
        for (dns::DnsEvent e = g_resolver.next_event(); e.type != dns::DnsEventType::None;
             e = g_resolver.next_event()) {
            if (e.type == dns::DnsEventType::SendDatagram) queue_query();
            if (e.type == dns::DnsEventType::Address && !found) {
                for (int i = 0; i < 4; ++i) out[i] = e.address[i];
                found = true;
            }
            if (e.type == dns::DnsEventType::Done) return found && e.outcome == dns::Outcome::Answer;
        }
        pump_out(link);
        pump_in(link);
    }
}

}  // namespace superloop
