// A superloop firmware (no OS, no heap, no sockets) that mails its
// diagnostics to support. First it resolves its relay's name with smtpcore's
// builtin resolver, the DNS messages going through UART1 (dns_link.cpp);
// then it has the link on UART0 dial the address found, modem-style
// ("CONNECT 192.0.2.1 587", answered "CONNECTED"), and speaks SMTP over it:
// the MIME writer composes the message as the engine asks for body bytes,
// the engine sends it with AUTH PLAIN, the bytes polled one at a time. Built
// for the Cortex-M4 of QEMU's mps2-an386 board (board/), whose UARTs QEMU
// bridges to TCP sockets; on a device they would reach a modem or a gateway.
//
// The whole state is static: the resolver, the session (StaticClient<1024>),
// the writer, the message description. The firmware ends by reporting
// through semihosting (exit 0 when the server accepted the message).
#include "board/semihosting.hpp"
#include "board/uart.hpp"
#include "diagnostics_mail.hpp"
#include "dns_link.hpp"
#include "smtpcore/client.hpp"
#include "smtpcore/mime/writer.hpp"

using namespace smtpcore;

namespace {

// This device's serial number, also the seed of its Message-ID and boundaries.
constexpr std::uint8_t kSerial[8] = {0x44, 0x45, 0x56, 0x37, 0x00, 0x00, 0x00, 0x07};

// The relay, by name: the device finds its address at every start.
constexpr std::string_view kRelay = "relay.example.test";

board::Uart g_uart(board::kUart0);      // SMTP, through the dialling link
board::Uart g_dns_link(board::kUart1);  // DNS, through the resolver's bridge
board::MillisecondClock g_clock;
superloop::DiagnosticsMail g_mail;
mime::MessageWriter g_writer;

Config device_config() {
    Config c;
    c.client_name = "device7.example.com";
    // The UART link here ends at a loopback test server; a device on a real
    // network would keep TlsMode::StartTlsRequired and run mbedTLS between
    // the engine and the UART (docs/platforms.md).
    c.tls = TlsMode::None;
    c.allow_plaintext_auth = true;
    c.username = "device7";
    c.password = "s3cret";
    c.auth = AuthChoice::Plain;
    return c;
}

StaticClient<1024> g_smtp(device_config());

// Moves what the engine wants to send into the UART, as far as it takes it.
void pump_out() {
    const Bytes out = g_smtp.send_buf();
    std::size_t n = 0;
    while (n < out.size() && g_uart.try_send(static_cast<std::uint8_t>(out.data()[n]))) ++n;
    if (n != 0) g_smtp.send_ack(n);
}

// Moves what the UART received into the engine.
void pump_in() {
    const MutableBytes in = g_smtp.recv_buf();
    std::size_t n = 0;
    std::uint8_t byte = 0;
    while (n < in.size() && g_uart.try_receive(byte)) in.data()[n++] = static_cast<char>(byte);
    if (n != 0) g_smtp.recv_ack(n);
}

void send_text(std::string_view text) {
    for (char c : text)
        while (!g_uart.try_send(static_cast<std::uint8_t>(c))) {
        }
}

// "CONNECT a.b.c.d 587\r\n" on the link; true when it answers "CONNECTED\r\n".
bool dial(const std::uint8_t address[4]) {
    char line[32] = "CONNECT ";
    std::size_t n = 8;
    for (int i = 0; i < 4; ++i) {
        const unsigned v = address[i];
        if (v >= 100) line[n++] = static_cast<char>('0' + v / 100);
        if (v >= 10) line[n++] = static_cast<char>('0' + v / 10 % 10);
        line[n++] = static_cast<char>('0' + v % 10);
        line[n++] = i < 3 ? '.' : ' ';
    }
    send_text(std::string_view(line, n));
    send_text("587\r\n");  // the submission port (RFC 6409)
    char reply[16];
    std::size_t got = 0;
    std::uint8_t byte = 0;
    while (got < sizeof reply) {
        if (!g_uart.try_receive(byte)) continue;
        reply[got++] = static_cast<char>(byte);
        if (byte == '\n') break;
    }
    return std::string_view(reply, got) == "CONNECTED\r\n";
}

}  // namespace

int main() {
    g_uart.init();
    g_dns_link.init();
    g_clock.init();
    std::uint8_t relay[4];
    if (!superloop::resolve_ipv4(g_dns_link, g_clock, kRelay, relay)) {
        board::host_print("superloop: the relay's name did not resolve\n");
        return 1;
    }
    if (!dial(relay)) {
        board::host_print("superloop: the link could not reach the relay\n");
        return 1;
    }
    superloop::compose(g_mail, kSerial);
    if (g_writer.start(g_mail.message)) {
        board::host_print("superloop: the message description was refused\n");
        return 1;
    }
    const std::string_view recipients[] = {superloop::kSupport};
    Envelope envelope;
    envelope.from = superloop::kDevice;
    envelope.recipients = Span<const std::string_view>(recipients, 1);

    bool submitted = false, accepted = false;
    while (g_smtp.ok() && g_smtp.state() != SessionState::Closed) {
        g_smtp.handle_timeout(g_clock.tick());
        for (Event e = g_smtp.next_event(); e.type != EventType::None; e = g_smtp.next_event()) {
            if (e.type == EventType::Ready) {
                if (submitted) g_smtp.quit();
                else if (g_smtp.submit(envelope)) g_smtp.quit();  // refused locally: nothing to send
                submitted = true;
            }
            if (e.type == EventType::MessageAccepted) accepted = true;
        }
        if (g_smtp.state() == SessionState::Body) {  // after 354: the writer fills the engine's window
            const ReadResult r = g_writer.read(g_smtp.body_buf());
            if (r.status == ReadStatus::Failed) g_smtp.body_fail();
            else {
                g_smtp.body_ack(r.size);
                if (r.status == ReadStatus::End) g_smtp.body_end();
            }
        }
        pump_out();
        pump_in();
    }
    board::host_print(accepted ? "superloop: support accepted the diagnostics\n"
                               : "superloop: the diagnostics were not accepted\n");
    return accepted ? 0 : 1;
}
