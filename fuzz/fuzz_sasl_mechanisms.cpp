// Fuzz target: the SASL mechanism parsers and writers on their own
// (lib/core/sasl_scram, sasl_oauth, sasl_cram_md5, sasl_output), without a
// session: fuzz_sasl drives PLAIN/LOGIN through a whole Client; this one
// feeds any server text to the new mechanisms.
//
// Input: [which][window size][fuzzed fields...]. Checks:
//  - SCRAM: a server-first is accepted only if its nonce extends ours; the
//    client-final then starts "c=" (our binding) ",r=" (their nonce) and ends
//    with a 44-character proof; server-final is accepted only as "v=..." and
//    only then is the server verified; nothing is accepted out of order;
//  - OAuth: an accepted token is b64token; the response has exactly the
//    structure's ^A separators; the JSON status is a view inside the text;
//  - CRAM-MD5: "user SP" and 32 lowercase hex digits;
//  - SaslOutput: a small window fails with needed() equal to the full size;
//  - no step allocates.
#include <cstring>
#include <string>

#include "alloc_probe.hpp"
#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "sasl_cram_md5.hpp"
#include "sasl_oauth.hpp"
#include "sasl_scram.hpp"
#include "smtpcore/codec/base64.hpp"

using namespace smtpcore;
using namespace smtpcore::detail;

namespace {

struct Written {
    const char* refusal;
    std::string text;  // decoded response
    std::size_t needed;
};

// Runs `step` into a window of `capacity`, then (if it did not fit) into a
// large one, and checks the two agree on the size.
template <class Step>
Written run(std::size_t capacity, Step&& step) {
    static char window[4096];
    FUZZ_CHECK(capacity <= sizeof window, "window size");
    Written w{};
    std::size_t n = 0;
    bool fits = false;
    const std::size_t allocations = fuzz::count_allocations([&] {
        SaslOutput out(window, capacity);
        w.refusal = step(out);
        n = out.finish();
        fits = out.fits();
        w.needed = out.needed();
    });
    FUZZ_CHECK(allocations == 0, "a SASL step allocated");
    if (!fits) return w;  // the caller retries with the whole window
    FUZZ_CHECK(n == w.needed, "needed() differs from what was written");
    w.text.assign(n, '\0');
    const long size = codec::base64_decode(std::string_view(window, n), w.text.data(), n);
    FUZZ_CHECK(size >= 0, "a response that is not base64");
    w.text.resize(static_cast<std::size_t>(size));
    return w;
}

std::size_t count(const std::string& s, char c) {
    std::size_t k = 0;
    for (const char x : s) k += x == c;
    return k;
}

void fuzz_scram(FuzzedDataProvider& fdp) {
    const std::string random = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(14, 49));
    const std::string binding = fdp.ConsumeBytesAsString(32);
    ScramParams p;
    p.username = "user,=x";
    p.password = "pencil";
    p.random = as_bytes(random);
    p.binding = static_cast<ChannelBinding>(fdp.ConsumeIntegralInRange(0, 2));
    p.binding_data = as_bytes(binding);
    p.min_iterations = 1;
    p.max_iterations = 64;  // keeps a run fast; the bound itself is fuzzed below
    ScramSha256 scram;
    const Written first = run(4096, [&](SaslOutput& o) { return scram.start(p, o); });
    if (first.refusal != nullptr) {
        FUZZ_CHECK(random.size() < ScramSha256::kMinRandomOctets || random.size() > ScramSha256::kMaxRandomOctets ||
                       (p.binding == ChannelBinding::TlsExporter && binding.size() != 32),
                   "valid SCRAM parameters refused");
        return;
    }
    const std::size_t at = first.text.find(",r=");
    FUZZ_CHECK(at != std::string::npos, "client-first without r=");
    const std::string nonce = first.text.substr(at + 3);

