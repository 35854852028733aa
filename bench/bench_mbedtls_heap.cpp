// The heap an mbedTLS client handshake needs: every calloc/free mbedTLS makes
// is counted (the program links mbedTLS statically with --wrap=calloc,free,
// so nothing else is counted), against an in-memory OpenSSL server with an
// EC P-256 certificate from a CA made at run time. Prints the peak during
// construction (the CA file parsed), the handshake, and the steady state of
// an open session: the figure a device's MBEDTLS_MEMORY_BUFFER_ALLOC_C buffer
// must hold (docs/platforms.md "mbedTLS").
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "smtpcore/adapters/tls.hpp"
#include "tls_peer.hpp"

#include <mbedtls/version.h>
#define MBEDTLS_VERSION_STRING_FULL_TEXT MBEDTLS_VERSION_STRING

extern "C" {
void* __real_calloc(std::size_t n, std::size_t size);
void __real_free(void* p);

namespace {
std::size_t g_current = 0, g_peak = 0, g_blocks = 0, g_peak_blocks = 0;
constexpr std::size_t kHeader = 16;  // keeps the block's size, and 16-byte alignment
}  // namespace

void* __wrap_calloc(std::size_t n, std::size_t size) {
    if (size != 0 && n > (SIZE_MAX - kHeader) / size) return nullptr;
    const std::size_t bytes = n * size;
    auto* base = static_cast<unsigned char*>(__real_calloc(1, bytes + kHeader));
    if (base == nullptr) return nullptr;
    std::memcpy(base, &bytes, sizeof bytes);
    g_current += bytes;
    ++g_blocks;
    if (g_current > g_peak) g_peak = g_current;
    if (g_blocks > g_peak_blocks) g_peak_blocks = g_blocks;
    return base + kHeader;
}

void __wrap_free(void* p) {
    if (p == nullptr) return;
    unsigned char* base = static_cast<unsigned char*>(p) - kHeader;
    std::size_t bytes = 0;
    std::memcpy(&bytes, base, sizeof bytes);
    g_current -= bytes;
    --g_blocks;
    __real_free(base);
}
}

int main() {
    using namespace smtpcore;
    using namespace smtpcore::adapters;
    test::TestCa ca;
    const test::Leaf leaf = ca.issue("localhost", "DNS:localhost");
    test::TlsServerPeer server(leaf);
    TlsOptions options;
    options.server_name = "localhost";
    options.ca_file = ca.pem_file();
    options.ca_file_only = true;  // one CA, as on a device (not the system's ~140)
    auto client = make_mbedtls_tls(options);
    const std::size_t after_ca = g_current;
    if (!client->start() || server.handshake(*client) != HandshakeStatus::Done) {
        std::fprintf(stderr, "handshake failed: %s\n", client->error().c_str());
        return 1;
    }
    const std::size_t handshake_peak = g_peak;
    const std::string line = "EHLO device.example\r\n";
    (void)client->write(as_bytes(std::string_view(line)));
    server.pump(*client);
    server.receive();
    server.send("250 ok\r\n");
    server.pump(*client);
    char buf[64];
    (void)client->read(MutableBytes(buf, sizeof buf));
    std::printf("mbedTLS %s client, %s, one CA certificate:\n", MBEDTLS_VERSION_STRING_FULL_TEXT, client->description().c_str());
    std::printf("  after parsing the CA file:        %zu bytes\n", after_ca);
    std::printf("  peak during the handshake:        %zu bytes in at most %zu blocks\n", handshake_peak, g_peak_blocks);
    std::printf("  open session (steady state):      %zu bytes in %zu blocks\n", g_current, g_blocks);
    client.reset();
    std::printf("  after the backend is destroyed:   %zu bytes\n", g_current);
    return g_current == 0 ? 0 : 1;
}
