// PBKDF2-HMAC-SHA-256 against RFC 7914 §11 and the RFC 6070 inputs with SHA-256
// as the PRF (the values every PBKDF2-SHA-256 implementation publishes; OpenSSL
// gives the same). The crypto code allocates nothing.
#include <doctest/doctest.h>

#include <string>

#include "alloc_counter.hpp"
#include "hex.hpp"
#include "smtpcore/codec/hmac.hpp"
#include "smtpcore/codec/md5.hpp"
#include "smtpcore/codec/pbkdf2.hpp"

using namespace smtpcore;
using smtpcore::test::hex;

namespace {

std::string pbkdf2(const std::string& password, const std::string& salt, std::uint32_t iterations, std::size_t size) {
    std::uint8_t out[64] = {};
    REQUIRE(size <= sizeof out);
    codec::pbkdf2_hmac_sha256(password.data(), password.size(), salt.data(), salt.size(), iterations, out, size);
    return hex(out, size);
}

}  // namespace

TEST_CASE("PBKDF2-HMAC-SHA-256: RFC 7914 §11") {
    CHECK(pbkdf2("passwd", "salt", 1, 64) ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
          "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    CHECK(pbkdf2("Password", "NaCl", 80000, 64) ==
          "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
          "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST_CASE("PBKDF2-HMAC-SHA-256: the RFC 6070 inputs") {
    CHECK(pbkdf2("password", "salt", 1, 32) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    CHECK(pbkdf2("password", "salt", 2, 32) == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
    CHECK(pbkdf2("password", "salt", 4096, 32) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    // 40 octets: a second block, truncated.
    CHECK(pbkdf2("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40) ==
          "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
    CHECK(pbkdf2(std::string("pass\0word", 9), std::string("sa\0lt", 5), 4096, 16) == "89b69d0516f829893c696226650a8687");
}

TEST_CASE("PBKDF2: zero iterations are treated as one") {
    CHECK(pbkdf2("password", "salt", 0, 32) == pbkdf2("password", "salt", 1, 32));
}

TEST_CASE("SHA-256, MD5, HMAC and PBKDF2 allocate nothing") {
    std::uint8_t out[32];
    test::AllocationScope scope;
    codec::Sha256::hash("abc", 3, out);
    codec::Md5::hash("abc", 3, out);
    codec::HmacSha256::mac("k", 1, "m", 1, out);
    codec::HmacMd5::mac("k", 1, "m", 1, out);
    codec::pbkdf2_hmac_sha256("p", 1, "s", 1, 3, out, 32);
    CHECK(scope.allocations() == 0);
}
