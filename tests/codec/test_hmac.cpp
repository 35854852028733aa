// HMAC-SHA-256 against RFC 4231 §4.2–4.8, HMAC-MD5 against RFC 2202 §2.
#include <doctest/doctest.h>

#include <string>

#include "hex.hpp"
#include "smtpcore/codec/hmac.hpp"

using namespace smtpcore;
using smtpcore::test::hex;

namespace {

template <class Mac>
std::string mac_of(const std::string& key, const std::string& data) {
    std::uint8_t out[Mac::kDigestSize];
    Mac::mac(key.data(), key.size(), data.data(), data.size(), out);
    return hex(out);
}

std::string counting_key(std::size_t n) {  // 0x01 0x02 ... as in RFC 4231 §4.5 / RFC 2202 §2 case 4
    std::string k;
    for (std::size_t i = 1; i <= n; ++i) k += static_cast<char>(i);
    return k;
}

const std::string kLargeKeyText = "Test Using Larger Than Block-Size Key - Hash Key First";

}  // namespace

TEST_CASE("HMAC-SHA-256: RFC 4231 test cases 1 to 7") {
    using M = codec::HmacSha256;
    CHECK(mac_of<M>(std::string(20, '\x0b'), "Hi There") ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(mac_of<M>("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(mac_of<M>(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    CHECK(mac_of<M>(counting_key(25), std::string(50, '\xcd')) ==
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    // Case 5 is printed truncated to 128 bits.
    CHECK(mac_of<M>(std::string(20, '\x0c'), "Test With Truncation").substr(0, 32) ==
          "a3b6167473100ee06e0c796c2955552b");
    // Cases 6 and 7: a 131-octet key is hashed first (RFC 2104 §2).
    CHECK(mac_of<M>(std::string(131, '\xaa'), kLargeKeyText) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(mac_of<M>(std::string(131, '\xaa'),
                    "This is a test using a larger than block-size key and a larger than block-size data. "
                    "The key needs to be hashed before being used by the HMAC algorithm.") ==
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HMAC-MD5: RFC 2202 test cases 1 to 7") {
    using M = codec::HmacMd5;
    CHECK(mac_of<M>(std::string(16, '\x0b'), "Hi There") == "9294727a3638bb1c13f48ef8158bfc9d");
    CHECK(mac_of<M>("Jefe", "what do ya want for nothing?") == "750c783e6ab0b503eaa86e310a5db738");
    CHECK(mac_of<M>(std::string(16, '\xaa'), std::string(50, '\xdd')) == "56be34521d144c88dbb8c733f0e8b3f6");
    CHECK(mac_of<M>(counting_key(25), std::string(50, '\xcd')) == "697eaf0aca3a3aea3a75164746ffaa79");
    CHECK(mac_of<M>(std::string(16, '\x0c'), "Test With Truncation") == "56461ef2342edc00f9bab995690efd4c");
    CHECK(mac_of<M>(std::string(80, '\xaa'), kLargeKeyText) == "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
    CHECK(mac_of<M>(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data") ==
          "6f630fad67cda0ee1fb1f562db3aa53e");
}

TEST_CASE("HMAC: a keyed copy MACs a second message like a fresh key") {
    const codec::HmacSha256 keyed("Jefe");
    codec::HmacSha256 first = keyed, second = keyed;
    first.update("what do ya want ");
    first.update("for nothing?");
    std::uint8_t a[32], b[32];
    first.finish(a);
    second.update("Hi There");
    second.finish(b);
    CHECK(hex(a) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex(b) == mac_of<codec::HmacSha256>("Jefe", "Hi There"));
}
