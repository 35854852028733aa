// AUTH with XOAUTH2, OAUTHBEARER, SCRAM-SHA-256(-PLUS) and CRAM-MD5 as whole
// S:/C: dialogues: the automatic choice, the forced ones, the downgrade
// refusal, the OAuth error flow, mutual authentication and the bounds.
//
// SCRAM runs PBKDF2 (4096 iterations) per run, so these dialogues are
// replayed with a few input and acknowledgement splits, not every split.
// Expected SCRAM values: the RFC 7677 §3 example, and for -PLUS and "y" a
// separate Python implementation over hashlib (the same that reproduces
// RFC 7677 exactly).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::parse_transcript;
using smtpcore::test::run_transcript;
using smtpcore::test::RunOptions;

namespace {

// RFC 7677 §3: the client nonce "rOprNGfwEbeRWgbNEkqO" is the base64 of these 15 octets.
const std::string kRfcRandom("\xac\xea\x6b\x34\x67\xf0\x11\xb7\x91\x5a\x06\xcd\x12\x4a\x8e", 15);
const std::string kBinding = [] {
    std::string b;
    for (int i = 0; i < 32; ++i) b += static_cast<char>(i);
    return b;
}();

Config scram_config() {
    Config c = smtpcore::test::credentials_config(TlsMode::StartTlsRequired);
    c.password = "pencil";
    return c;
}

AuthOptions scram_options() {
    AuthOptions a;
    a.random = as_bytes(kRfcRandom);
    return a;
}

AuthOptions token_options() {
    AuthOptions a;
    a.oauth_token = "ya29.token";
    return a;
}

// Greeting, EHLO, STARTTLS, TLS, EHLO again with `mechanisms`.
std::string opening(const std::string& mechanisms) {
    return "S: 220 mx ESMTP\n"
           "E: greeting 220\n"
           "C: EHLO client.example\n"
           "S: 250-mx\n"
           "S: 250 STARTTLS\n"
           "C: STARTTLS\n"
           "S: 220 go ahead\n"
           "E: start-tls 220\n"
           "A: tls\n"
           "C: EHLO client.example\n"
           "S: 250-mx\n"
           "S: 250 AUTH " + mechanisms + "\n";
}

std::vector<std::string> trimmed(const std::vector<std::string>& log) {
    std::vector<std::string> out;
    for (std::string l : log) {
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out.push_back(l);
    }
    return out;
}

// Plays the dialogue whole, byte by byte, and in 7-byte pieces with the output
// acknowledged 5 bytes at a time; every run must match it and allocate nothing.
void check_dialogue(const Config& config, const AuthOptions& auth, const std::string& transcript,
                    const std::string& binding = kBinding) {
    const std::vector<std::string> expected = trimmed(parse_transcript(transcript));
    for (const auto& chunks : std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}, {1, 0}, {7, 5}}) {
        RunOptions o;
        o.auth = &auth;
        o.channel_binding = binding;
        o.input_chunk = chunks.first;
        o.ack_chunk = chunks.second;
        o.storage = 2048;
        const auto r = run_transcript(config, transcript, o);
        INFO("input_chunk " << o.input_chunk << " ack_chunk " << o.ack_chunk);
        const std::vector<std::string> actual = trimmed(r.log);
        std::size_t i = 0;
        while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
        INFO("first difference at line " << i + 1 << ": got '" << (i < actual.size() ? actual[i] : "(end)")
                                         << "' expected '" << (i < expected.size() ? expected[i] : "(end)") << "'");
        CHECK(actual == expected);
        CHECK(r.engine_allocations == 0);
    }
}

const std::string kRfcScramExchange =
    "C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\n"
    "S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\n"
    "C: Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==\n";

}  // namespace

TEST_CASE("SCRAM-SHA-256 chosen automatically over PLAIN: the RFC 7677 exchange, server verified") {
    // No binding given: gs2 flag "n" (RFC 5802 §6).
    check_dialogue(scram_config(), scram_options(),
                   opening("PLAIN LOGIN SCRAM-SHA-256") + kRfcScramExchange +
                       "S: 334 dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\n"
                       "C:\n"
                       "S: 235 2.7.0 Authentication successful\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n",
                   "");
}

