// Cortex-M footprint probe for the SASL mechanisms (lib/core/sasl_*) and the
// crypto under them (lib/codec: SHA-256, HMAC, PBKDF2, MD5). Built by
// scripts/footprint in three variants; never run. Figures: docs/footprint.md.
//   -DPROBE_CRYPTO_ONLY   PBKDF2-HMAC-SHA-256 alone (SHA-256 + HMAC + PBKDF2)
//   -DPROBE_SCRAM_ONLY    SCRAM-SHA-256(-PLUS) and what it needs
//   (neither)             every mechanism: SCRAM, XOAUTH2, OAUTHBEARER, CRAM-MD5
#include "sasl_cram_md5.hpp"
#include "sasl_oauth.hpp"
#include "sasl_scram.hpp"
#include "smtpcore/codec/pbkdf2.hpp"

using namespace smtpcore;

namespace {

// Stand-ins for what the engine would pass, opaque to the optimizer.
volatile char g_in[128];
volatile unsigned g_len;
volatile int g_sink;
char g_text[128];
#ifndef PROBE_CRYPTO_ONLY
char g_out[256];
#endif

std::string_view input() {
    const unsigned n = g_len < sizeof g_text ? g_len : sizeof g_text;
    for (unsigned i = 0; i < n; ++i) g_text[i] = g_in[i];
    return std::string_view(g_text, n);
}

}  // namespace

int main() {
    for (;;) {
#ifdef PROBE_CRYPTO_ONLY
        std::uint8_t key[32];
        const std::string_view pw = input();
        codec::pbkdf2_hmac_sha256(pw.data(), pw.size(), "salt", 4, g_len, key, sizeof key);
        g_sink = key[0];
#else
        detail::ScramParams p;
        p.username = input();
        p.password = "secret";
        p.random = Bytes(g_text, 16);
        p.binding = static_cast<detail::ChannelBinding>(g_len % 3);
        p.binding_data = Bytes(g_text, 32);
        detail::ScramSha256 scram;
        detail::SaslOutput first(g_out, sizeof g_out);
        g_sink = scram.start(p, first) != nullptr;
        detail::SaslOutput fin(g_out, sizeof g_out);
        g_sink = scram.answer_server_first(input(), fin) != nullptr;
        g_sink = scram.verify_server_final(input()) != nullptr;
#ifndef PROBE_SCRAM_ONLY
        detail::SaslOutput o(g_out, sizeof g_out);
        g_sink = detail::write_xoauth2_response(o, input(), input()) != nullptr;
        g_sink = detail::write_oauthbearer_response(o, input(), input(), 587, input()) != nullptr;
        g_sink = static_cast<int>(detail::oauth_error_status(input()).size());
        g_sink = static_cast<int>(detail::oauth_error_ack(detail::OAuthMechanism::OAuthBearer).size());
        g_sink = detail::write_cram_md5_response(o, input(), "secret", input()) != nullptr;
#endif
        g_sink = static_cast<int>(fin.finish());
#endif
    }
}
