// Fuzz target: SHA-256, MD5, HMAC-SHA-256, HMAC-MD5 and PBKDF2-HMAC-SHA-256
// (lib/codec) against OpenSSL, the reference. OpenSSL is linked into this
// target only; the core never sees it.
//
// Input: [algorithm][iterations][key length][piece sizes...] then key and
// message. Checks:
//  - every digest, MAC and derived key equals OpenSSL's for the same input;
//  - the message fed in fuzzed pieces gives the one-shot result;
//  - our code allocates nothing.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <string>
#include <vector>

#include "alloc_probe.hpp"
#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/codec/hmac.hpp"
#include "smtpcore/codec/pbkdf2.hpp"

using namespace smtpcore;

namespace {

enum class Algorithm { Sha256, Md5, HmacSha256, HmacMd5, Pbkdf2 };

// Feeds `message` to `h` in pieces whose sizes come from `sizes`.
template <class H>
void feed_in_pieces(H& h, const std::string& message, const std::vector<std::uint8_t>& sizes) {
    std::size_t at = 0, turn = 0;
    while (at < message.size()) {
        std::size_t n = sizes.empty() ? message.size() : 1 + sizes[turn++ % sizes.size()] % 130;
        if (n > message.size() - at) n = message.size() - at;
        h.update(message.data() + at, n);
        at += n;
    }
}

template <class Hash>
void check_hash(const EVP_MD* md, const std::string& message, const std::vector<std::uint8_t>& sizes) {
    std::uint8_t ours[Hash::kDigestSize], pieces[Hash::kDigestSize], theirs[EVP_MAX_MD_SIZE];
    unsigned theirs_size = 0;
    FUZZ_CHECK(EVP_Digest(message.data(), message.size(), theirs, &theirs_size, md, nullptr) == 1, "OpenSSL digest failed");
    const std::size_t allocations = fuzz::count_allocations([&] {
        Hash::hash(message.data(), message.size(), ours);
        Hash h;
        feed_in_pieces(h, message, sizes);
        h.finish(pieces);
    });
    FUZZ_CHECK(allocations == 0, "the hash allocated");
    FUZZ_CHECK(theirs_size == Hash::kDigestSize && std::memcmp(ours, theirs, theirs_size) == 0, "digest differs from OpenSSL");
    FUZZ_CHECK(std::memcmp(ours, pieces, sizeof ours) == 0, "digest depends on how the input was split");
}

template <class Mac>
void check_mac(const EVP_MD* md, const std::string& key, const std::string& message,
               const std::vector<std::uint8_t>& sizes) {
    std::uint8_t ours[Mac::kDigestSize], pieces[Mac::kDigestSize], theirs[EVP_MAX_MD_SIZE];
    unsigned theirs_size = 0;
    FUZZ_CHECK(HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
                    message.size(), theirs, &theirs_size) != nullptr,
               "OpenSSL HMAC failed");
    const std::size_t allocations = fuzz::count_allocations([&] {
        Mac::mac(key.data(), key.size(), message.data(), message.size(), ours);
        Mac m(key.data(), key.size());
        feed_in_pieces(m, message, sizes);
        m.finish(pieces);
    });
    FUZZ_CHECK(allocations == 0, "the MAC allocated");
    FUZZ_CHECK(theirs_size == Mac::kDigestSize && std::memcmp(ours, theirs, theirs_size) == 0, "MAC differs from OpenSSL");
    FUZZ_CHECK(std::memcmp(ours, pieces, sizeof ours) == 0, "MAC depends on how the input was split");
}

void check_pbkdf2(const std::string& password, const std::string& salt, std::uint32_t iterations, std::size_t size) {
    std::uint8_t ours[100], theirs[100];
    FUZZ_CHECK(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                 reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                                 static_cast<int>(iterations), EVP_sha256(), static_cast<int>(size), theirs) == 1,
               "OpenSSL PBKDF2 failed");
    const std::size_t allocations = fuzz::count_allocations([&] {
        codec::pbkdf2_hmac_sha256(password.data(), password.size(), salt.data(), salt.size(), iterations, ours, size);
    });
    FUZZ_CHECK(allocations == 0, "PBKDF2 allocated");
    FUZZ_CHECK(std::memcmp(ours, theirs, size) == 0, "PBKDF2 differs from OpenSSL");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const auto algorithm = static_cast<Algorithm>(fdp.ConsumeIntegralInRange(0, 4));
    // Few iterations keep a run fast; the loop is the same for 2 or 100000.
    const auto iterations = fdp.ConsumeIntegralInRange<std::uint32_t>(1, 40);
    const auto out_size = fdp.ConsumeIntegralInRange<std::size_t>(1, 100);
    const std::string key = fdp.ConsumeRandomLengthString(200);
    const std::vector<std::uint8_t> sizes = fdp.ConsumeBytes<std::uint8_t>(fdp.ConsumeIntegralInRange(0, 8));
    const std::string message = fdp.ConsumeRemainingBytesAsString();
    switch (algorithm) {
    case Algorithm::Sha256: check_hash<codec::Sha256>(EVP_sha256(), message, sizes); break;
    case Algorithm::Md5: check_hash<codec::Md5>(EVP_md5(), message, sizes); break;
    case Algorithm::HmacSha256: check_mac<codec::HmacSha256>(EVP_sha256(), key, message, sizes); break;
    case Algorithm::HmacMd5: check_mac<codec::HmacMd5>(EVP_md5(), key, message, sizes); break;
    case Algorithm::Pbkdf2: check_pbkdf2(key, message, iterations, out_size); break;
    }
    return 0;
}
