// Cortex-M footprint probe: a bare-metal program that uses every engine entry
// point (so the linker keeps all of it) with the smallest valid storage.
// Built by scripts/footprint; never run. The figures go to docs/footprint.md.
#include "smtpcore/client.hpp"

using namespace smtpcore;

namespace {

constexpr std::uint16_t kReplyText = 16;  // the smallest Client accepts
constexpr std::uint16_t kRecvWindow = 8;   // the smallest Client accepts
constexpr std::uint8_t kInFlight = 2;      // outstanding commands: MAIL and RCPT pipelined

constexpr Config make_config() {
    Config c;
    c.client_name = "device.example";
    c.tls = TlsMode::StartTlsRequired;
    c.username = "device";
    c.password = "secret";
    c.reply_text_capacity = kReplyText;
    c.recv_capacity = kRecvWindow;
    c.limits.commands_in_flight = kInFlight;
    return c;
}

// The minimal configuration: 16 bytes of reply text kept for events (longer
// texts are cut) and an 8-byte receive window (replies stream through it),
// plus the 512-byte command line RFC 5321 requires and a queue of two
// outstanding commands (4 bytes each).
constexpr std::size_t kStorage =
    kReplyText + kRecvWindow + Client::kMinSendCapacity + kInFlight * Client::kCommandRecord;

// constexpr, as a firmware declares its fixed configuration: it sits in
// flash, with no start-up code to build it, and the engine's checks of it fold.
constexpr Config g_config = make_config();
#ifdef PROBE_AUTH_OPTIONS
// The price of the mechanisms left compiled in (scripts/footprint builds this
// with all but one of SMTPCORE_NO_SCRAM / _NO_OAUTH / _NO_CRAM_MD5).
volatile char g_entropy[32];
char g_random[16];
AuthOptions make_auth() {
    AuthOptions a;
    for (unsigned i = 0; i < sizeof g_random; ++i) g_random[i] = g_entropy[i];
    a.random = Bytes(g_random, sizeof g_random);
    a.oauth_token = "token";
    return a;
}
StaticClient<kStorage + Client::kAuthStorage + 7> g_client(g_config, make_auth());
#else
StaticClient<kStorage> g_client(g_config);
#endif

// Stand-ins for the board's network stack, opaque to the optimizer.
volatile char g_rx[64];
volatile unsigned g_rx_len;
volatile unsigned g_tx_sent;
volatile unsigned long g_ms;
volatile int g_sink;

const std::string_view g_rcpt[] = {"support@example.com"};
#ifndef SMTPCORE_NO_DSN
// DSN (RFC 3461) in use, so the default build's figure includes its price.
const std::string_view g_orcpt[] = {"support@example.com"};
DsnRequest make_dsn() {
    DsnRequest d;
    d.ret = DsnReturn::Headers;
    d.envid = "device-0001";
    d.notify = dsn_notify::Failure | dsn_notify::Delay;
    d.orcpt = Span<const std::string_view>(g_orcpt, 1);
    return d;
}
const DsnRequest g_dsn = make_dsn();
#endif

}  // namespace

int main() {
    Envelope env;
    env.from = "device@example.com";
    env.recipients = Span<const std::string_view>(g_rcpt, 1);
#ifndef SMTPCORE_NO_DSN
    env.dsn = &g_dsn;
#endif
#ifndef SMTPCORE_NO_REQUIRETLS
    env.require_tls = g_rx_len > 1000;  // opaque: kept, priced
#endif
    for (;;) {
        g_client.handle_timeout(g_ms);
        MutableBytes in = g_client.recv_buf();
        unsigned n = g_rx_len < in.size() ? g_rx_len : static_cast<unsigned>(in.size());
        for (unsigned i = 0; i < n; ++i) in[i] = g_rx[i];
        g_client.recv_ack(n);
        for (Event e = g_client.next_event(); e.type != EventType::None; e = g_client.next_event()) {
            switch (e.type) {
#ifdef PROBE_AUTH_OPTIONS
            case EventType::StartTls: g_client.tls_established(Bytes(g_random, 16)); break;
#else
            case EventType::StartTls: g_client.tls_established(); break;
#endif
            case EventType::Ready: g_client.submit(env); break;
            case EventType::BodyWanted: {
                MutableBytes b = g_client.body_buf();
                if (b.size() > 2) {
                    b[0] = 'h';
                    b[1] = '\n';
                    g_client.body_ack(2);
                }
                g_client.body_end();
                break;
            }
            case EventType::MessageAccepted: g_client.quit(); break;
            case EventType::Error: g_sink = static_cast<int>(e.error.kind); break;
            default: g_sink = e.code; break;
            }
        }
        Bytes out = g_client.send_buf();
        g_client.send_ack(out.size() < g_tx_sent ? out.size() : g_tx_sent);
        if (g_sink == 99) {
#ifndef SMTPCORE_NO_CANCEL
            g_client.cancel();
#endif
            g_client.body_fail();
            g_client.abort();
            g_client.connection_closed();
        }
        g_sink = static_cast<int>(g_client.deadline());
    }
}
