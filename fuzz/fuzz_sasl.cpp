// Fuzz target: SASL (RFC 4954) with PLAIN and LOGIN, driven through a whole
// Client: greeting and EHLO are well formed, then every reply during AUTH is
// fuzzed — 334 challenges with any text, any codes, multi-line replies.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
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
        for (std::size_t at = 0; at < reply.size();) {
            const std::size_t n = s.feed(std::string_view(reply).substr(at));
            at += n;
            s.drain();
            s.ack(~std::size_t(0));
            if (n == 0) break;
        }
        fuzz::stop_if_violated(s);
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
