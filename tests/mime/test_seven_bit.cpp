// The 7-bit scan (smtpcore/codec/seven_bit.hpp): every implementation this
// build and CPU support gives the portable scan's answer, for every length,
// every position of a bad octet, random content, and input that ends at an
// inaccessible page.
#include <doctest/doctest.h>

#include <string>

#include "seven_bit_simd.hpp"
#include "simd_test_support.hpp"
#include "smtpcore/codec/seven_bit.hpp"

using smtpcore::codec::is_seven_bit;
using smtpcore::codec::is_seven_bit_portable;
using smtpcore::codec::detail::SevenBitImpl;
using simd_test::Rng;

namespace {

using ForceSevenBit = simd_test::ForceImpl<SevenBitImpl, smtpcore::codec::detail::seven_bit_impl,
                                           smtpcore::codec::detail::seven_bit_select_impl>;

constexpr SevenBitImpl kImpls[] = {SevenBitImpl::Scalar, SevenBitImpl::Sse2, SevenBitImpl::Avx2};

// Octets 1..127, the kind a text body has.
std::string clean(Rng& rng, std::size_t n) {
    std::string s(n, 'a');
    for (auto& c : s) c = static_cast<char>(1 + rng.below(127));
    return s;
}

// The octets that make content not 7-bit: NUL and every octet above 127.
char bad_octet(Rng& rng) {
    const std::size_t k = rng.below(129);
    return static_cast<char>(k == 128 ? 0 : 128 + k);
}

}  // namespace

TEST_CASE("portable 7-bit scan: NUL and octets above 127 fail, 1..127 pass") {
    for (int c = 0; c < 256; ++c) {
        const char octet = static_cast<char>(c);
        CHECK(is_seven_bit_portable(&octet, 1) == (c >= 1 && c <= 127));
    }
    CHECK(is_seven_bit_portable("", 0));
    CHECK(is_seven_bit("", 0));
}

TEST_CASE("every 7-bit implementation equals the portable scan at every length and bad position") {
    Rng rng{0x9e3779b97f4a7c15ull};
    for (const SevenBitImpl impl : kImpls) {
        ForceSevenBit force(impl);
        if (!force.ok()) continue;  // not on this CPU or build
        CAPTURE(smtpcore::codec::detail::seven_bit_impl_name(impl));
        for (std::size_t n = 0; n <= 300; ++n) {
            CAPTURE(n);
            std::string s = clean(rng, n);
            REQUIRE(is_seven_bit(s.data(), n));
            for (std::size_t at = 0; at < n; ++at) {
                const char saved = s[at];
                s[at] = bad_octet(rng);
                CAPTURE(at);
                REQUIRE_FALSE(is_seven_bit(s.data(), n));
                s[at] = saved;
            }
        }
    }
}

TEST_CASE("every 7-bit implementation equals the portable scan on random content") {
    Rng rng{0x2545f4914f6cdd1dull};
    for (const SevenBitImpl impl : kImpls) {
        ForceSevenBit force(impl);
        if (!force.ok()) continue;
        CAPTURE(smtpcore::codec::detail::seven_bit_impl_name(impl));
        for (int round = 0; round < 2000; ++round) {
            const std::size_t n = rng.below(5000);
            std::string s = clean(rng, n);
            // Mostly clean, sometimes with a few bad octets anywhere.
            const std::size_t bad = rng.below(4) == 0 ? 1 + rng.below(3) : 0;
            for (std::size_t k = 0; k < bad && n > 0; ++k) s[rng.below(n)] = bad_octet(rng);
            const std::size_t offset = n == 0 ? 0 : rng.below(n);  // any alignment
            REQUIRE(is_seven_bit(s.data() + offset, n - offset) == is_seven_bit_portable(s.data() + offset, n - offset));
        }
    }
}

#if defined(__linux__)
TEST_CASE("7-bit implementations read nothing past the input (guard page)") {
    simd_test::GuardedPage page;
    Rng rng{0xda942042e4dd58b5ull};
    for (const SevenBitImpl impl : kImpls) {
        ForceSevenBit force(impl);
        if (!force.ok()) continue;
        CAPTURE(smtpcore::codec::detail::seven_bit_impl_name(impl));
        for (std::size_t n = 0; n <= 520; ++n) {
            CAPTURE(n);
            char* p = page.tail(n);
            const std::string s = clean(rng, n);
            s.copy(p, n);
            REQUIRE(is_seven_bit(p, n));
            if (n == 0) continue;
            p[n - 1] = bad_octet(rng);  // the last readable octet decides
            REQUIRE_FALSE(is_seven_bit(p, n));
        }
    }
}
#endif