TEST_CASE("SCRAM: a wrong server signature is fatal (mutual authentication)") {
    check_dialogue(scram_config(), scram_options(),
                   opening("SCRAM-SHA-256") + kRfcScramExchange +
                       "S: 334 dj1BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBPQ==\n"
                       "E: error 334 [auth-failed] \"v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"\n",
                   "");
}

TEST_CASE("SCRAM: 235 before the server signature is a violation, not a success") {
    check_dialogue(scram_config(), scram_options(),
                   opening("SCRAM-SHA-256") + kRfcScramExchange +
                       "S: 235 2.7.0 Authentication successful\n"
                       "E: error 235 2.7.0 [peer-violation] \"Authentication successful\"\n",
                   "");
}

TEST_CASE("SCRAM: e= from the server, and an iteration count over the bound, cancel the exchange") {
    check_dialogue(scram_config(), scram_options(),
                   opening("SCRAM-SHA-256") + kRfcScramExchange +
                       "S: 334 ZT1pbnZhbGlkLXByb29m\n"
                       "C: *\n"
                       "S: 501 5.7.0 cancelled\n"
                       "E: error 501 5.7.0 [auth-failed] \"cancelled\"\n"
                       "C: QUIT\n",
                   "");
    AuthOptions low = scram_options();
    low.scram_max_iterations = 50000;  // the server asks for 100000
    check_dialogue(scram_config(), low,
                   opening("SCRAM-SHA-256") +
                       "C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\n"
                       "S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxT3NydixzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTEwMDAwMA==\n"
                       "C: *\n"
                       "S: 501 5.7.0 cancelled\n"
                       "E: error 501 5.7.0 [auth-failed] \"cancelled\"\n"
                       "C: QUIT\n",
                   "");
}

