// Fuzz target: SASL (RFC 4954) driven through a whole Client: greeting and
// EHLO are well formed, then every reply during AUTH is fuzzed — 334
// challenges with any text, any codes, multi-line replies. The first choice
// picks PLAIN/LOGIN (the checks below) or every other mechanism through
// AuthOptions (extended(): XOAUTH2, OAUTHBEARER, SCRAM-SHA-256(-PLUS),
// CRAM-MD5, with or without a token, random octets and a channel binding).
//
// Input: [mechanisms offered][AuthChoice][password choice] then, per server
// turn, a reply code choice and challenge text. Checks (besides every
// CheckedSession invariant):
//  - the client only ever answers with the exact base64 of its credentials
//    in the mechanism's order, or "*" to cancel (RFC 4954 §4);
//  - never more responses than challenges; nothing after "*" but the reply;
//  - no line over 512 octets.
#include <string>
#include <vector>

#include "alloc_probe.hpp"
#include "check.hpp"
#include "checked_session.hpp"
#include "fuzzed_data_provider.hpp"
#include "session/report.hpp"
#include "smtpcore/codec/base64.hpp"

using namespace smtpcore;

namespace {

std::string b64(const std::string& s) {
    std::string out(codec::base64_encoded_size(s.size()), '\0');
    codec::base64_encode(s.data(), s.size(), out.data());
    return out;
}

std::vector<std::string> lines_of(const std::string& wire) {
    std::vector<std::string> lines;
    for (std::size_t start = 0, eol; (eol = wire.find("\r\n", start)) != std::string::npos; start = eol + 2)
        lines.push_back(wire.substr(start, eol - start));
    return lines;
}

// Feeds one server reply through the window, draining and acknowledging as it goes.
void play(test::CheckedSession& s, const std::string& reply) {
    for (std::size_t at = 0; at < reply.size();) {
        const std::size_t n = s.feed(std::string_view(reply).substr(at));
        at += n;
        s.drain();
        s.ack(~std::size_t(0));
        if (n == 0) break;
    }
    fuzz::stop_if_violated(s);
}

std::string unb64(const std::string& s) {
    std::string out(s.size(), '\0');
    const long n = codec::base64_decode(s, out.data(), out.size());
    out.resize(n < 0 ? 0 : std::size_t(n));
    return out;
}

// The mechanisms beyond PLAIN and LOGIN. Checks: the password never leaves
// in any form but the chosen mechanism's; a token means OAuth; CRAM-MD5 only
// when forced; the -PLUS downgrade never starts; SCRAM never authenticates
// (the fuzzer cannot forge the server signature, so a success would mean the
// client skipped verifying it); never more responses than challenges.
int extended(FuzzedDataProvider& fdp) {
    static const char* const kMechanisms[] = {
        "SCRAM-SHA-256 PLAIN", "SCRAM-SHA-256-PLUS SCRAM-SHA-256", "XOAUTH2 OAUTHBEARER", "XOAUTH2",
        "CRAM-MD5 PLAIN", "OAUTHBEARER PLAIN LOGIN", "SCRAM-SHA-256-PLUS", "PLAIN LOGIN"};
    const std::string user = "user@example.org";
    const std::string password = "pencil-Secret";
    const std::string token = "ya29.token-" + std::to_string(fdp.ConsumeIntegral<std::uint8_t>());
    const std::string random = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange(0, 50));
    const std::string binding(32, static_cast<char>(fdp.ConsumeIntegral<std::uint8_t>()));
    const bool with_token = fdp.ConsumeBool();
    const bool with_binding = fdp.ConsumeBool();
    Config config;
    config.tls = TlsMode::Implicit;
    config.username = user;
    config.password = password;
    config.auth = static_cast<AuthChoice>(fdp.ConsumeIntegralInRange(0, 7));
    config.limits.sasl_challenges = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 5);
    AuthOptions auth;
    if (with_token) auth.oauth_token = token;
    auth.random = as_bytes(random);
    // Few iterations keep a run fast (the PBKDF2 loop is the same for 2 or
    // 4096); the bound itself is fuzzed: counts above it must be refused.
    auth.scram_min_iterations = 1;
    auth.scram_max_iterations = fdp.ConsumeIntegralInRange<std::uint32_t>(1, 64);
    const std::string offered = kMechanisms[fdp.ConsumeIntegralInRange(0, 7)];

    test::CheckedSession s(config, auth, 4096, &fuzz::allocations);
    if (!s.client().ok()) return 0;  // refused at construction (nothing sent: CheckedSession checks)
    s.tls_established(with_binding ? as_bytes(binding) : Bytes());
    s.feed("220 mx\r\n");
    s.drain();
    s.ack(~std::size_t(0));
    s.feed("250-mx\r\n250 AUTH " + offered + "\r\n");
    s.drain();
    s.ack(~std::size_t(0));
    std::size_t challenges = 0;
    while (fdp.remaining_bytes() > 0 && s.client().ok() && s.client().state() == SessionState::Auth) {
        std::string reply;
        switch (fdp.ConsumeIntegralInRange(0, 7)) {
        case 0: reply = "235 ok\r\n"; break;
        case 1: reply = "535 no\r\n"; break;
        case 2: {  // a SCRAM server-first that extends the client's nonce, with fuzzed salt and count
            const std::string wire = s.wire();
            const std::size_t at = wire.find("AUTH SCRAM-SHA-256");
            std::string nonce;
            if (at != std::string::npos) {
                const std::size_t sp = wire.find(' ', at + 5), eol = wire.find("\r\n", at);
                const std::string first = unb64(wire.substr(sp + 1, eol - sp - 1));
                const std::size_t r = first.find(",r=");
                if (r != std::string::npos) nonce = first.substr(r + 3);
            }
            reply = "334 " + b64("r=" + nonce + fdp.ConsumeRandomLengthString(10) + ",s=" +
                                 b64(fdp.ConsumeRandomLengthString(20)) + ",i=" +
                                 std::to_string(fdp.ConsumeIntegralInRange(0, 80)) +
                                 fdp.ConsumeRandomLengthString(8)) + "\r\n";
            break;
        }
        case 3: reply = "334 " + b64(fdp.ConsumeRandomLengthString(60)) + "\r\n"; break;
        case 4: reply = "334 " + b64("{\"status\":\"" + fdp.ConsumeRandomLengthString(20) + "\"}") + "\r\n"; break;
        case 5: reply = "334 \r\n"; break;
        default: reply = "334 " + fdp.ConsumeRandomLengthString(120) + "\r\n"; break;
        }
        if (reply.rfind("334", 0) == 0) ++challenges;
        play(s, reply);
    }
    s.finish();
    fuzz::stop_if_violated(s);

    const std::vector<std::string> lines = lines_of(s.wire());
    std::string mechanism;
    std::size_t responses = 0;
    bool in_auth = false;
    for (const std::string& line : lines) {
        FUZZ_CHECK(line.size() + 2 <= 512, "a line over 512 octets");
        FUZZ_CHECK(line.find(password) == std::string::npos, "the password in clear on the wire");
        if (line.rfind("AUTH ", 0) == 0) {
            mechanism = line.substr(5, line.find(' ', 5) - 5);
            in_auth = true;
            continue;
        }
        if (in_auth && line != "QUIT" && line != "*") ++responses;
    }
    const bool password_mechanism = mechanism == "PLAIN" || mechanism == "LOGIN";
    if (!password_mechanism) {
        FUZZ_CHECK(s.wire().find(b64(password)) == std::string::npos, "the password's base64 outside PLAIN/LOGIN");
        FUZZ_CHECK(s.wire().find(b64(std::string(1, '\0') + user + '\0' + password)) == std::string::npos,
                   "a PLAIN response outside PLAIN");
    }
    if (config.auth == AuthChoice::Auto && with_token)
        FUZZ_CHECK(mechanism.empty() || mechanism == "OAUTHBEARER" || mechanism == "XOAUTH2", "a token but no OAuth");
    if (config.auth != AuthChoice::CramMd5) FUZZ_CHECK(mechanism != "CRAM-MD5", "CRAM-MD5 without being forced");
    if (config.auth == AuthChoice::ScramSha256 && with_binding && offered.find("-PLUS") != std::string::npos)
        FUZZ_CHECK(mechanism.empty(), "SCRAM without -PLUS while -PLUS was offered and TLS could bind");
    if (mechanism.rfind("SCRAM", 0) == 0)
        for (const std::string& e : s.events())
            FUZZ_CHECK(e.rfind("authenticated", 0) != 0, "SCRAM authenticated without a verified server signature");
    FUZZ_CHECK(responses <= challenges, "more SASL responses than challenges");
    return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    if (size > 0 && (data[0] & 1) != 0) {  // the first octet's low bit: which half of the target
        fdp.ConsumeBytes<std::uint8_t>(1);
        return extended(fdp);
    }
    static const char* const kMechanisms[] = {"PLAIN LOGIN", "LOGIN", "PLAIN", "CRAM-MD5", "login plain", "XOAUTH2 LOGIN"};
    const std::string user = "user@example.org";
    const std::string password = fdp.ConsumeBool() ? "secret" : std::string(fdp.ConsumeIntegralInRange(1, 255), 'p');
    Config config;
    config.tls = TlsMode::None;
    config.username = user;
    config.password = password;
    config.allow_plaintext_auth = true;
    config.auth = static_cast<AuthChoice>(fdp.ConsumeIntegralInRange(0, 2));
    config.limits.sasl_challenges = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 5);
    const std::string ehlo = std::string("250-mx\r\n250 AUTH ") + kMechanisms[fdp.ConsumeIntegralInRange(0, 5)] + "\r\n";

    test::CheckedSession s(config, 2048, &fuzz::allocations);
    s.feed("220 mx\r\n");
    s.drain();
    s.ack(~std::size_t(0));
    s.feed(ehlo);
    s.drain();
    s.ack(~std::size_t(0));
    std::size_t challenges = 0;
    while (fdp.remaining_bytes() > 0 && s.client().ok() && s.client().state() == SessionState::Auth) {
        std::string reply;
        switch (fdp.ConsumeIntegralInRange(0, 9)) {
        case 0: reply = "235 ok\r\n"; break;
        case 1: reply = "535 no\r\n"; break;
        case 2: reply = "334-" + fdp.ConsumeRandomLengthString(40) + "\r\n334 " + fdp.ConsumeRandomLengthString(40) + "\r\n"; break;
        case 3: reply = "334 " + b64(fdp.ConsumeRandomLengthString(60)) + "\r\n"; break;
        case 4: reply = "334 \r\n"; break;
        default: reply = "334 " + fdp.ConsumeRandomLengthString(200) + "\r\n"; break;
        }
        if (reply.rfind("334", 0) == 0) ++challenges;
        play(s, reply);
    }
    s.finish();
    fuzz::stop_if_violated(s);

    // The exchange as it went out: AUTH, then responses or "*".
    const std::vector<std::string> lines = lines_of(s.wire());
    const std::string plain = b64(std::string(1, '\0') + user + '\0' + password);
    std::size_t responses = 0, login_step = 0;
    bool in_auth = false, cancelled = false, initial_response = false;
    for (const std::string& line : lines) {
        FUZZ_CHECK(line.size() + 2 <= 512, "a line over 512 octets");
        if (line.rfind("AUTH ", 0) == 0) {
            in_auth = true;
            initial_response = line.size() > 10;
            if (initial_response) FUZZ_CHECK(line == "AUTH PLAIN " + plain, "wrong PLAIN initial response");
            continue;
        }
        if (!in_auth || line == "QUIT") continue;
        if (line == "*") {
            cancelled = true;
            continue;
        }
        FUZZ_CHECK(!cancelled, "a response after the exchange was cancelled");
        ++responses;
        if (line == plain) {
            FUZZ_CHECK(!initial_response && responses == 1, "PLAIN credentials sent twice");
        } else {
            const std::string expected = login_step == 0 ? b64(user) : b64(password);
            FUZZ_CHECK(line == expected && login_step < 2, "a SASL response that is not the next credential");
            ++login_step;
        }
    }
    FUZZ_CHECK(responses <= challenges, "more SASL responses than challenges");
    return 0;
}
