// XOAUTH2 (Google's published example) and OAUTHBEARER (RFC 7628 §4), the
// token check, the error acknowledgements and the JSON status.
#include <doctest/doctest.h>

#include <string>

#include "response.hpp"
#include "sasl_oauth.hpp"

using namespace smtpcore;
using detail::OAuthMechanism;
using test::decoded;
using test::respond;

TEST_CASE("XOAUTH2: the initial response in Google's format") {
    const auto r = respond([](detail::SaslOutput& o) {
        return detail::write_xoauth2_response(o, "someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
    });
    REQUIRE(r.refusal == nullptr);
    CHECK(r.wire == "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
}

TEST_CASE("OAUTHBEARER: the RFC 7628 §4.1 initial response") {
    const auto r = respond([](detail::SaslOutput& o) {
        return detail::write_oauthbearer_response(o, "user@example.com", "server.example.com", 143,
                                                  "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
    });
    REQUIRE(r.refusal == nullptr);
    CHECK(r.wire ==
          "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRj"
          "Mk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB");
}

TEST_CASE("OAUTHBEARER: host and port left out, authzid escaped, no user") {
    auto text = [](std::string_view user, std::string_view host, std::uint16_t port) {
        return respond([&](detail::SaslOutput& o) { return detail::write_oauthbearer_response(o, user, host, port, "tok"); }).text;
    };
    CHECK(text("a,b=c", "", 0) == "n,a=a=2Cb=3Dc,\x01" "auth=Bearer tok\x01\x01");
    CHECK(text("", "mx", 587) == "n,,\x01host=mx\x01port=587\x01" "auth=Bearer tok\x01\x01");
    CHECK(text("", "", 65535) == "n,,\x01port=65535\x01" "auth=Bearer tok\x01\x01");
}

TEST_CASE("Bearer tokens: RFC 6750 b64token only") {
    CHECK(detail::check_bearer_token("ya29.a0-_~+/xyz==") == nullptr);
    for (const char* bad : {"", "=abc", "a b", "ab\x01" "auth=x", "a\r\nQUIT", "ab=c", "t\xc3\xa9"}) {
        CAPTURE(bad);
        CHECK(detail::check_bearer_token(bad) != nullptr);
        CHECK(respond([&](detail::SaslOutput& o) { return detail::write_xoauth2_response(o, "u", bad); }).refusal != nullptr);
        CHECK(respond([&](detail::SaslOutput& o) { return detail::write_oauthbearer_response(o, "u", "", 0, bad); }).refusal != nullptr);
    }
}

TEST_CASE("OAuth: control characters in the user or host are refused") {
    CHECK(respond([](detail::SaslOutput& o) { return detail::write_xoauth2_response(o, "a\x01" "b", "t"); }).refusal != nullptr);
    CHECK(respond([](detail::SaslOutput& o) { return detail::write_xoauth2_response(o, "", "t"); }).refusal != nullptr);
    CHECK(respond([](detail::SaslOutput& o) { return detail::write_oauthbearer_response(o, "u", "h\x01", 0, "t"); }).refusal != nullptr);
}

TEST_CASE("OAuth error flow: the acknowledgement of the JSON challenge") {
    CHECK(detail::oauth_error_ack(OAuthMechanism::XOAuth2).empty());
    CHECK(detail::oauth_error_ack(OAuthMechanism::OAuthBearer) == std::string_view("\x01", 1));
}

TEST_CASE("OAuth error flow: the status of RFC 7628 §4.3's error challenge") {
    const std::string json = decoded(
        "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczov"
        "L2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=");
    CHECK(detail::oauth_error_status(json) == "invalid_token");
    // Google's form, status after other members and nested values.
    CHECK(detail::oauth_error_status(R"({"schemes":"Bearer", "a":{"b":[1,{"status":"no"}]}, "n": -1.5e3, "t": true,
                                       "status" : "401", "scope":"https://mail.google.com/"})") == "401");
    for (const char* bad : {"", "[]", "{}", R"({"status":401})", R"({"status":"x)", R"({"a":,"status":"x"})",
                            R"({"a" "status":"x"})", R"({"a":"b" "status":"x"})", "{\"status\":\"a\x01\"}",
                            R"({"a":[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]],"status":"x"})"}) {
        CAPTURE(bad);
        CHECK(detail::oauth_error_status(bad).empty());
    }
}