TEST_CASE("SCRAM-SHA-256-PLUS with the tls-exporter binding is preferred when TLS exports it") {
    check_dialogue(scram_config(), scram_options(),
                   opening("PLAIN SCRAM-SHA-256 SCRAM-SHA-256-PLUS") +
                       "C: AUTH SCRAM-SHA-256-PLUS cD10bHMtZXhwb3J0ZXIsLG49dXNlcixyPXJPcHJOR2Z3RWJlUldnYk5Fa3FP\n"
                       "S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxT3Nydm5vbmNlLHM9VzIyWmFKMFNOWTdzb0VzVUVqYjZnUT09LGk9NDA5Ng==\n"
                       "C: Yz1jRDEwYkhNdFpYaHdiM0owWlhJc0xBQUJBZ01FQlFZSENBa0tDd3dORGc4UUVSSVRGQlVXRnhnWkdoc2NIUjRmLHI9ck9wck5HZndFYmVSV2diTkVrcU9zcnZub25jZSxwPVNIUjU3SWt6dUpMNStxU0VNVXZ6dEMwenVHT0VPL2hNdURWdlYrdnRqaXc9\n"
                       "S: 334 dj1lUFZEL09Sa21sZ1hXWkVaVWJ1WThSanZ3K1U2VnJJT3ZPY01WeVpJZjlVPQ==\n"
                       "C:\n"
                       "S: 235 2.7.0 ok\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
}

TEST_CASE("SCRAM: binding available but -PLUS not offered sends the 'y' flag") {
    check_dialogue(scram_config(), scram_options(),
                   opening("SCRAM-SHA-256") +
                       "C: AUTH SCRAM-SHA-256 eSwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\n"
                       "S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxT3Nydm5vbmNlLHM9VzIyWmFKMFNOWTdzb0VzVUVqYjZnUT09LGk9NDA5Ng==\n"
                       "C: Yz1lU3dzLHI9ck9wck5HZndFYmVSV2diTkVrcU9zcnZub25jZSxwPVFZOVpKaTVOWEIxSXNsWG1XVWdHMHpwbUNJUGRrT25CNmRnRmZGZWVCOXM9\n"
                       "S: 334 dj02c0E5VnJRemlHSDNpbnBha2s2aVhlNzlGZmw2aDFVS1NtSzFjSlBNa2s4PQ==\n"
                       "C:\n"
                       "S: 235 2.7.0 ok\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
}

TEST_CASE("SCRAM-SHA-256 forced while the server offers -PLUS and TLS can bind: refused as a downgrade") {
    Config c = scram_config();
    c.auth = AuthChoice::ScramSha256;
    check_dialogue(c, scram_options(),
                   opening("SCRAM-SHA-256 SCRAM-SHA-256-PLUS") +
                       "E: error [auth-unavailable] \"SCRAM-SHA-256 without channel binding refused: the server offers -PLUS and TLS can bind\"\n"
                       "C: QUIT\n");
    // Without a binding from TLS, the same choice is a legitimate "n" exchange.
    check_dialogue(c, scram_options(),
                   opening("SCRAM-SHA-256 SCRAM-SHA-256-PLUS") + kRfcScramExchange +
                       "S: 334 dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\n"
                       "C:\n"
                       "S: 235 2.7.0 ok\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n",
                   "");
    // -PLUS forced without a binding cannot run.
    c.auth = AuthChoice::ScramSha256Plus;
    check_dialogue(c, scram_options(),
                   opening("SCRAM-SHA-256-PLUS") +
                       "E: error [auth-unavailable] \"SCRAM-SHA-256-PLUS needs the tls-exporter channel binding\"\n"
                       "C: QUIT\n",
                   "");
}

TEST_CASE("SCRAM: the challenge bound holds (Limits::sasl_challenges)") {
    Config c = scram_config();
    c.limits.sasl_challenges = 1;
    check_dialogue(c, scram_options(),
                   opening("SCRAM-SHA-256") + kRfcScramExchange +
                       "S: 334 dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\n"
                       "C: *\n"
                       "S: 501 5.7.0 cancelled\n"
                       "E: error 501 5.7.0 [auth-failed] \"cancelled\"\n"
                       "C: QUIT\n",
                   "");
}

TEST_CASE("Without random octets Auto keeps to PLAIN even when SCRAM is offered") {
    check_dialogue(scram_config(), AuthOptions{},
                   opening("SCRAM-SHA-256 PLAIN") +
                       "C: AUTH PLAIN AHVzZXIAcGVuY2ls\n"
                       "S: 235 2.7.0 ok\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
}

TEST_CASE("A token: OAUTHBEARER over XOAUTH2, never the password") {
    Config c = smtpcore::test::credentials_config(TlsMode::StartTlsRequired);
    c.password = "";
    check_dialogue(c, token_options(),
                   opening("PLAIN XOAUTH2 OAUTHBEARER") +
                       "C: AUTH OAUTHBEARER bixhPXVzZXIsAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n"
                       "S: 235 2.7.0 Accepted\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
    check_dialogue(c, token_options(),
                   opening("PLAIN XOAUTH2") +
                       "C: AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n"
                       "S: 235 2.7.0 Accepted\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
    check_dialogue(c, token_options(),
                   opening("PLAIN LOGIN") +
                       "E: error [auth-unavailable] \"server offers neither OAUTHBEARER nor XOAUTH2\"\n"
                       "C: QUIT\n");
    AuthOptions with_host = token_options();
    with_host.oauth_host = "mx.example";
    with_host.oauth_port = 587;
    check_dialogue(c, with_host,
                   opening("OAUTHBEARER") +
                       "C: AUTH OAUTHBEARER bixhPXVzZXIsAWhvc3Q9bXguZXhhbXBsZQFwb3J0PTU4NwFhdXRoPUJlYXJlciB5YTI5LnRva2VuAQE=\n"
                       "S: 235 2.7.0 Accepted\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
}

TEST_CASE("OAuth error flow: the JSON challenge is acknowledged, the 535 carries its status") {
    Config c = smtpcore::test::credentials_config(TlsMode::StartTlsRequired);
    c.password = "";
    const std::string error_challenge =
        "S: 334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJtYWlsIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL3gvLndlbGwta25vd24ifQ==\n";
    // RFC 7628 §3.2.3: OAUTHBEARER answers with a single %x01.
    check_dialogue(c, token_options(),
                   opening("OAUTHBEARER") +
                       "C: AUTH OAUTHBEARER bixhPXVzZXIsAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n" + error_challenge +
                       "C: AQ==\n"
                       "S: 535 5.7.8 Authentication credentials invalid\n"
                       "E: error 535 5.7.8 [auth-failed] \"Authentication credentials invalid\\nOAuth status: invalid_token\"\n"
                       "C: QUIT\n");
    // XOAUTH2 answers with the empty response.
    c.auth = AuthChoice::XOAuth2;
    check_dialogue(c, token_options(),
                   opening("OAUTHBEARER XOAUTH2") +
                       "C: AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n" + error_challenge +
                       "C:\n"
                       "S: 535 5.7.8 Username and Password not accepted\n"
                       "E: error 535 5.7.8 [auth-failed] \"Username and Password not accepted\\nOAuth status: invalid_token\"\n"
                       "C: QUIT\n");
    // A second challenge is not part of the flow: cancelled.
    check_dialogue(c, token_options(),
                   opening("XOAUTH2") +
                       "C: AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n" + error_challenge +
                       "C:\n" + error_challenge +
                       "C: *\n"
                       "S: 501 5.7.0 cancelled\n"
                       "E: error 501 5.7.0 [auth-failed] \"cancelled\"\n"
                       "C: QUIT\n");
}

TEST_CASE("CRAM-MD5 only when forced: the RFC 2195 example") {
    Config c = smtpcore::test::credentials_config(TlsMode::StartTlsRequired);
    c.username = "tim";
    c.password = "tanstaaftanstaaf";
    check_dialogue(c, AuthOptions{},
                   opening("CRAM-MD5") +
                       "E: error [auth-unavailable] \"server offers neither PLAIN nor LOGIN\"\n"
                       "C: QUIT\n");
    c.auth = AuthChoice::CramMd5;
    check_dialogue(c, AuthOptions{},
                   opening("CRAM-MD5 PLAIN") +
                       "C: AUTH CRAM-MD5\n"
                       "S: 334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\n"
                       "C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\n"
                       "S: 235 2.7.0 ok\n"
                       "E: authenticated 235 2.7.0\n"
                       "E: ready\n");
}

TEST_CASE("AuthOptions refusals at construction: nothing is sent") {
    auto refusal = [](const Config& c, const AuthOptions* a) {
        std::vector<char> storage(2048);
        const MutableBytes s(storage.data(), storage.size());
        Client client = a != nullptr ? Client(c, s, *a) : Client(c, s);
        CHECK(client.send_buf().empty());
        return std::string(client.last_error().reason);
    };
    const AuthOptions scram = scram_options();
    const AuthOptions token = token_options();
    Config c = scram_config();
    c.auth = AuthChoice::XOAuth2;
    CHECK(refusal(c, nullptr) == "this AuthChoice needs the Client constructor with AuthOptions");
    CHECK(refusal(c, &scram) == "XOAUTH2 and OAUTHBEARER need AuthOptions::oauth_token");
    AuthOptions bad_token;
    bad_token.oauth_token = "abc\r\nQUIT";
    CHECK(refusal(c, &bad_token) == "OAuth token holds a character outside RFC 6750 b64token");
    c.auth = AuthChoice::ScramSha256;
    CHECK(refusal(c, &token) == "SCRAM needs 15 to 48 random octets in AuthOptions::random");
    c.password = "p\xc3\xa4ss";
    CHECK(refusal(c, &scram) == "SCRAM: SASLprep of non-ASCII user names and passwords is not supported");
    // Auto with the same password and random octets: SCRAM is skipped, PLAIN stays possible.
    c.auth = AuthChoice::Auto;
    CHECK(refusal(c, &scram) == "");
    // Credentials never in plaintext unless allowed, whatever the mechanism.
    Config plain = smtpcore::test::credentials_config(TlsMode::None);
    plain.password = "";
    CHECK(refusal(plain, &token) == "credentials without TLS need allow_plaintext_auth");
    // Storage must hold the mechanisms' state too.
    std::vector<char> small(Client::min_storage(scram_config()));
    Client tight(scram_config(), MutableBytes(small.data(), small.size()), scram_options());
    CHECK(tight.last_error().kind == ErrorKind::LimitExceeded);
}
