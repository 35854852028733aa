// Cortex-M footprint probe for the DNS resolver: a bare-metal program that uses
// every Resolver and MxList entry point (so the linker keeps all of it) with
// the smallest valid storage. Built by scripts/footprint; never run. The
// figures go to docs/footprint.md and docs/dns.md.
#include "smtpcore/dns/mx.hpp"
#include "smtpcore/dns/resolver.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;

namespace {

const Endpoint g_servers[] = {ipv4(192, 0, 2, 53)};

ResolverConfig make_config() {
    ResolverConfig c;
    c.servers = Span<const Endpoint>(g_servers, 1);
    c.randomize_case = true;
    return c;
}

const ResolverConfig g_config = make_config();
// A classic 512-octet receive buffer (TCP-framed), the query, one name as text.
StaticResolver<Resolver::min_storage()> g_resolver(g_config);
}  // namespace
// Its size is the Resolver object alone: scripts/footprint reads it with nm.
extern "C" {
volatile char g_resolver_object[sizeof(Resolver)];
}
namespace {
MxHost g_hosts[2];

// Stand-ins for the board's network stack and RNG, opaque to the optimizer.
volatile char g_rx[64];
volatile unsigned g_rx_len;
volatile unsigned long g_ms;
volatile int g_sink;

}  // namespace

int main() {
    MxList mx{Span<MxHost>(g_hosts)};
    g_resolver.start("example.com", RrType::MX);
    for (;;) {
        g_resolver.handle_timeout(g_ms);
        if (g_resolver.want_random()) {
            MutableBytes r = g_resolver.random_buf();
            for (std::size_t i = 0; i < r.size(); ++i) r[i] = g_rx[i % 64];
            g_resolver.random_ack(r.size());
        }
        for (DnsEvent e = g_resolver.next_event(); e.type != DnsEventType::None; e = g_resolver.next_event()) {
            switch (e.type) {
            case DnsEventType::OpenStream: g_resolver.stream_connected(); break;
            case DnsEventType::Mx: mx.add(e.preference, e.name); break;
            case DnsEventType::Done: g_sink = static_cast<int>(mx.finish(e.outcome, "example.com", Bytes())); break;
            default: g_sink = e.server; break;
            }
        }
        Bytes out = g_resolver.send_buf();
        g_resolver.send_ack(out.size());
        MutableBytes in = g_resolver.recv_buf();
        unsigned n = g_rx_len < in.size() ? g_rx_len : static_cast<unsigned>(in.size());
        for (unsigned i = 0; i < n; ++i) in[i] = g_rx[i];
        if (g_sink == 7) g_resolver.recv_ack(n);
        else g_resolver.datagram_received(g_servers[0], n);
        if (g_sink == 99) {
            g_resolver.connection_closed();
            g_resolver.cancel();
        }
        g_sink = static_cast<int>(g_resolver.deadline()) + g_resolver_object[g_rx_len % sizeof(Resolver)];
    }
}
