// Runs a mechanism step into a SaslOutput and returns the response as the
// server would decode it, so tests compare with the RFC examples' plain text.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "sasl_output.hpp"
#include "smtpcore/codec/base64.hpp"

namespace smtpcore::test {

struct Response {
    const char* refusal = nullptr;  // the step's reason, or nullptr
    std::string wire;               // base64, as it goes on the wire
    std::string text;               // decoded
};

template <class Step>
Response respond(Step&& step) {
    char buffer[2048];
    detail::SaslOutput out(buffer, sizeof buffer);
    Response r;
    r.refusal = step(out);
    const std::size_t n = out.finish();
    REQUIRE(out.fits());
    REQUIRE(n == out.needed());
    r.wire.assign(buffer, n);
    r.text.assign(r.wire.size(), '\0');
    const long size = codec::base64_decode(r.wire, r.text.data(), r.text.size());
    REQUIRE(size >= 0);
    r.text.resize(static_cast<std::size_t>(size));
    return r;
}

/// Decoded base64; empty when invalid (usable for constants at namespace scope,
/// where doctest assertions cannot run).
inline std::string decoded(std::string_view base64) {
    std::string out(base64.size(), '\0');
    const long n = codec::base64_decode(base64, out.data(), out.size());
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

}  // namespace smtpcore::test
