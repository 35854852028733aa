// CRAM-MD5: the RFC 2195 §2 example, and what is refused.
#include <doctest/doctest.h>

#include "response.hpp"
#include "sasl_cram_md5.hpp"

using namespace smtpcore;
using test::decoded;
using test::respond;

TEST_CASE("CRAM-MD5: the RFC 2195 example") {
    const std::string challenge = decoded("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
    REQUIRE(challenge == "<1896.697170952@postoffice.reston.mci.net>");
    const auto r = respond([&](detail::SaslOutput& o) { return detail::write_cram_md5_response(o, "tim", "tanstaaftanstaaf", challenge); });
    REQUIRE(r.refusal == nullptr);
    CHECK(r.wire == "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
    CHECK(r.text == "tim b913a602c7eda7a495b4e6e7334d3890");
}

TEST_CASE("CRAM-MD5: an empty challenge and unusable user names are refused") {
    auto refused = [](std::string_view user, std::string_view challenge) {
        return respond([&](detail::SaslOutput& o) { return detail::write_cram_md5_response(o, user, "pw", challenge); }).refusal != nullptr;
    };
    CHECK(refused("tim", ""));
    CHECK(refused("", "<1@x>"));
    CHECK(refused("t im", "<1@x>"));
    CHECK(refused("t\x01", "<1@x>"));
    CHECK_FALSE(refused("tim", "<1@x>"));
}
