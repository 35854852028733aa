// SHA-256 against FIPS 180-4 / NIST CSRC examples, MD5 against RFC 1321 §A.5;
// any split of the input gives the same digest.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "hex.hpp"
#include "smtpcore/codec/md5.hpp"
#include "smtpcore/codec/sha256.hpp"

using namespace smtpcore;
using smtpcore::test::hex;

namespace {

template <class Hash>
std::string digest_of(std::string_view m) {
    std::uint8_t out[Hash::kDigestSize];
    Hash::hash(m.data(), m.size(), out);
    return hex(out);
}

// Feeds `m` in pieces of `step` octets.
template <class Hash>
std::string digest_in_pieces(std::string_view m, std::size_t step) {
    Hash h;
    for (std::size_t at = 0; at < m.size(); at += step) h.update(m.data() + at, std::min(step, m.size() - at));
    std::uint8_t out[Hash::kDigestSize];
    h.finish(out);
    return hex(out);
}

}  // namespace

TEST_CASE("SHA-256: the NIST examples (FIPS 180-4, CSRC example values)") {
    CHECK(digest_of<codec::Sha256>("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(digest_of<codec::Sha256>("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(digest_of<codec::Sha256>("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(digest_of<codec::Sha256>("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    const std::string million(1000000, 'a');
    CHECK(digest_of<codec::Sha256>(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("MD5: the RFC 1321 §A.5 test suite") {
    CHECK(digest_of<codec::Md5>("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(digest_of<codec::Md5>("a") == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(digest_of<codec::Md5>("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(digest_of<codec::Md5>("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(digest_of<codec::Md5>("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
    CHECK(digest_of<codec::Md5>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
          "d174ab98d277d9f5a5611c2c9f419d9f");
    CHECK(digest_of<codec::Md5>("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("SHA-256 and MD5: any split of the input gives the one-shot digest") {
    // Lengths around the padding boundaries: 55 fits one block, 56..63 need two.
    for (const std::size_t length : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 200u}) {
        std::string m;
        for (std::size_t i = 0; i < length; ++i) m += static_cast<char>('a' + i % 26);
        for (const std::size_t step : {1u, 3u, 63u, 64u, 65u}) {
            CAPTURE(length);
            CAPTURE(step);
            CHECK(digest_in_pieces<codec::Sha256>(m, step) == digest_of<codec::Sha256>(m));
            CHECK(digest_in_pieces<codec::Md5>(m, step) == digest_of<codec::Md5>(m));
        }
    }
}