    // Server-first: a nonce that may or may not extend ours, fuzzed rest.
    std::string server_first = fdp.ConsumeBool() ? "r=" + nonce : "";
    server_first += fdp.ConsumeRandomLengthString(300);
    const auto capacity = fdp.ConsumeIntegralInRange<std::size_t>(0, 4096);
    const Written fin = run(capacity, [&](SaslOutput& o) { return scram.answer_server_first(server_first, o); });
    if (fin.refusal != nullptr) {
        FUZZ_CHECK(scram.verify_server_final("v=AAAA") != nullptr, "server-final accepted after a refused server-first");
        return;
    }
    FUZZ_CHECK(server_first.rfind("r=" + nonce, 0) == 0 && server_first.size() > nonce.size() + 2 &&
                   server_first[nonce.size() + 2] != ',',
               "a server nonce that does not extend ours was accepted");
    if (fin.text.empty() && fin.needed > capacity) return;  // did not fit: nothing to inspect
    FUZZ_CHECK(fin.text.rfind("c=", 0) == 0, "client-final does not start with c=");
    const std::size_t r_at = fin.text.find(",r=");
    const std::size_t p_at = fin.text.rfind(",p=");
    FUZZ_CHECK(r_at != std::string::npos && p_at != std::string::npos && p_at > r_at, "client-final lacks r= or p=");
    FUZZ_CHECK(server_first.compare(0, server_first.find(','), "r=" + fin.text.substr(r_at + 3, p_at - r_at - 3)) == 0,
               "client-final does not echo the server's nonce");
    FUZZ_CHECK(fin.text.size() - p_at - 3 == 44, "proof is not base64 of 32 octets");

    const std::string server_final = fdp.ConsumeRemainingBytesAsString();
    std::string_view error;
    const char* verdict = scram.verify_server_final(server_final, &error);
    FUZZ_CHECK((verdict == nullptr) == scram.server_verified(), "verdict and server_verified() disagree");
    if (verdict == nullptr) FUZZ_CHECK(server_final.rfind("v=", 0) == 0, "a server-final without v= verified the server");
    FUZZ_CHECK(scram.verify_server_final(server_final) != nullptr, "a second server-final was accepted");
}

void fuzz_oauth(FuzzedDataProvider& fdp) {
    const std::string user = fdp.ConsumeRandomLengthString(40);
    const std::string host = fdp.ConsumeRandomLengthString(40);
    const auto port = fdp.ConsumeIntegral<std::uint16_t>();
    const std::string token = fdp.ConsumeRandomLengthString(80);
    const bool bearer = fdp.ConsumeBool();
    const Written w = run(4096, [&](SaslOutput& o) {
        return bearer ? write_oauthbearer_response(o, user, host, port, token) : write_xoauth2_response(o, user, token);
    });
    if (w.refusal == nullptr) {
        FUZZ_CHECK(check_bearer_token(token) == nullptr, "a response with a token outside b64token");
        const std::size_t separators = bearer ? 3 + !host.empty() + (port != 0) : 3;
        FUZZ_CHECK(count(w.text, '\x01') == separators, "user, host or token added a separator");
        FUZZ_CHECK(w.text.find("auth=Bearer " + token + "\x01\x01") != std::string::npos, "token not sent as given");
    }
    const std::string json = fdp.ConsumeRemainingBytesAsString();
    std::string_view status;
    FUZZ_CHECK(fuzz::count_allocations([&] { status = oauth_error_status(json); }) == 0, "status scan allocated");
    if (!status.empty())
        FUZZ_CHECK(status.data() > json.data() && status.data() + status.size() < json.data() + json.size(),
                   "status is not a view inside the JSON text");
}

void fuzz_cram_md5(FuzzedDataProvider& fdp) {
    const std::string user = fdp.ConsumeRandomLengthString(40);
    const std::string challenge = fdp.ConsumeRemainingBytesAsString();
    const Written w = run(4096, [&](SaslOutput& o) { return write_cram_md5_response(o, user, "secret", challenge); });
    if (w.refusal != nullptr) return;
    FUZZ_CHECK(w.text.size() == user.size() + 33 && w.text.compare(0, user.size() + 1, user + " ") == 0,
               "CRAM-MD5 response is not user SP digest");
    for (std::size_t i = user.size() + 1; i < w.text.size(); ++i)
        FUZZ_CHECK((w.text[i] >= '0' && w.text[i] <= '9') || (w.text[i] >= 'a' && w.text[i] <= 'f'), "digest not lowercase hex");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    switch (fdp.ConsumeIntegralInRange(0, 2)) {
    case 0: fuzz_scram(fdp); break;
    case 1: fuzz_oauth(fdp); break;
    default: fuzz_cram_md5(fdp); break;
    }
    return 0;
}
