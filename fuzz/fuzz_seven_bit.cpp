// Fuzz target: the 7-bit scan (smtpcore/codec/seven_bit.hpp).
//
// Input: the content to scan. Checks, for every implementation this build and
// CPU support, at every start offset up to 64 (so each vector alignment and
// each tail length is met) and for the length cut at the first bad octet:
// the answer equals an octet-by-octet reference (every octet in 1..127).
// ASan (the -Dfuzzing=true build) reports any read outside the input: the
// input is copied into a buffer of exactly its length.
#include <cstdint>
#include <vector>

#include "check.hpp"
#include "seven_bit_simd.hpp"
#include "smtpcore/codec/seven_bit.hpp"

using smtpcore::codec::detail::SevenBitImpl;

namespace {

bool reference(const std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] == 0 || p[i] > 127) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = smtpcore::codec::detail;
    const std::vector<char> exact(data, data + size);  // exactly `size` octets: ASan sees over-reads
    const char* p = exact.data();
    const SevenBitImpl saved = d::seven_bit_impl();
    for (const SevenBitImpl impl : {SevenBitImpl::Scalar, SevenBitImpl::Sse2, SevenBitImpl::Avx2}) {
        if (!d::seven_bit_select_impl(impl)) continue;
        for (std::size_t start = 0; start <= size && start <= 64; ++start) {
            const std::size_t n = size - start;
            const bool want = reference(data + start, n);
            FUZZ_CHECK(smtpcore::codec::is_seven_bit(p + start, n) == want, "7-bit scan differs from the reference");
            FUZZ_CHECK(smtpcore::codec::is_seven_bit_portable(p + start, n) == want, "portable 7-bit scan differs");
            std::size_t clean = 0;  // the longest 7-bit prefix is 7-bit, one octet more is not
            while (clean < n && data[start + clean] != 0 && data[start + clean] <= 127) ++clean;
            FUZZ_CHECK(smtpcore::codec::is_seven_bit(p + start, clean), "7-bit prefix reported not 7-bit");
            if (clean < n)
                FUZZ_CHECK(!smtpcore::codec::is_seven_bit(p + start, clean + 1), "bad octet at the end not seen");
        }
    }
    d::seven_bit_select_impl(saved);
    return 0;
}
