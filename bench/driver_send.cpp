// bench/driver_send: smtpcore's lean path for the peer benchmark: one
// connection, the Driver and a message prepared once in memory (headers and
// body, CRLF lines), sent COUNT times over one session (PIPELINING when the
// server offers it). Plaintext: for a loopback sink only.
//
//   driver_send HOST:PORT COUNT BODY_OCTETS     prints "accepted N"
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <smtpcore/adapters/blocking.hpp>

using namespace smtpcore;
using namespace smtpcore::adapters;

namespace {

// Headers and a text body of about `octets` (76-character lines), the same
// shape as the other peers' messages.
std::string prepared_message(std::size_t octets) {
    std::string m = "From: bench@example.org\r\nTo: sink@example.org\r\nSubject: benchmark\r\n\r\n";
    const std::string line(74, 'x');
    while (m.size() + 76 <= octets + 70) m += line + "\r\n";
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: driver_send HOST:PORT COUNT BODY_OCTETS\n");
        return 64;
    }
    const unsigned long count = std::strtoul(argv[2], nullptr, 10);
    const std::string message = prepared_message(std::strtoul(argv[3], nullptr, 10));
    SendOptions options;
    options.tls = TlsMode::None;
    Config config = make_config(options);
    static char storage[64 * 1024];  // the engine's whole memory (most of it the body window)
    Client client(config, MutableBytes(storage, sizeof storage));

    const std::string_view to[] = {"sink@example.org"};
    BufferSource body(as_bytes(message));
    unsigned long submitted = 0;
    unsigned long accepted = 0;
    DriverHooks hooks;
    hooks.next_message = [&](const Client&, Outgoing& next) {
        if (submitted == count) return false;
        ++submitted;
        body = BufferSource(as_bytes(message));  // rewind: the bytes stay where they are
        next.envelope.from = "bench@example.org";
        next.envelope.recipients = Span<const std::string_view>(to);
        next.envelope.size_hint = message.size();
        next.body = body.source();
        return true;
    };
    hooks.on_event = [&](const Event& e) {
        if (e.type == EventType::MessageAccepted) ++accepted;
    };
    Connection c = open_connection(argv[1], options);
    Driver driver(client, std::move(c.transport), std::move(c.tls), std::move(hooks));
    run_blocking(driver);
    std::printf("accepted %lu\n", accepted);
    return accepted == count ? 0 : 1;
}
