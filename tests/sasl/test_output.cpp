// SaslOutput: base64 on the fly, and a window too small says the size needed.
// Every mechanism step allocates nothing.
#include <doctest/doctest.h>

#include <string>

#include "alloc_counter.hpp"
#include "response.hpp"
#include "sasl_cram_md5.hpp"
#include "sasl_oauth.hpp"
#include "sasl_scram.hpp"

using namespace smtpcore;

TEST_CASE("SaslOutput: pieces give the one-shot base64; too small a window reports the size needed") {
    char big[64];
    detail::SaslOutput out(big, sizeof big);
    out.put('a');
    out.put(std::string_view("bc"));
    out.put("de", 2);
    const std::size_t n = out.finish();
    CHECK(std::string(big, n) == "YWJjZGU=");
    for (std::size_t capacity = 0; capacity < 8; ++capacity) {
        CAPTURE(capacity);
        char small[8];
        detail::SaslOutput o(small, capacity);
        o.put(std::string_view("abcde"));
        o.finish();
        CHECK_FALSE(o.fits());
        CHECK(o.needed() == 8);
    }
    char exact[8];
    detail::SaslOutput o(exact, sizeof exact);
    o.put(std::string_view("abcde"));
    CHECK(o.finish() == 8);
    CHECK(o.fits());
}

TEST_CASE("SaslOutput: a response filling the window exactly fits (fuzz_sasl_mechanisms finding)") {
    // Three octets make four characters and finish() adds none: no spare room is needed.
    char four[4];
    detail::SaslOutput o(four, sizeof four);
    o.put(std::string_view("abc"));
    CHECK(o.finish() == 4);
    CHECK(o.fits());
    CHECK(std::string(four, 4) == "YWJj");
    detail::SaslOutput none(nullptr, 0);
    CHECK(none.finish() == 0);
    CHECK(none.fits());
}

TEST_CASE("SCRAM, OAuth and CRAM-MD5 steps allocate nothing") {
    const std::string random = test::decoded("rOprNGfwEbeRWgbNEkqO");
    char buffer[512];
    std::size_t allocations = 0;
    bool verified = false;
    {
        test::AllocationScope scope;
        detail::ScramParams p;
        p.username = "user";
        p.password = "pencil";
        p.random = as_bytes(random);
        detail::ScramSha256 scram;
        detail::SaslOutput first(buffer, sizeof buffer);
        scram.start(p, first);
        detail::SaslOutput fin(buffer, sizeof buffer);
        scram.answer_server_first("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", fin);
        verified = scram.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") == nullptr;
        detail::SaslOutput o1(buffer, sizeof buffer);
        detail::write_xoauth2_response(o1, "u", "tok");
        detail::SaslOutput o2(buffer, sizeof buffer);
        detail::write_oauthbearer_response(o2, "u", "h", 25, "tok");
        detail::oauth_error_status(R"({"status":"invalid_token"})");
        detail::SaslOutput o3(buffer, sizeof buffer);
        detail::write_cram_md5_response(o3, "tim", "pw", "<1@x>");
        allocations = scope.allocations();
    }
    CHECK(verified);
    CHECK(allocations == 0);
}

TEST_CASE("A 334 challenge decodes in place (how the engine will hand it to a mechanism)") {
    // The output never overtakes the input (3 octets per 4 characters), so the
    // reply text buffer can hold the decoded challenge: no second buffer.
    for (const std::string text : {"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
                                   "cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=",
                                   "YQ==", "YWI=", ""}) {
        CAPTURE(text);
        const std::string expected = test::decoded(text);
        std::string buffer = text;
        const long n = codec::base64_decode(buffer, buffer.data(), buffer.size());
        REQUIRE(n >= 0);
        CHECK(buffer.substr(0, static_cast<std::size_t>(n)) == expected);
    }
}
